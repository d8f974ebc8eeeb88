package io.initsweep.sim;

/**
 * The identity (a deep linear network, Saxe et al. 2014); derivative 1, never saturated.
 * Histogram window [−5, 5], symmetric. calculate_gain: 1.
 */
public final class Linear extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Linear INSTANCE = new Linear();

    private Linear() {
        super("linear", java.util.List.of("identity"), null, -5.0, 5.0, "a", "`nn.Identity` / `linear` / identity");
    }

    @Override
    public boolean positivelyHomogeneous() {
        return true;
    }

    @Override
    public double gain(double param) {
        return 1.0;
    }

    @Override
    public double value(double a, double param) {
        return a;
    }

    @Override
    public double derivative(double a, double param) {
        return 1.0;
    }

    /** d ⊙ 1 = d, bit for bit: nothing to do. */
    @Override
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    /** Never: {−∞, +∞}. */
    @Override
    public double[] saturationBand(double tau, double param) {
        return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        System.arraycopy(a, 0, z, 0, n);
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.linear(a, z, n);
    }
}
