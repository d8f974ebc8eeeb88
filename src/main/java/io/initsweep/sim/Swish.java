package io.initsweep.sim;

/**
 * Swish (Ramachandran et al. 2017): a·σ(βa), β default 1 (where it is silu, which stays its own
 * scheme). φ'(a) = σ(βa)·(1 + βa·σ(−βa)), which is silu' at βa: the same maximum ≈ 1.099839, at
 * ≈ 2.3994/β, and the saturation band is silu's scaled by 1/β, found by bisection on
 * {@link #derivative} at the given β (see {@link GatedActivation}). Histogram window
 * [−0.5/min(1, β), 5] (the minimum is −0.2785/β). PyTorch and Keras have no β (their
 * {@code silu}/{@code swish} are β = 1): {@code x * torch.sigmoid(beta * x)}.
 */
public final class Swish extends GatedActivation implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Swish INSTANCE = new Swish();

    private Swish() {
        super("swish", new SchemeParam("beta", 1.0, 0.01, 100.0, "the gate's slope: β = 1 is silu, β → ∞ relu"),
                -0.5, 5.0, "a·σ(βa)", "`x * torch.sigmoid(beta * x)` / `swish` (β = 1) / `jax.nn.swish` (β = 1)");
    }

    @Override
    public double defaultHistogramLo(double param) {
        return -0.5 / Math.min(1.0, param);
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.swish(a, param);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.siluDerivative(param * a);
    }

    /** φ'(a) = silu'(βa): the hump of silu' stretched by 1/β. */
    @Override
    double humpScale(double param) {
        return 1.0 / param;
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.swish(a, z, n, param);
    }

    /** In the catalogue at a value that differs from the default. */
    @Override
    public java.util.List<String> catalogue() {
        return java.util.List.of("{swish: {beta: 2}}");
    }
}
