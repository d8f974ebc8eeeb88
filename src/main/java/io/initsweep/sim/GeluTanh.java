package io.initsweep.sim;

/**
 * The tanh form of GELU: 0.5·a·(1 + tanh(√(2/π)(a + 0.044715a³))) (PyTorch
 * {@code nn.GELU(approximate='tanh')}, the default of {@code jax.nn.gelu}); max φ' ≈ 1.128993 at ≈ 1.4185.
 * Histogram window [-0.5, 5.0]. max φ' is the top of the derivative's hump, found numerically once
 * (golden-section search on {@link #derivative}); the saturation band is found by bisection on
 * {@link #derivative} (see {@link GatedActivation}).
 */
public final class GeluTanh extends GatedActivation implements Activation {
    private static final long serialVersionUID = 1L;
    public static final GeluTanh INSTANCE = new GeluTanh();

    private GeluTanh() {
        super("gelu_tanh", -0.5, 5.0, "½a(1 + tanh(√(2/π)(a + 0.044715a³)))", "`nn.GELU(approximate='tanh')` / `gelu(approximate=True)` / `jax.nn.gelu` default");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.geluTanh(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.geluTanhDerivative(a);
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.geluTanh(a, z, n);
    }
}
