package io.initsweep.sim;

/**
 * σ(a) = 1 / (1 + e^(−a)); σ' = σ(1 − σ), max 1/4 at 0. Histogram window [0, 1], its range.
 * calculate_gain: 1.
 */
public final class Sigmoid extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Sigmoid INSTANCE = new Sigmoid();

    private Sigmoid() {
        super("sigmoid", java.util.List.of("logistic"), null, 0.0, 1.0, "1/(1+e^−a)", "`nn.Sigmoid` / `sigmoid` / `jax.nn.sigmoid`");
    }

    @Override
    public double gain(double param) {
        return 1.0;
    }

    @Override
    public double value(double a, double param) {
        return ActivationMath.sigmoid(a);
    }

    @Override
    public double derivative(double a, double param) {
        double s = value(a, param);
        return s * (1.0 - s);
    }

    /** z(1 − z), z = σ(a): {@link #derivative}'s bits without a second σ. */
    @Override
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
        for (int i = 0; i < n; i++) {
            d[i] *= z[i] * (1.0 - z[i]);
        }
    }

    @Override
    public double maxDerivative(double param) {
        return 0.25;
    }

    /** σ(1−σ) &lt; τ/4 ⇔ |a| &gt; ln(s/(1−s)) with s = (1 + √(1−τ))/2. */
    @Override
    public double[] saturationBand(double tau, double param) {
        double s = 0.5 * (1.0 + Math.sqrt(1.0 - tau));
        double cut = Math.log(s / (1.0 - s));
        return new double[] {-cut, cut};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = ActivationMath.sigmoid(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.sigmoid(a, z, n);
    }
}
