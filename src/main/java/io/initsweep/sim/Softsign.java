package io.initsweep.sim;

/** a / (1 + |a|); derivative 1/(1 + |a|)², max 1 at 0 (PyTorch {@code nn.Softsign}). Histogram window [−1, 1], its range. */
public final class Softsign extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Softsign INSTANCE = new Softsign();

    private Softsign() {
        super("softsign", null, -1.0, 1.0, "a/(1 + |a|)", "`nn.Softsign` / `softsign` / `jax.nn.soft_sign`");
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {0.0};
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.softsign(a);
    }

    @Override
    public double derivative(double a, double param) {
        return ActivationMath.softsignDerivative(a);
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    /** 1/(1+|a|)² &lt; τ ⇔ |a| &gt; 1/√τ − 1. */
    @Override
    public double[] saturationBand(double tau, double param) {
        double cut = 1.0 / Math.sqrt(tau) - 1.0;
        return new double[] {-cut, cut};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = ActivationMath.softsign(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.softsign(a, z, n);
    }
}
