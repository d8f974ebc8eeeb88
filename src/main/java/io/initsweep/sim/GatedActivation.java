package io.initsweep.sim;

/**
 * An x·gate(x) activation (gelu, gelu_tanh, silu, mish, swish): φ' is negative left of its
 * minimum, rises to one maximum and falls towards 1. The maximum and the saturation band are
 * found numerically, from the scheme's own {@link #derivative} (see
 * {@link ActivationBase#humpBand}), once per parameter, and kept; a subclass gives only its
 * formulas, its kernel and, if it takes a parameter that stretches the hump, {@link #humpScale}.
 */
abstract class GatedActivation extends ActivationBase {
    private static final long serialVersionUID = 1L;

    /** The last parameter's derivative hump: a sweep asks for a handful of parameters, each many times. */
    private transient volatile ParamHump last;

    private record ParamHump(double param, Hump hump) {}

    GatedActivation(String id, double histogramLo, double histogramHi, String formula, String frameworks) {
        this(id, null, histogramLo, histogramHi, formula, frameworks);
    }

    GatedActivation(String id, SchemeParam parameter, double histogramLo, double histogramHi, String formula,
            String frameworks) {
        super(id, parameter, histogramLo, histogramHi, formula, frameworks);
    }

    /** How far the hump of φ' stretches at {@code param}, relative to its search window at 1 (swish: 1/β). */
    double humpScale(double param) {
        return 1.0;
    }

    /** The parameter the hump is computed at: {@code param}, or NaN for a scheme without one. */
    private double humpParam(double param) {
        return hasParam() ? param : Double.NaN;
    }

    private Hump hump(double param) {
        ParamHump h = last;
        if (h == null || Double.doubleToLongBits(h.param()) != Double.doubleToLongBits(param)) {
            h = new ParamHump(param, new Hump(this, param, humpScale(param)));
            last = h;
        }
        return h.hump();
    }

    public final double maxDerivative(double param) {
        return hump(humpParam(param)).max;
    }

    public final double[] saturationBand(double tau, double param) {
        double p = humpParam(param);
        return humpBand(tau, p, hump(p));
    }
}
