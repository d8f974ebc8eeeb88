package io.initsweep.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.initsweep.theory.GaussianQuadrature;
import io.initsweep.theory.MeanField;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackwardTest {
    /** Largest relative error, per layer, of ∂L/∂W against central differences of the loss. */
    private static final double GRADIENT_TOLERANCE = 1e-6;
    /** Pre-activations closer than this to a kink are redrawn: a finite difference must not cross one. */
    private static final double KINK_MARGIN = 1e-3;

    // ------------------------------------------------------------ an independent plain network

    /** The loss by plain loops: A_l = X_{l−1}W_l + b_l, X_l = φ(A_l), then the mode's loss. */
    private static double loss(Backward.Network net, double[] x0, int batch, double[] errors, double[] readout,
            int outputs, double[] targets) {
        double[] a = forwardPre(net, x0, batch, net.depth());
        int width = net.width(net.depth());
        double sum = 0;
        if (errors != null) {
            for (int i = 0; i < batch * width; i++) {
                sum += errors[i] * a[i];
            }
            return sum / batch;
        }
        for (int s = 0; s < batch; s++) {
            for (int o = 0; o < outputs; o++) {
                double y = 0;
                for (int j = 0; j < width; j++) {
                    y += net.activation().value(a[s * width + j], net.param()) * readout[j * outputs + o];
                }
                double r = y - targets[s * outputs + o];
                sum += r * r;
            }
        }
        return sum / (2.0 * batch);
    }

    /** A_upTo by plain loops. */
    private static double[] forwardPre(Backward.Network net, double[] x0, int batch, int upTo) {
        double[] x = x0;
        double[] a = null;
        for (int l = 1; l <= upTo; l++) {
            int fanIn = net.width(l - 1);
            int width = net.width(l);
            double[] w = net.weights()[l - 1];
            a = new double[batch * width];
            for (int s = 0; s < batch; s++) {
                for (int j = 0; j < width; j++) {
                    double v = net.biases() == null ? 0 : net.biases()[l - 1][j];
                    for (int i = 0; i < fanIn; i++) {
                        v += x[s * fanIn + i] * w[i * width + j];
                    }
                    a[s * width + j] = v;
                }
            }
            double[] next = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                next[k] = net.activation().value(a[k], net.param());
            }
            x = next;
        }
        return a;
    }

    static double[] gaussian(SplittableRandom r, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * r.nextGaussian();
        }
        return v;
    }

    /** A network with N(0, sigmaW2/fan_in) weights and N(0, sigmaB2) biases (none when sigmaB2 = 0). */
    static Backward.Network network(SplittableRandom r, Activation act, double param, int[] widths,
            double sigmaW2, double sigmaB2) {
        int depth = widths.length - 1;
        double[][] w = new double[depth][];
        double[][] b = sigmaB2 > 0 ? new double[depth][] : null;
        for (int l = 1; l <= depth; l++) {
            w[l - 1] = gaussian(r, widths[l - 1] * widths[l], Math.sqrt(sigmaW2 / widths[l - 1]));
            if (b != null) {
                b[l - 1] = gaussian(r, widths[l], Math.sqrt(sigmaB2));
            }
        }
        return new Backward.Network(act, param, widths, w, b);
    }

    private static boolean awayFromKinks(Backward.Network net, double[] x0, int batch) {
        double[] kinks = net.activation().kinks(net.param());
        for (int l = 1; l <= net.depth(); l++) {
            for (double a : forwardPre(net, x0, batch, l)) {
                for (double k : kinks) {
                    if (Math.abs(a - k) < KINK_MARGIN) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------ gradient check

    @Test
    void weightAndBiasGradientsMatchCentralDifferencesForEveryActivation() {
        int[] widths = {6, 8, 5, 7};
        int batch = 5;
        int outputs = 3;
        for (Activation act : Activation.values()) {
            double param = act.defaultParam();
            boolean kinked = act.kinks(param).length > 0;
            // smooth: truncation h²·φ''' ≈ 1e-10 against rounding ε·|L|/h ≈ 1e-11; kinked: piecewise smooth,
            // a smaller h keeps a·(1 ± h·|x|) on one side of every kink with the 1e-3 margin
            double h = kinked ? 1e-6 : 1e-5;
            for (Backward.ErrorMode mode : Backward.ErrorMode.values()) {
                SplittableRandom r = new SplittableRandom(345 + act.ordinal() * 2 + mode.ordinal());
                Backward.Network net;
                double[] x0;
                int draws = 0;
                do {
                    net = network(r, act, param, widths, 1.5, 0.1);
                    x0 = gaussian(r, batch * widths[0], 1.0);
                    draws++;
                } while (!awayFromKinks(net, x0, batch) && draws < 1000);
                assertTrue(awayFromKinks(net, x0, batch), act.id() + ": no draw away from the kinks");
                int widthL = widths[widths.length - 1];
                double[] errors = null;
                double[] readout = null;
                double[] targets = null;
                if (mode == Backward.ErrorMode.NORMAL) {
                    errors = gaussian(r, batch * widthL, 1.0);
                } else {
                    readout = gaussian(r, widthL * outputs, 1.0 / Math.sqrt(widthL));
                    Backward.Network teacher = network(r, Activation.TANH, Double.NaN, new int[] {widths[0], 4, outputs},
                            1.0, 0.1);
                    double[] t = forwardPre(teacher, x0, batch, teacher.depth());
                    targets = new double[t.length];
                    for (int i = 0; i < t.length; i++) {
                        targets[i] = Math.tanh(t[i]);
                    }
                }
                double[][] gw = new double[net.depth()][];
                double[][] gb = new double[net.depth()][];
                for (int l = 1; l <= net.depth(); l++) {
                    gw[l - 1] = new double[widths[l - 1] * widths[l]];
                    gb[l - 1] = new double[widths[l]];
                }
                Backward backward = new Backward();
                GradientResult res = mode == Backward.ErrorMode.NORMAL
                        ? backward.runNormal(net, x0, batch, errors, gw, gb)
                        : backward.runMse(net, x0, batch, readout, outputs, targets, gw, gb);
                String what = act.id() + "/" + mode.id();
                assertEquals(loss(net, x0, batch, errors, readout, outputs, targets), res.loss,
                        1e-12 * Math.max(1, Math.abs(res.loss)), what + " loss");
                for (int l = 1; l <= net.depth(); l++) {
                    double[][] params = {net.weights()[l - 1], net.biases()[l - 1]};
                    double[][] grads = {gw[l - 1], gb[l - 1]};
                    for (int p = 0; p < 2; p++) {
                        double[] theta = params[p];
                        double diff = 0;
                        double ref = 0;
                        for (int k = 0; k < grads[p].length; k++) {
                            double keep = theta[k];
                            theta[k] = keep + h;
                            double up = loss(net, x0, batch, errors, readout, outputs, targets);
                            theta[k] = keep - h;
                            double down = loss(net, x0, batch, errors, readout, outputs, targets);
                            theta[k] = keep;
                            double fd = (up - down) / (2 * h);
                            diff += (grads[p][k] - fd) * (grads[p][k] - fd);
                            ref += fd * fd;
                        }
                        double rel = Math.sqrt(diff / ref);
                        assertTrue(ref > 0 && rel <= GRADIENT_TOLERANCE, String.format(Locale.ROOT,
                                "%s layer %d %s: relative error %.3g (‖fd‖ = %.3g)", what, l, p == 0 ? "W" : "b", rel,
                                Math.sqrt(ref)));
                    }
                    assertEquals(frobenius(gw[l - 1]), res.weightGradNorm[l - 1], 1e-14, what);
                    assertEquals(frobenius(gb[l - 1]), res.biasGradNorm[l - 1], 1e-14, what);
                    assertEquals(res.weightGradNorm[l - 1] / frobenius(net.weights()[l - 1]),
                            res.weightGradRatio[l - 1], 1e-14, what);
                    assertEquals((long) batch * widths[l], res.countedEntries(l - 1), what);
                }
            }
        }
    }

    private static double frobenius(double[] v) {
        double ss = 0;
        for (double x : v) {
            ss += x * x;
        }
        return Math.sqrt(ss);
    }

    // ------------------------------------------------------------ bookkeeping

    @Test
    void lastLayerErrorIsTheGivenNormalDrawsAndTheHistogramCountsEveryEntry() {
        // one linear layer: δ_1 is the error matrix itself
        int batch = 3;
        int width = 4;
        double[] errors = {0.0, 1e-13, 1e-12, 0.5, -2.0, 9999.0, 1e4, Double.NaN, Double.POSITIVE_INFINITY, -1e-3, 3e-7,
            Double.MIN_VALUE};
        SplittableRandom r = new SplittableRandom(345);
        Backward.Network net = network(r, Activation.LINEAR, Double.NaN, new int[] {2, width}, 1.0, 0.0);
        GradientResult res = new Backward().runNormal(net, gaussian(r, batch * 2, 1.0), batch, errors, null, null);
        assertEquals(2, res.gradNonfinite[0]);
        assertEquals(3, res.logHistUnderflow[0]); // 0, 1e-13, MIN_VALUE
        assertEquals(1, res.logHistOverflow[0]); // 1e4
        double step = (GradientResult.LOG_HI - GradientResult.LOG_LO) / GradientResult.LOG_BINS;
        long[] expected = new long[GradientResult.LOG_BINS];
        for (double v : new double[] {1e-12, 0.5, -2.0, 9999.0, -1e-3, 3e-7}) {
            expected[(int) Math.floor((Math.log10(Math.abs(v)) - GradientResult.LOG_LO) / step)]++;
        }
        for (int b = 0; b < GradientResult.LOG_BINS; b++) {
            assertEquals(expected[b], res.logHistCounts[b], "bin " + b);
        }
        assertEquals((long) batch * width, res.countedEntries(0));
        assertTrue(Double.isNaN(res.gradSqMean[0]));
        assertTrue(Double.isNaN(res.gradRatio[0]));
        assertTrue(Double.isNaN(res.chi1Measured));

        double[] finite = gaussian(r, batch * width, 1.0);
        res = new Backward().runNormal(net, gaussian(r, batch * 2, 1.0), batch, finite, null, null);
        double ss = 0;
        for (double e : finite) {
            ss += e * e;
        }
        assertEquals(ss / finite.length, res.gradSqMean[0], 1e-15);
    }

    @Test
    void histogramBinsAgreeWithLog10OverEveryDecade() {
        // magnitudes spread over [1e-13, 1e5): the bin from comparisons with the edges against
        // floor((log10|v| − LOG_LO)/step), for entries not within 1e-9 decades of an edge
        SplittableRandom r = new SplittableRandom(77);
        int n = 200_000;
        double[] errors = new double[n];
        for (int i = 0; i < n; i++) {
            double v = Math.pow(10.0, -13.0 + 18.0 * r.nextDouble());
            errors[i] = r.nextBoolean() ? v : -v;
        }
        // the edges themselves, and their neighbours one ulp away
        for (int k = 0; k <= GradientResult.LOG_BINS; k++) {
            double e = GradientResult.LOG_EDGES[k];
            errors[3 * k] = e;
            errors[3 * k + 1] = Math.nextDown(e);
            errors[3 * k + 2] = -Math.nextUp(e);
        }
        Backward.Network net = network(r, Activation.LINEAR, Double.NaN, new int[] {1, n}, 1.0, 0.0);
        GradientResult res = new Backward().runNormal(net, new double[] {1.0}, 1, errors, null, null);
        double step = (GradientResult.LOG_HI - GradientResult.LOG_LO) / GradientResult.LOG_BINS;
        long[] expected = new long[GradientResult.LOG_BINS];
        long under = 0;
        long over = 0;
        int checked = 0;
        for (int i = 3 * (GradientResult.LOG_BINS + 1); i < n; i++) {
            double x = (Math.log10(Math.abs(errors[i])) - GradientResult.LOG_LO) / step;
            if (Math.abs(x - Math.rint(x)) < 1e-9) {
                errors[i] = Double.NaN; // not compared: too close to an edge for log10 to decide
                continue;
            }
            checked++;
            if (x < 0) {
                under++;
            } else if (x >= GradientResult.LOG_BINS) {
                over++;
            } else {
                expected[(int) Math.floor(x)]++;
            }
        }
        // the edge entries: bin k holds edge k; nextDown(edge k) is in bin k − 1
        for (int k = 0; k <= GradientResult.LOG_BINS; k++) {
            if (k < GradientResult.LOG_BINS) {
                expected[k] += 2; // edge k and nextUp(edge k)
            } else {
                over += 2;
            }
            if (k == 0) {
                under++;
            } else {
                expected[k - 1]++;
            }
        }
        // recount with the NaN placeholders: they are non-finite now
        res = new Backward().runNormal(net, new double[] {1.0}, 1, errors, null, null);
        assertTrue(checked > n * 0.99, "checked " + checked);
        assertEquals(n - checked - 3 * (GradientResult.LOG_BINS + 1), res.gradNonfinite[0]);
        assertEquals(under, res.logHistUnderflow[0]);
        assertEquals(over, res.logHistOverflow[0]);
        for (int b = 0; b < GradientResult.LOG_BINS; b++) {
            assertEquals(expected[b], res.logHistCounts[b], "bin " + b);
        }
    }

    @Test
    void theFloat32LayerIsTheFloat64LayerToFloat32Rounding() {
        SplittableRandom r = new SplittableRandom(12);
        int batch = 64;
        int fanIn = 24;
        int width = 16;
        for (Activation act : new Activation[] {Activation.TANH, Activation.RELU, Activation.SIGMOID}) {
            double param = act.defaultParam();
            double[] pre = gaussian(r, batch * fanIn, 1.5);
            double[] w = gaussian(r, fanIn * width, 1.0 / Math.sqrt(fanIn));
            double[] delta = gaussian(r, batch * width, 1.0);
            float[] pref = new float[pre.length];
            float[] wf = new float[w.length];
            float[] deltaf = new float[delta.length];
            for (int i = 0; i < pre.length; i++) {
                pref[i] = (float) pre[i];
                pre[i] = pref[i];
            }
            for (int i = 0; i < w.length; i++) {
                wf[i] = (float) w[i];
                w[i] = wf[i];
            }
            for (int i = 0; i < delta.length; i++) {
                deltaf[i] = (float) delta[i];
                delta[i] = deltaf[i];
            }
            GradientResult want = new GradientResult(1);
            double[] in = new double[batch * fanIn];
            double[] wg = new double[fanIn * width];
            double[] next = new double[batch * fanIn];
            Backward.layer(act, param, delta, pre, in, w, batch, fanIn, width, wg, new double[width], next, want, 0);
            GradientResult got = new GradientResult(1);
            float[] inf = new float[batch * fanIn];
            float[] wgf = new float[fanIn * width];
            float[] nextf = new float[batch * fanIn];
            Backward.layer32(act, param, deltaf, pre, inf, wf, batch, fanIn, width, wgf, new double[width], nextf, got, 0,
                    new double[batch * fanIn], new double[batch * fanIn]);
            for (int i = 0; i < in.length; i++) {
                assertEquals((float) act.value(pre[i], param), inf[i], act.id() + ": X is φ(A) rounded to float32");
            }
            // δ and its statistics are the same values; the products differ by float32 rounding (2^-24
            // per operation, √inner terms): 1e-5 relative is well above it and far below any error
            assertEquals(want.gradSqMean[0], got.gradSqMean[0], 1e-15 * want.gradSqMean[0]);
            assertEquals(want.weightGradNorm[0], got.weightGradNorm[0], 1e-5 * want.weightGradNorm[0], act.id());
            double err = 0;
            double ref = 0;
            for (int i = 0; i < next.length; i++) {
                err += (next[i] - nextf[i]) * (next[i] - nextf[i]);
                ref += next[i] * next[i];
            }
            assertTrue(Math.sqrt(err / ref) < 1e-6, act.id() + ": δ_{l−1} relative error " + Math.sqrt(err / ref));
        }
    }

    @Test
    void multiplyDerivativeGivesTheBitsOfDerivativeForEveryActivation() {
        SplittableRandom r = new SplittableRandom(91);
        int n = 4096;
        for (Activation act : Activation.values()) {
            double param = act.defaultParam();
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = i < 8 ? new double[] {0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 40.0, -40.0}[i] : 6.0 * r.nextGaussian();
            }
            double[] z = new double[n];
            Kernels.apply(act, param, a, z, n);
            double[] d = gaussian(r, n, 1.0);
            double[] got = d.clone();
            act.multiplyDerivative(param, a, z, got, n);
            for (int i = 0; i < n; i++) {
                double want = d[i] * act.derivative(a[i], param);
                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got[i]),
                        act.id() + " at a = " + a[i]);
            }
        }
    }

    @Test
    void ratiosAndChi1FollowTheirDefinitions() {
        SplittableRandom r = new SplittableRandom(345);
        for (int depth = 1; depth <= 6; depth++) {
            int[] widths = new int[depth + 1];
            java.util.Arrays.fill(widths, 9);
            Backward.Network net = network(r, Activation.TANH, Double.NaN, widths, 1.2, 0.05);
            GradientResult res = new Backward().runNormal(net, gaussian(r, 4 * 9, 1.0), 4, gaussian(r, 4 * 9, 1.0), null,
                    null);
            for (int l = 0; l < depth - 1; l++) {
                assertEquals(res.gradSqMean[l] / res.gradSqMean[l + 1], res.gradRatio[l], 0.0);
            }
            assertTrue(Double.isNaN(res.gradRatio[depth - 1]));
            assertEquals(res.weightGradNorm[0] / res.weightGradNorm[depth - 1], res.gradFirstOverLast, 0.0);
            int skip = depth < 2 ? 0 : Math.min(2, depth - 2);
            assertEquals(skip, res.chi1Skip);
            if (depth < 2) {
                assertTrue(Double.isNaN(res.chi1Measured));
            } else {
                double logSum = 0;
                for (int l = skip; l <= depth - 2; l++) {
                    logSum += Math.log(res.gradRatio[l]);
                }
                assertEquals(Math.exp(logSum / (depth - 1 - skip)), res.chi1Measured, 1e-14);
            }
        }
    }

    @Test
    void workingBytesCountsThePreActivationsAndTheBuffers() {
        assertEquals(8L * (20L * 1000 * 1000 + 3L * 1000 * 1000 + 1000L * 1000 + 1000), Backward.workingBytes(1000, 1000, 20));
    }

    // ------------------------------------------------------------ mean-field χ₁

    /**
     * Standard deviation, relative, of one measured ratio gradSqMean_l / gradSqMean_{l+1} about
     * χ₁(q^l), from the fresh randomness of layer l. Given δ_{l+1}, δ_l[s, j] =
     * φ'(a_sj)·g_sj·√(σ_w²‖δ_{l+1,s}‖²/width) with g ~ N(0, 1) (gradient independence: the backward
     * pass sees W_{l+1} as fresh), so the ratio is the mean over width units j of U_j, the batch mean of
     * φ'(a_sj)²g_sj², units independent. Var(U_j)/E[U_j]² = κ/batch + (1 − 1/batch)·(ρ − 1) with
     * κ = 3·E[φ'⁴]/E[φ'²]² − 1 (one term) and ρ = E[φ'(a₁)²φ'(a₂)²]·(1 + 2/width)/E[φ'²]² for two
     * samples whose pre-activations have correlation c^l (quadrature at (q^l, c^l)), their g's sharing
     * W_{l+1} with a squared correlation of about 1/width. As c^l → 1 (tanh's ordered phase, deep
     * ReLU) the samples stop averaging and the width alone sets the error: 1/√width·√(E[φ'⁴]/E[φ'²]² − 1).
     */
    private static double ratioSd(Activation act, double param, double q, double c, int batch, int width) {
        double[] kinks = act.kinks(param);
        double d2 = GaussianQuadrature.expect(a -> Math.pow(act.derivative(a, param), 2), q, kinks);
        double d4 = GaussianQuadrature.expect(a -> Math.pow(act.derivative(a, param), 4), q, kinks);
        double pair = GaussianQuadrature.expect2(
                (a1, a2) -> Math.pow(act.derivative(a1, param) * act.derivative(a2, param), 2), q, c, kinks);
        double kappa = 3 * d4 / (d2 * d2) - 1;
        double rho = pair * (1 + 2.0 / width) / (d2 * d2);
        return Math.sqrt((kappa / batch + (1 - 1.0 / batch) * (rho - 1)) / width);
    }

    /**
     * Tolerance of a mean of {@code layers} ratios: five standard deviations of their mean (the
     * layers' fresh randomness is independent), plus 1/width for the O(1/width) corrections to
     * mean-field theory (δ_{l+1} depends on W_{l+1} through A_{l+1}, ignored above).
     */
    private static double tolerance(double sd, int layers, int width) {
        return 5 * sd / Math.sqrt(layers) + 1.0 / width;
    }

    /** Gradient ratios of a deep tanh network, layer by layer and averaged past the transient, against χ₁. */
    private static void checkTanh(double sigmaW2, double expectedChi1) {
        int width = 1000;
        int batch = 1000;
        int depth = 20;
        double sigmaB2 = 0.05;
        SplittableRandom r = new SplittableRandom(345);
        int[] widths = new int[depth + 1];
        java.util.Arrays.fill(widths, width);
        Backward.Network net = network(r, Activation.TANH, Double.NaN, widths, sigmaW2, sigmaB2);
        double[] x0 = gaussian(r, batch * width, 1.0);
        GradientResult res = new Backward().runNormal(net, x0, batch, gaussian(r, batch * width, 1.0), null, null);

        MeanField mf = new MeanField(Activation.TANH, Double.NaN, sigmaW2, sigmaB2);
        // i.i.d. N(0, 1) inputs: mean square 1, rows uncorrelated
        MeanField.Trace trace = mf.trace(1.0, 0.0, depth);
        MeanField.FixedPoint fp = mf.fixedPoint(trace.q()[0]);
        assertEquals(expectedChi1, fp.chi1(), 5e-4, "theory's χ₁");
        double worst = 0;
        for (int l = 0; l < depth - 1; l++) {
            double sd = ratioSd(Activation.TANH, Double.NaN, trace.q()[l], trace.c()[l], batch, width);
            double rel = res.gradRatio[l] / trace.chi1()[l] - 1;
            worst = Math.max(worst, Math.abs(rel) / sd);
            assertTrue(Math.abs(rel) <= tolerance(sd, 1, width), String.format(Locale.ROOT,
                    "σ_w² %s layer %d: ratio %.5f, χ₁(q^l) %.5f, off by %.2e > %.2e", sigmaW2, l + 1, res.gradRatio[l],
                    trace.chi1()[l], rel, tolerance(sd, 1, width)));
        }
        // past the transient: from the first layer whose χ₁(q^l) is within a tenth of the tolerance of χ₁(q*)
        double sdStar = ratioSd(Activation.TANH, Double.NaN, fp.qStar(), fp.cStar(), batch, width);
        int from = 0;
        while (Math.abs(trace.chi1()[from] / fp.chi1() - 1) > tolerance(sdStar, depth - 1, width) / 10) {
            from++;
        }
        int layers = depth - 1 - from;
        assertTrue(layers >= 8, "transient too long: " + from + " layers");
        // plus the tenth allowed to the transient's remainder
        double meanTol = tolerance(sdStar, layers, width) * 1.1;
        double measured = Backward.chi1(res.gradRatio, from, depth - 2);
        System.out.printf(Locale.ROOT, "tanh σ_w² %.1f: worst layer %.2f sd; χ₁ measured %.5f over layers %d..%d, theory"
                + " %.5f (off %.2e, tol %.2e); chi1Measured %.5f%n", sigmaW2, worst, measured, from + 1, depth - 1,
                fp.chi1(), measured / fp.chi1() - 1, meanTol, res.chi1Measured);
        assertEquals(1.0, measured / fp.chi1(), meanTol);
    }

    @Test
    void tanhGradientRatiosFollowChi1OrderedPhase() {
        checkTanh(1.0, 0.759);
    }

    @Test
    void tanhGradientRatiosFollowChi1ChaoticPhase() {
        checkTanh(2.5, 1.1335);
    }

    /** ReLU: χ₁ = σ_w²·P(a &gt; 0) = σ_w²/2 at every q, so He init (σ_w² = 2) keeps the gradients flat and σ_w² = 1 halves them. */
    @Test
    void reluHeKeepsGradientsFlatAndXavierHalvesThem() {
        int width = 500;
        int batch = 500;
        int depth = 10;
        for (double sigmaW2 : new double[] {2.0, 1.0}) {
            SplittableRandom r = new SplittableRandom(345);
            int[] widths = new int[depth + 1];
            java.util.Arrays.fill(widths, width);
            Backward.Network net = network(r, Activation.RELU, Double.NaN, widths, sigmaW2, 0.0);
            GradientResult res = new Backward().runNormal(net, gaussian(r, batch * width, 1.0), batch,
                    gaussian(r, batch * width, 1.0), null, null);
            double chi1 = sigmaW2 / 2;
            // χ₁ does not depend on q, but the spread does, through the samples' correlation c^l
            MeanField.Trace trace = new MeanField(Activation.RELU, Double.NaN, sigmaW2, 0.0).trace(1.0, 0.0, depth);
            double sumVar = 0;
            for (int l = 0; l < depth - 1; l++) {
                double sd = ratioSd(Activation.RELU, Double.NaN, trace.q()[l], trace.c()[l], batch, width);
                sumVar += sd * sd;
                assertEquals(1.0, res.gradRatio[l] / chi1, tolerance(sd, 1, width),
                        "σ_w² " + sigmaW2 + " layer " + (l + 1));
            }
            // every layer is at χ₁'s value: no transient to skip; the rms spread over the layers
            double sdAll = Math.sqrt(sumVar / (depth - 1));
            double all = Backward.chi1(res.gradRatio, 0, depth - 2);
            System.out.printf(Locale.ROOT, "relu σ_w² %.1f: χ₁ measured %.5f (off %.2e, tol %.2e), chi1Measured %.5f%n",
                    sigmaW2, all, all / chi1 - 1, tolerance(sdAll, depth - 1, width), res.chi1Measured);
            assertEquals(1.0, all / chi1, tolerance(sdAll, depth - 1, width));
            assertEquals(1.0, res.chi1Measured / chi1, tolerance(sdAll, depth - 1 - res.chi1Skip, width));
        }
    }
}
