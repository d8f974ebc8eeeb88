package io.initsweep.sim;

/**
 * An x·gate(x) activation without a parameter (gelu, gelu_tanh, silu, mish): φ' is negative
 * left of its minimum, rises to one maximum and falls towards 1. The maximum and the saturation
 * band are found numerically once, from the scheme's own {@link #derivative} (see
 * {@link ActivationBase#humpBand}), and kept.
 */
abstract class GatedActivation extends ActivationBase {
    private static final long serialVersionUID = 1L;

    private transient volatile Hump hump;

    GatedActivation(String id, double histogramLo, double histogramHi, String formula, String frameworks) {
        super(id, null, histogramLo, histogramHi, formula, frameworks);
    }

    private Hump hump() {
        Hump h = hump;
        if (h == null) {
            h = new Hump(this, Double.NaN, 1.0);
            hump = h;
        }
        return h;
    }

    public final double maxDerivative(double param) {
        return hump().max;
    }

    public final double[] saturationBand(double tau, double param) {
        return humpBand(tau, Double.NaN, hump());
    }
}
