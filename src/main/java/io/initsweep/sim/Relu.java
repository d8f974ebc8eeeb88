package io.initsweep.sim;

/**
 * max(0, a); derivative 1 for a &gt; 0 and 0 for a ≤ 0 (PyTorch's choice at 0). Histogram window
 * [0, 5]: range [0, ∞), window up to 5. calculate_gain: √2.
 */
public final class Relu extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Relu INSTANCE = new Relu();

    private Relu() {
        super("relu", null, 0.0, 5.0, "max(a, 0)", "`nn.ReLU` / `relu` / `jax.nn.relu`");
    }

    @Override
    public boolean positivelyHomogeneous() {
        return true;
    }

    @Override
    public double gain(double param) {
        return Math.sqrt(2.0);
    }

    @Override
    public double zeroBelow(double param) {
        return 0.0;
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {0.0};
    }

    @Override
    public double value(double a, double param) {
        return Math.max(a, 0.0);
    }

    @Override
    public double derivative(double a, double param) {
        return a > 0 ? 1.0 : 0.0;
    }

    /** d ⊙ {@link #derivative}, by a mask on the Vector API route (a random sign defeats a branch). */
    @Override
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
        if (Kernels.VECTOR_API) {
            VectorKernels.multiplyStep(a, d, n, 0.0);
        } else {
            for (int i = 0; i < n; i++) {
                d[i] *= a[i] > 0 ? 1.0 : 0.0;
            }
        }
    }

    /** max(a, 0) of a float32 is a float32, and relu'(a) = (φ(a) &gt; 0 ? 1 : 0). */
    @Override
    public boolean exactInFloat32(double param) {
        return true;
    }

    @Override
    public void applyFloat32(double param, float[] a, float[] x, int n) {
        Kernels.relu32(a, x, n);
    }

    @Override
    public void multiplyDerivativeFloat32(double param, float[] x, float[] p, float[] d, int n) {
        Kernels.multiplyPositive32(x, p, d, n);
    }

    @Override
    public double maxDerivative(double param) {
        return 1.0;
    }

    /** φ' = 0 &lt; τ ⇔ a ≤ 0, i.e. a &lt; the smallest positive double. */
    @Override
    public double[] saturationBand(double tau, double param) {
        return new double[] {Double.MIN_VALUE, Double.POSITIVE_INFINITY};
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = Math.max(a[i], 0.0);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.relu(a, z, n);
    }
}
