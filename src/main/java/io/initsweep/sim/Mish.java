package io.initsweep.sim;

/**
 * Misra 2019: a·tanh(softplus(a)) (PyTorch {@code nn.Mish}); max φ' ≈ 1.088498 at ≈ 1.4906;
 * minimum −0.309.
 * Histogram window [-0.5, 5.0]. max φ' is the top of the derivative's hump, found numerically once
 * (golden-section search on {@link #derivative}); the saturation band is found by bisection on
 * {@link #derivative} (see {@link GatedActivation}).
 */
public final class Mish extends GatedActivation implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Mish INSTANCE = new Mish();

    private Mish() {
        super("mish", -0.5, 5.0, "a·tanh(softplus a)", "`nn.Mish` / `mish` / `jax.nn.mish`");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.mish(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.mishDerivative(a);
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.mish(a, z, n);
    }
}
