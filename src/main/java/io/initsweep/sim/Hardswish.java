package io.initsweep.sim;

/**
 * Howard et al. 2019 (MobileNetV3): a·relu6(a + 3)/6 (PyTorch {@code nn.Hardswish}, computed as
 * PyTorch does: a·min(max(a + 3, 0), 6)/6; −0 at −∞, the limit, where the product is NaN).
 * Derivative as PyTorch's {@code hardswish_backward}: 0 for a &lt; −3, a/3 + 1/2 on [−3, 3]
 * (−1/2 at −3), 1 above; max φ' = 3/2 at a = 3. Saturated: below the crossing of τ·3/2 on
 * [−3, 3] (bisection on {@link #derivative}), and above 3 when τ &gt; 2/3. Histogram window
 * [−0.5, 5] (the minimum is −3/8 at −3/2).
 */
public final class Hardswish extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Hardswish INSTANCE = new Hardswish();

    private Hardswish() {
        super("hardswish", null, -0.5, 5.0, "a·relu6(a + 3)/6",
                "`nn.Hardswish` / `hard_swish` (Keras 3) / `jax.nn.hard_swish`");
    }

    @Override
    public double zeroBelow(double param) {
        return -3.0;
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {-3.0, 3.0};
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.hardswish(a);
    }

    @Override
    public double derivative(double a, double param) {
        return a < -3.0 ? 0.0 : a <= 3.0 ? a / 3.0 + 0.5 : 1.0;
    }

    @Override
    public double maxDerivative(double param) {
        return 1.5;
    }

    @Override
    public double[] saturationBand(double tau, double param) {
        double threshold = tau * maxDerivative(param);
        double lo = firstAtLeast(-3.0, 3.0, threshold, param);
        double hi = 1.0 < threshold ? 3.0 : Double.POSITIVE_INFINITY;
        return new double[] {lo, hi};
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.hardswish(a, z, n);
    }
}
