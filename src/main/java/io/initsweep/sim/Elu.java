package io.initsweep.sim;

/**
 * Clevert et al. 2016: a for a &gt; 0, α(e^a − 1) otherwise; derivative 1 and α·e^a (α at 0);
 * default α = 1 (PyTorch {@code nn.ELU(alpha=1.0)}, Keras, JAX), in [0, 1000] (α = 0 is relu with
 * a smooth positive side; the upper bound only keeps values finite-sized). Histogram window
 * [−α, 5]: its range [−α, ∞).
 */
public final class Elu extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Elu INSTANCE = new Elu();

    private Elu() {
        super("elu", new SchemeParam("alpha", 1.0, 0.0, 1000.0, "the negative saturation value −α"), -1.0, 5.0,
                "a > 0 ? a : α(e^a − 1)", "`nn.ELU` / `elu` / `jax.nn.elu` (all α = 1)");
    }

    /** −α when α &gt; 0 (−1 at the default). */
    @Override
    public double defaultHistogramLo(double param) {
        return param > 0 ? -param : defaultHistogramLo();
    }

    static double phi(double a, double alpha) {
        return a > 0 ? a : alpha * DetMath.expm1(a);
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {0.0};
    }

    @Override
    public double value(double a, double param) {
        return phi(a, param);
    }

    @Override
    public double derivative(double a, double param) {
        return a > 0 ? 1.0 : param * DetMath.exp(a);
    }

    @Override
    public double maxDerivative(double param) {
        return Math.max(1.0, param);
    }

    /** For a ≤ 0, φ' = α·e^a &lt; τM ⇔ a &lt; ln(τM/α), the whole side when α &lt; τM; for a &gt; 0, φ' = 1. */
    @Override
    public double[] saturationBand(double tau, double param) {
        return exponentialBand(param, 1.0, tau * maxDerivative(param));
    }

    /** φ' = negativeSlope·e^a for a ≤ 0 (a = −0 included) and positiveSlope for a &gt; 0; threshold t. */
    static double[] exponentialBand(double negativeSlope, double positiveSlope, double threshold) {
        double lo = negativeSlope < threshold ? Double.MIN_VALUE : Math.log(threshold / negativeSlope);
        double hi = positiveSlope < threshold ? 0.0 : Double.POSITIVE_INFINITY;
        return new double[] {lo, hi};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = phi(a[i], param);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.elu(a, z, n, param);
    }
}
