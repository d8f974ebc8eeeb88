package io.initsweep.sim;

/**
 * Hendrycks &amp; Gimpel 2016, exact form: a·Φ(a), Φ the standard normal cdf (PyTorch
 * {@code nn.GELU(approximate='none')}); derivative Φ(a) + a·φ(a), max ≈ 1.128904 at a = √2; minimum −0.170.
 * Histogram window [-0.5, 5.0]. max φ' is the top of the derivative's hump, found numerically once
 * (golden-section search on {@link #derivative}); the saturation band is found by bisection on
 * {@link #derivative} (see {@link GatedActivation}).
 */
public final class Gelu extends GatedActivation implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Gelu INSTANCE = new Gelu();

    private Gelu() {
        super("gelu", -0.5, 5.0, "a·Φ(a) (exact)", "`nn.GELU()` default / `gelu` default / `jax.nn.gelu(approximate=False)`");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.gelu(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.geluDerivative(a);
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.gelu(a, z, n);
    }
}
