package io.initsweep.sim;

/**
 * SiLU (Elfwing et al. 2018; Ramachandran et al. 2017): a·σ(a) (PyTorch {@code nn.SiLU});
 * max φ' ≈ 1.099839 at ≈ 2.3994; minimum −0.278.
 * Histogram window [-0.5, 5.0]. max φ' is the top of the derivative's hump, found numerically once
 * (golden-section search on {@link #derivative}); the saturation band is found by bisection on
 * {@link #derivative} (see {@link GatedActivation}).
 */
public final class Silu extends GatedActivation implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Silu INSTANCE = new Silu();

    private Silu() {
        super("silu", -0.5, 5.0, "a·σ(a) (swish with β = 1)", "`nn.SiLU` / `silu` / `jax.nn.silu`");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.silu(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.siluDerivative(a);
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.silu(a, z, n);
    }
}
