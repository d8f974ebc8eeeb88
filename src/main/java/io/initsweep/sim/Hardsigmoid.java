package io.initsweep.sim;

/**
 * relu6(a + 3)/6 (PyTorch {@code nn.Hardsigmoid}, computed as PyTorch does: min(max(a + 3, 0), 6)/6);
 * derivative 1/6 on (−3, 3) and 0 for |a| ≥ 3 (PyTorch's {@code hardsigmoid_backward}), so max
 * φ' = 1/6 and the saturated set is |a| ≥ 3 for every τ. Histogram window [0, 1], its range.
 */
public final class Hardsigmoid extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Hardsigmoid INSTANCE = new Hardsigmoid();

    private Hardsigmoid() {
        super("hardsigmoid", null, 0.0, 1.0, "relu6(a + 3)/6",
                "`nn.Hardsigmoid` / `hard_sigmoid` (Keras 3) / `jax.nn.hard_sigmoid`");
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
        return ActivationMath.hardsigmoid(a);
    }

    @Override
    public double derivative(double a, double param) {
        return a > -3.0 && a < 3.0 ? 1.0 / 6.0 : 0.0;
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0 / 6.0;
    }

    @Override
    public double[] saturationBand(double tau, double param) {
        return new double[] {Math.nextUp(-3.0), Math.nextDown(3.0)};
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.hardsigmoid(a, z, n);
    }
}
