package io.initsweep.sim;

/**
 * Hendrycks &amp; Gimpel 2016, exact form: a·Φ(a), Φ the standard normal cdf (PyTorch
 * {@code nn.GELU(approximate='none')}); derivative Φ(a) + a·φ(a), max ≈ 1.128904 at a = √2; minimum −0.170.
 * Histogram window [-0.5, 5.0]. max φ' is the top of the derivative's hump, found numerically once
 * (golden-section search on {@link #derivative}); the saturation band is found by bisection on
 * {@link #derivative} (see {@link ActivationBase#humpBand}).
 */
public final class Gelu extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Gelu INSTANCE = new Gelu();

    private transient volatile Hump hump;

    private Gelu() {
        super("gelu", null, -0.5, 5.0, "a·Φ(a) (exact)", "`nn.GELU()` default / `gelu` default / `jax.nn.gelu(approximate=False)`");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.gelu(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.geluDerivative(a);
    }

    private Hump hump() {
        Hump h = hump;
        if (h == null) {
            h = new Hump(this, Double.NaN, 1.0);
            hump = h;
        }
        return h;
    }

    @Override
    public double maxDerivative(double param) {
        return hump().max;
    }

    @Override
    public double[] saturationBand(double tau, double param) {
        return humpBand(tau, Double.NaN, hump());
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = ActivationMath.gelu(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.gelu(a, z, n);
    }
}
