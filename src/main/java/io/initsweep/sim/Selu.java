package io.initsweep.sim;

/**
 * Klambauer et al. 2017: λ·elu_α(a) with α = 1.6732632423543772848, λ = 1.0507009873554804934
 * (PyTorch {@code nn.SELU}); no parameter. Histogram window [−2, 5]: range [−λα, ∞) = [−1.758…, ∞).
 * calculate_gain: 3/4.
 */
public final class Selu extends ActivationBase implements Activation {
    private static final long serialVersionUID = 1L;
    public static final Selu INSTANCE = new Selu();

    private Selu() {
        super("selu", null, -2.0, 5.0,
                "λ·(a > 0 ? a : α(e^a − 1)), α = 1.6732632423543772848, λ = 1.0507009873554804934",
                "`nn.SELU` / `selu` / `jax.nn.selu`");
    }

    @Override
    public double gain(double param) {
        return 3.0 / 4.0;
    }

    static double phi(double a) {
        return a > 0 ? ActivationMath.SELU_SCALE * a : ActivationMath.SELU_SCALE_ALPHA * DetMath.expm1(a);
    }

    @Override
    public double[] kinks(double param) {
        return new double[] {0.0};
    }

    @Override
    public double value(double a, double param) {
        return phi(a);
    }

    @Override
    public double derivative(double a, double param) {
        return a > 0 ? ActivationMath.SELU_SCALE : ActivationMath.SELU_SCALE_ALPHA * DetMath.exp(a);
    }

    /** λα ≈ 1.7581, the slope at 0⁻. */
    @Override
    public double maxDerivative(double param) {
        return ActivationMath.SELU_SCALE_ALPHA;
    }

    /** As elu's with slopes λα and λ. */
    @Override
    public double[] saturationBand(double tau, double param) {
        return Elu.exponentialBand(ActivationMath.SELU_SCALE_ALPHA, ActivationMath.SELU_SCALE,
                tau * maxDerivative(param));
    }

    @Override
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = phi(a[i]);
        }
    }

    @Override
    public void applyVector(double param, double[] a, double[] z, int n) {
        VectorKernels.selu(a, z, n);
    }
}
