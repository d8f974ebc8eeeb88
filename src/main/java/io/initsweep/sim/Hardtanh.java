package io.initsweep.sim;

/**
 * min(max(a, −1), 1); derivative 1 on (−1, 1) and 0 for |a| ≥ 1 (PyTorch {@code nn.Hardtanh}).
 * Histogram window [−1, 1], its range.
 */
public final class Hardtanh extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Hardtanh INSTANCE = new Hardtanh();

    private Hardtanh() {
        super("hardtanh", null, -1.0, 1.0, "clamp(a, −1, 1)", "`nn.Hardtanh` / `hard_tanh` / `jax.nn.hard_tanh`");
    }

    static double phi(double a) {
        return Math.min(Math.max(a, -1.0), 1.0);
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {-1.0, 1.0};
    }

    @Override
    public double value(double a, double param) {
        return phi(a);
    }

    @Override
    public double derivative(double a, double param) {
        return a <= -1.0 || a >= 1.0 ? 0.0 : 1.0;
    }

    /** d ⊙ {@link #derivative}, by a mask on the Vector API route. */
    @Override
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
        if (Kernels.VECTOR_API) {
            VectorKernels.multiplyInside(a, d, n);
        } else {
            for (int i = 0; i < n; i++) {
                double x = a[i];
                d[i] *= x <= -1.0 || x >= 1.0 ? 0.0 : 1.0;
            }
        }
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    /** φ' = 0 exactly for a ≤ −1 or a ≥ 1: band {nextUp(−1), nextDown(1)} for every τ. */
    @Override
    public double[] saturationBand(double tau, double param) {
        return new double[] {Math.nextUp(-1.0), Math.nextDown(1.0)};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = phi(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.hardtanh(a, z, n);
    }
}
