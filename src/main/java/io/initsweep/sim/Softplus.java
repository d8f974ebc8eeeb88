package io.initsweep.sim;

/**
 * ln(1 + e^a) (β = 1), computed exactly for every a; PyTorch's {@code nn.Softplus} returns a
 * itself above its {@code threshold=20}, a relative difference below 2·10⁻⁹ there. Derivative
 * σ(a), sup 1 (approached, not reached). Histogram window [0, 5]: range [0, ∞), window up to 5.
 */
public final class Softplus extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Softplus INSTANCE = new Softplus();

    private Softplus() {
        super("softplus", null, 0.0, 5.0, "ln(1 + e^a) (exact for every a; PyTorch returns a above 20)",
                "`nn.Softplus` / `softplus` / `jax.nn.softplus`");
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.softplus(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.sigmoid(a);
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    /** σ(a) &lt; τ ⇔ a &lt; logit(τ) = ln(τ/(1−τ)) (every finite a at τ = 1, as σ &lt; 1). */
    @Override
    public double[] saturationBand(double tau, double param) {
        return new double[] {Math.log(tau) - Math.log1p(-tau), Double.POSITIVE_INFINITY};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = ActivationMath.softplus(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.softplus(a, z, n);
    }
}
