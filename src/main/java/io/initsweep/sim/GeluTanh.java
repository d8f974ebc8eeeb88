package io.initsweep.sim;

/**
 * The tanh form of GELU: 0.5·a·(1 + tanh(√(2/π)(a + 0.044715a³))) (PyTorch
 * {@code nn.GELU(approximate='tanh')}, the default of {@code jax.nn.gelu}); max φ' ≈ 1.128993 at ≈ 1.4185.
 * Histogram window [-0.5, 5.0]. max φ' is the top of the derivative's hump, found numerically once
 * (golden-section search on {@link #derivative}); the saturation band is found by bisection on
 * {@link #derivative} (see {@link ActivationBase#humpBand}).
 */
public final class GeluTanh extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final GeluTanh INSTANCE = new GeluTanh();

    private transient volatile Hump hump;

    private GeluTanh() {
        super("gelu_tanh", null, -0.5, 5.0, "½a(1 + tanh(√(2/π)(a + 0.044715a³)))", "`nn.GELU(approximate='tanh')` / `gelu(approximate=True)` / `jax.nn.gelu` default");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.geluTanh(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.geluTanhDerivative(a);
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
            z[i] = ActivationMath.geluTanh(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.geluTanh(a, z, n);
    }
}
