package io.initsweep.sim;

/** tanh(a); tanh' = 1 − tanh², max 1 at 0. Histogram window [−1, 1], its range. calculate_gain: 5/3. */
public final class Tanh extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Tanh INSTANCE = new Tanh();

    private Tanh() {
        super("tanh", null, -1.0, 1.0, "tanh a", "`nn.Tanh` / `tanh` / `jnp.tanh`");
    }

    @Override
    public double gain(double param) {
        return 5.0 / 3.0;
    }

    @Override
    public double value(double a, double param) {
        return DetMath.tanh(a);
    }

    @Override
    public double derivative(double a, double param) {
        double t = DetMath.tanh(a);
        return 1.0 - t * t;
    }

    /** 1 − z², z = tanh a: {@link #derivative}'s bits without a second tanh. */
    @Override
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
        for (int i = 0; i < n; i++) {
            d[i] *= 1.0 - z[i] * z[i];
        }
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    /** 1 − tanh² &lt; τ ⇔ |a| &gt; atanh(√(1−τ)). */
    @Override
    public double[] saturationBand(double tau, double param) {
        double r = Math.sqrt(1.0 - tau);
        double cut = 0.5 * Math.log((1.0 + r) / (1.0 - r));
        return new double[] {-cut, cut};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = DetMath.tanh(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.tanh(a, z, n);
    }
}
