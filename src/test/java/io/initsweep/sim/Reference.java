package io.initsweep.sim;

import java.lang.reflect.Field;
import java.util.Arrays;

/**
 * Independent numerics for the sim tests: closed forms and quadrature written from the
 * textbook definitions, sharing no code with {@code io.initsweep.sim}. Nothing here calls the
 * code under test, so expected values computed with it come from outside that code.
 */
final class Reference {
    /**
     * Number of estimated standard errors a sampled statistic may sit from its expected value.
     * Seeds are fixed, so a pass is reproducible; 5 keeps the chance that a correct kernel fails
     * any one check below ~0.2% even with 8 seeds (Student t, 7 dof) and far lower with more.
     */
    static final double K_SIGMA = 5.0;

    private Reference() {}

    /** Standard normal density. */
    static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
    }

    /**
     * P(|Z| &gt; t) for Z ~ N(0, 1), as 1 − 2∫₀ᵗ φ(u) du by composite Simpson quadrature with
     * panel width ≤ 10⁻³ (Simpson's error ≤ t·h⁴·max|φ⁗|/180 &lt; 10⁻¹³ for t ≤ 40).
     */
    static double twoSidedNormalTail(double t) {
        if (!(t > 0)) {
            return 1.0;
        }
        if (t > 40) {
            return 0.0;
        }
        int panels = 2 * Math.max(50, (int) Math.ceil(t / 2e-3));
        double h = t / panels;
        double sum = normalPdf(0) + normalPdf(t);
        for (int i = 1; i < panels; i++) {
            sum += (i % 2 == 1 ? 4.0 : 2.0) * normalPdf(i * h);
        }
        return 1.0 - 2.0 * (sum * h / 3.0);
    }

    /** ln Γ(x) for x a positive multiple of 1/2, from Γ(1) = 1, Γ(1/2) = √π and Γ(x+1) = xΓ(x). */
    static double lnGammaHalfInteger(double x) {
        double twice = 2 * x;
        if (twice != Math.rint(twice) || x <= 0) {
            throw new IllegalArgumentException("x must be a positive multiple of 1/2, found " + x);
        }
        double base = (Math.rint(twice) % 2 == 0) ? 1.0 : 0.5;
        double acc = base == 1.0 ? 0.0 : 0.5 * Math.log(Math.PI);
        for (double y = base; y < x - 0.25; y += 1.0) {
            acc += Math.log(y);
        }
        return acc;
    }

    /** Chi-square density with k degrees of freedom, evaluated in log space. */
    static double chiSquarePdf(double v, int k) {
        if (v <= 0) {
            return 0.0;
        }
        double logPdf = (k / 2.0 - 1.0) * Math.log(v) - v / 2.0 - (k / 2.0) * Math.log(2.0) - lnGammaHalfInteger(k / 2.0);
        return Math.exp(logPdf);
    }

    /**
     * E_v[g(v)] for v ~ χ²_k by composite Simpson over [0, k + 40·√(2k)] (the density beyond is
     * below e^−300 for the k used here) with 8000 panels.
     */
    static double chiSquareExpectation(int k, java.util.function.DoubleUnaryOperator g) {
        double hi = k + 40.0 * Math.sqrt(2.0 * k);
        int panels = 8000;
        double h = hi / panels;
        double sum = 0;
        for (int i = 0; i <= panels; i++) {
            double v = i * h;
            double w = (i == 0 || i == panels) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
            double f = chiSquarePdf(v, k);
            if (f > 0) {
                sum += w * f * g.applyAsDouble(v);
            }
        }
        return sum * h / 3.0;
    }

    /** σ'(a) = e^−|a| / (1 + e^−|a|)², a form without the cancellation of σ(1 − σ). */
    static double sigmoidDerivative(double a) {
        double e = Math.exp(-Math.abs(a));
        return e / ((1.0 + e) * (1.0 + e));
    }

    /** tanh'(a) = 1 / cosh²(a). */
    static double tanhDerivative(double a) {
        double c = Math.cosh(a);
        return 1.0 / (c * c);
    }

    /**
     * The cut c with {a : φ'(a) &lt; τ·max φ'} = {|a| &gt; c} for tanh: 1 − tanh²(c) = τ, i.e.
     * c = atanh(√(1−τ)) = ln((1 + √(1−τ)) / √τ), a form without the cancellation in 1 − √(1−τ).
     */
    static double tanhCut(double tau) {
        return Math.log((1.0 + Math.sqrt(1.0 - tau)) / Math.sqrt(tau));
    }

    /** The sigmoid cut: σ(a) = (1 + tanh(a/2))/2 gives σ' = tanh'(a/2)/4, so the cut is twice tanh's. */
    static double sigmoidCut(double tau) {
        return 2.0 * tanhCut(tau);
    }

    /**
     * Φ(x) by Marsaglia's series, Φ(x) = 1/2 + φ(x)·Σ x^(2k+1)/(1·3·…·(2k+1)) (G. Marsaglia,
     * "Evaluating the normal distribution", J. Stat. Softw. 11(4), 2004): absolute error about
     * 10⁻¹⁵ for |x| ≤ 8, clamped to 0 and 1 beyond (where Φ is within 7·10⁻¹⁶ of them). A
     * method unrelated to the Cody approximations in the code, for absolute comparisons only
     * (relative accuracy is lost in the lower tail).
     */
    static double normalCdfSeries(double x) {
        if (x < -8) {
            return 0.0;
        }
        if (x > 8) {
            return 1.0;
        }
        double s = x;
        double t = 0;
        double b = x;
        double q = x * x;
        double i = 1;
        while (s != t) {
            t = s;
            i += 2;
            b *= q / i;
            s = t + b;
        }
        return 0.5 + s * normalPdf(x);
    }

    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** Whether {@link #derivative} has a form for {@code act}. */
    static boolean hasDerivative(Activation act) {
        return INDEPENDENT.contains(act.id());
    }

    private static final java.util.Set<String> INDEPENDENT = java.util.Set.of("sigmoid", "tanh", "relu", "leaky_relu",
            "elu", "selu", "gelu", "gelu_tanh", "silu", "mish", "softplus", "softsign", "hardtanh", "linear");

    /**
     * φ'(a) written from each activation's textbook definition, in the plain forms a reader would
     * write first (σ(1 − σ), 1 − tanh², the product rule on 0.5·a·(1 + tanh u)), sharing no code
     * with {@code io.initsweep.sim}. Absolute accuracy about 10⁻¹⁵; derivatives at kinks follow
     * PyTorch (relu'(0) = 0, leaky'(0) = slope, elu'(0) = α, hardtanh'(±1) = 0). Written for the
     * activations of the first catalogue ({@link #hasDerivative}); every activation is checked
     * against the golden CSV in {@link ActivationReferenceTest}.
     */
    static double derivative(Activation act, double param, double a) {
        return switch (act.id()) {
            case "sigmoid" -> sigmoidDerivative(a);
            case "tanh" -> tanhDerivative(a);
            case "relu" -> a > 0 ? 1.0 : 0.0;
            case "leaky_relu" -> a > 0 ? 1.0 : param;
            case "elu" -> a > 0 ? 1.0 : param * Math.exp(a);
            case "selu" -> a > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(a);
            case "gelu" -> normalCdfSeries(a) + a * normalPdf(a);
            case "gelu_tanh" -> {
                if (Math.abs(a) > 1e5) {
                    yield a > 0 ? 1.0 : 0.0; // the limits (a³ would overflow: 0·∞)
                }
                double c = Math.sqrt(2.0 / Math.PI);
                double u = c * (a + 0.044715 * a * a * a);
                double th = Math.tanh(u);
                double du = c * (1.0 + 3.0 * 0.044715 * a * a);
                yield 0.5 * (1.0 + th) + 0.5 * a * (1.0 - th * th) * du;
            }
            case "silu" -> {
                double s = 1.0 / (1.0 + Math.exp(-a));
                yield s + a * s * (1.0 - s);
            }
            case "mish" -> {
                double sp = a > 30 ? a : Math.log1p(Math.exp(a));
                double th = Math.tanh(sp);
                double s = 1.0 / (1.0 + Math.exp(-a));
                yield th + a * (1.0 - th * th) * s;
            }
            case "softplus" -> 1.0 / (1.0 + Math.exp(-a));
            case "softsign" -> 1.0 / ((1.0 + Math.abs(a)) * (1.0 + Math.abs(a)));
            case "hardtanh" -> a > -1.0 && a < 1.0 ? 1.0 : 0.0;
            case "linear" -> 1.0;
            default -> throw new IllegalArgumentException("no independent derivative for " + act.id());
        };
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Sample standard deviation (ddof = 1). */
    static double sampleSd(double[] x) {
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    /** Row-major copy of a rectangular matrix. */
    static double[] flatten(double[][] m) {
        int cols = m[0].length;
        double[] out = new double[m.length * cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, out, r * cols, cols);
        }
        return out;
    }

    /**
     * The first public field in which two chain results differ, or null when every array is
     * bit-identical ({@link Arrays#equals(double[], double[])} compares bit patterns, NaN equal to NaN).
     */
    static String firstDifference(ChainResult x, ChainResult y) {
        for (Field f : ChainResult.class.getFields()) {
            try {
                Object u = f.get(x);
                Object v = f.get(y);
                boolean same = (u instanceof double[] du && v instanceof double[] dv) ? Arrays.equals(du, dv)
                        : (u instanceof long[] lu && v instanceof long[] lv) ? Arrays.equals(lu, lv)
                        : (u instanceof int[] iu && v instanceof int[] iv) ? Arrays.equals(iu, iv) : u.equals(v);
                if (!same) {
                    return f.getName();
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return null;
    }
}
