package io.initsweep.sim;

/**
 * min(max(a, 0), 6) (PyTorch {@code nn.ReLU6}, Howard et al. 2017); derivative 1 on (0, 6) and 0
 * elsewhere (PyTorch's {@code hardtanh_backward}), so the saturated set is a ≤ 0 or a ≥ 6 for
 * every τ. Histogram window [0, 6], its range.
 */
public final class Relu6 extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Relu6 INSTANCE = new Relu6();

    private Relu6() {
        super("relu6", null, 0.0, 6.0, "min(max(a, 0), 6)", "`nn.ReLU6` / `relu6` / `jax.nn.relu6`");
    }

    @Override
    public double zeroBelow(double param) {
        return 0.0;
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {0.0, 6.0};
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.relu6(a);
    }

    @Override
    public double derivative(double a, double param) {
        return a > 0.0 && a < 6.0 ? 1.0 : 0.0;
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    @Override
    public double[] saturationBand(double tau, double param) {
        return new double[] {Double.MIN_VALUE, Math.nextDown(6.0)};
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.relu6(a, z, n);
    }
}
