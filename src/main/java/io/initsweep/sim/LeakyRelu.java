package io.initsweep.sim;

/**
 * a for a &gt; 0, slope·a otherwise; default slope 0.01 (PyTorch {@code negative_slope}, JAX
 * {@code negative_slope}), in [0, 1] (a slope above 1 makes the negative side the steeper one).
 * Histogram window [−0.5, 5]: negative outputs are slope·a, small for the default slope.
 * calculate_gain: √(2/(1 + slope²)).
 */
public final class LeakyRelu extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final LeakyRelu INSTANCE = new LeakyRelu();

    private LeakyRelu() {
        super("leaky_relu", new SchemeParam("slope", 0.01, 0.0, 1.0, "the slope for a ≤ 0"), -0.5, 5.0,
                "a > 0 ? a : slope·a",
                "`nn.LeakyReLU` (0.01) / `LeakyReLU` layer (0.3), `tf.nn.leaky_relu` (0.2) / `jax.nn.leaky_relu` (0.01)");
    }

    @Override
    public boolean positivelyHomogeneous() {
        return true;
    }

    @Override
    public double gain(double param) {
        return Math.sqrt(2.0 / (1.0 + param * param));
    }

    static double phi(double a, double slope) {
        return a > 0 ? a : slope * a;
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {0.0};
    }

    @Override
    public double value(double a, double param) {
        return phi(a, param);
    }

    @Override
    public double derivative(double a, double param) {
        return a > 0 ? 1.0 : param;
    }

    /** d ⊙ {@link #derivative}, by a mask on the Vector API route (a random sign defeats a branch). */
    @Override
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
        if (Kernels.VECTOR_API) {
            VectorKernels.multiplyStep(a, d, n, param);
        } else {
            for (int i = 0; i < n; i++) {
                d[i] *= a[i] > 0 ? 1.0 : param;
            }
        }
    }

    @Override
    public double maxDerivative(double param) {
        return Math.max(1.0, param);
    }

    /** For a ≤ 0, φ' = slope; saturated there iff slope &lt; τ·max(1, slope); for a &gt; 0 iff 1 &lt; τ·max. */
    @Override
    public double[] saturationBand(double tau, double param) {
        double max = maxDerivative(param);
        boolean negativeSideSaturated = param < tau * max;
        boolean positiveSideSaturated = 1.0 < tau * max;
        double lo = negativeSideSaturated ? Double.MIN_VALUE : Double.NEGATIVE_INFINITY;
        double hi = positiveSideSaturated ? 0.0 : Double.POSITIVE_INFINITY;
        return new double[] {lo, hi};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = phi(a[i], param);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.leakyRelu(a, z, n, param);
    }

    /** In the catalogue at a value that differs from the default. */
    @Override
    public java.util.List<String> catalogue() {
        return java.util.List.of("{leaky_relu: {slope: 0.2}}");
    }
}
