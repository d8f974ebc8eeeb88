package io.initsweep.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JacobianSpectrumTest {
    private static double[] gaussian(SplittableRandom r, int n, double sd) {
        return BackwardTest.gaussian(r, n, sd);
    }

    private static Backward.Network gaussianNetwork(SplittableRandom r, Activation act, int[] widths, double sigmaW2,
            double sigmaB2) {
        return BackwardTest.network(r, act, act.defaultParam(), widths, sigmaW2, sigmaB2);
    }

    /** X_upTo for one input row by plain loops. */
    private static double[] output(Backward.Network net, double[] x, int upTo) {
        for (int l = 1; l <= upTo; l++) {
            int fanIn = net.width(l - 1);
            int width = net.width(l);
            double[] z = new double[width];
            for (int j = 0; j < width; j++) {
                double a = net.biases() == null ? 0 : net.biases()[l - 1][j];
                for (int i = 0; i < fanIn; i++) {
                    a += x[i] * net.weights()[l - 1][i * width + j];
                }
                z[j] = net.activation().value(a, net.param());
            }
            x = z;
        }
        return x;
    }

    @Test
    void spectralMomentsEqualThoseOfTheFiniteDifferenceJacobian() {
        // Σσ² = ‖J‖_F² and Σσ⁴ = ‖JᵀJ‖_F², with J by central differences of the post-activation output
        SplittableRandom r = new SplittableRandom(345);
        int[] widths = {5, 7, 4, 6};
        Backward.Network net = gaussianNetwork(r, Activation.TANH, widths, 1.5, 0.1);
        int samples = 2;
        double[] x0 = gaussian(r, samples * widths[0], 1.0);
        int[] layers = {3, 1, 2};
        List<JacobianSpectrum.Spectrum> spectra = new JacobianSpectrum().compute(net, x0, samples, layers);
        assertEquals(samples * layers.length, spectra.size());
        double h = 1e-6;
        int k = 0;
        for (int s = 0; s < samples; s++) {
            for (int layer : layers) {
                JacobianSpectrum.Spectrum sp = spectra.get(k++);
                assertEquals(s, sp.sample());
                assertEquals(layer, sp.layer());
                int n0 = widths[0];
                int m = widths[layer];
                double[][] jac = new double[m][n0];
                for (int i = 0; i < n0; i++) {
                    double[] up = java.util.Arrays.copyOfRange(x0, s * n0, (s + 1) * n0);
                    double[] down = up.clone();
                    up[i] += h;
                    down[i] -= h;
                    double[] zu = output(net, up, layer);
                    double[] zd = output(net, down, layer);
                    for (int j = 0; j < m; j++) {
                        jac[j][i] = (zu[j] - zd[j]) / (2 * h);
                    }
                }
                double fro = 0;
                double gram = 0;
                for (int a = 0; a < n0; a++) {
                    for (int b = 0; b < n0; b++) {
                        double g = 0;
                        for (int j = 0; j < m; j++) {
                            g += jac[j][a] * jac[j][b];
                        }
                        gram += g * g;
                    }
                    for (int j = 0; j < m; j++) {
                        fro += jac[j][a] * jac[j][a];
                    }
                }
                int count = Math.min(m, n0);
                assertEquals(count, sp.singularValues().length);
                double mean = fro / count;
                double var = gram / count - mean * mean;
                assertEquals(mean, sp.svSqMean(), 1e-8 * mean, "layer " + layer);
                assertEquals(var, sp.svSqVar(), 1e-8 * Math.max(mean * mean, 1e-3), "layer " + layer);
                for (int i = 1; i < count; i++) {
                    assertTrue(sp.singularValues()[i] <= sp.singularValues()[i - 1]);
                }
                assertEquals(sp.singularValues()[0], sp.svMax(), 0.0);
                assertEquals(sp.singularValues()[count - 1], sp.svMin(), 0.0);
                assertEquals(sp.svMax() / sp.svMin(), sp.condition(), 0.0);
            }
        }
    }

    @Test
    void orthogonalLinearNetworkHasEverySingularValueAtGainToTheDepth() {
        // Saxe et al. 2014: a product of orthogonal matrices is orthogonal, so J_l = g^l·Q
        int width = 64;
        int depth = 5;
        double gain = 1.3;
        Initializer p = Orthogonal.SCHEME.bind(Map.of("gain", gain), Double.NaN);
        Weights draws = new Weights();
        double[][] w = new double[depth][];
        int[] widths = new int[depth + 1];
        java.util.Arrays.fill(widths, width);
        for (int l = 1; l <= depth; l++) {
            w[l - 1] = new double[width * width];
            draws.fill(p, 42, 0, l, width, width, w[l - 1]);
        }
        Backward.Network net = new Backward.Network(Activation.LINEAR, Double.NaN, widths, w, null);
        double[] x0 = gaussian(new SplittableRandom(345), 2 * width, 1.0);
        for (JacobianSpectrum.Spectrum sp : new JacobianSpectrum().compute(net, x0, 2, new int[] {1, 3, 5})) {
            double expected = Math.pow(gain, sp.layer());
            for (double sv : sp.singularValues()) {
                assertEquals(expected, sv, 1e-10 * expected, "layer " + sp.layer());
            }
            assertEquals(0.0, sp.svSqVar(), 1e-10 * expected * expected);
            assertEquals(1.0, sp.condition(), 1e-10);
        }
    }

    /**
     * E[var of λ = σ²(J)] for J = W_L⋯W_1, N × N real Ginibre factors of variance 1/N, exactly at finite N:
     * with B = J_{l−1}J_{l−1}ᵀ and x_l = E[tr(B_l²)]/N, y_l = E[(tr B_l/N)²], Wick's theorem gives
     * x_l = (1 + 1/N)·x_{l−1} + y_{l−1} and y_l = y_{l−1} + 2·x_{l−1}/N², from x_0 = y_0 = 1; the
     * variance's mean is x_L − y_L, which tends to L (the Fuss–Catalan second moment L + 1, minus 1).
     */
    private static double linearGaussianVariance(int n, int depth) {
        double x = 1;
        double y = 1;
        for (int l = 1; l <= depth; l++) {
            double nx = (1 + 1.0 / n) * x + y;
            y = y + 2 * x / ((double) n * n);
            x = nx;
        }
        return x - y;
    }

    /** Mean and standard error over independent networks of (svSqMean, svSqVar) of J_L, each network's averaged over its samples. */
    private static double[][] replicates(Activation act, double sigmaW2, int width, int depth, int networks, int samples) {
        double[] mean = new double[networks];
        double[] var = new double[networks];
        JacobianSpectrum js = new JacobianSpectrum();
        for (int k = 0; k < networks; k++) {
            SplittableRandom r = new SplittableRandom(345 + k);
            int[] widths = new int[depth + 1];
            java.util.Arrays.fill(widths, width);
            Backward.Network net = gaussianNetwork(r, act, widths, sigmaW2, 0.0);
            for (JacobianSpectrum.Spectrum sp : js.compute(net, gaussian(r, samples * width, 1.0), samples,
                    new int[] {depth})) {
                mean[k] += sp.svSqMean() / samples;
                var[k] += sp.svSqVar() / samples;
            }
        }
        return new double[][] {meanAndError(mean), meanAndError(var)};
    }

    private static double[] meanAndError(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return new double[] {m, Math.sqrt(ss / (v.length - 1) / v.length)};
    }

    /**
     * Pennington, Schoenholz &amp; Ganguli (2017): for Gaussian weights at χ₁ = 1 the moments of JJᵀ are
     * m₁ = (σ_w²·p)^L and m₂ = m₁²·(L + p)/p, p the share of units in their linear regime, so the
     * variance of σ² is L/p: L for a linear network (p = 1), 2L for ReLU at σ_w² = 2 (p = 1/2). The
     * tolerances: five standard errors measured over independent networks (each network's spectrum
     * fluctuates by O(1) in its trace, O(1/N) in its moments, with constants that grow with L), plus the
     * finite-N shift of the mean: exact for the linear network ({@link #linearGaussianVariance}); for
     * ReLU, where no such formula is at hand, the linear network's relative shift is allowed twice.
     */
    @Test
    void gaussianJacobianSpectraHaveTheFreeProbabilityVariance() {
        int width = 400;
        int depth = 4;
        int networks = 6;
        double exact = linearGaussianVariance(width, depth);
        assertEquals(depth, exact, 0.01 * depth, "the finite-N expectation tends to L");

        double[][] linear = replicates(Activation.LINEAR, 1.0, width, depth, networks, 1);
        System.out.printf(Locale.ROOT, "linear: sv_sq_mean %.4f ± %.4f, sv_sq_var %.4f ± %.4f (finite-N %.4f, limit %d)%n",
                linear[0][0], linear[0][1], linear[1][0], linear[1][1], exact, depth);
        assertEquals(1.0, linear[0][0], 5 * linear[0][1]);
        assertEquals(exact, linear[1][0], 5 * linear[1][1]);

        double[][] relu = replicates(Activation.RELU, 2.0, width, depth, networks, 4);
        double shift = 2 * Math.abs(exact / depth - 1) * 2 * depth;
        System.out.printf(Locale.ROOT, "relu: sv_sq_mean %.4f ± %.4f, sv_sq_var %.4f ± %.4f (limit %d, shift allowed %.3f)%n",
                relu[0][0], relu[0][1], relu[1][0], relu[1][1], 2 * depth, shift);
        assertEquals(1.0, relu[0][0], 5 * relu[0][1] + 2 * Math.abs(exact / depth - 1));
        assertEquals(2.0 * depth, relu[1][0], 5 * relu[1][1] + shift);
    }
}
