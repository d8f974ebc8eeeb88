package io.initsweep.sim;

/**
 * The activation functions a sweep can use: value, derivative, the saturation band and the
 * default histogram range of each. A closed set: adding one is one constant here (the compiler
 * then lists every exhaustive switch to extend, in {@link Kernels}) plus its test.
 *
 * <p>Saturation follows the project definition: a pre-activation {@code a} is saturated when
 * {@code φ'(a) < τ · max φ'}. For every activation here that set is {@code a < lo} or
 * {@code a > hi} for two thresholds computed in closed form by {@link #saturationBand}, so the
 * statistics pass compares {@code a} with two numbers instead of evaluating φ'.
 */
public enum Activation {
    /** σ(a) = 1 / (1 + e^(−a)); σ' = σ(1 − σ), max 1/4 at 0. */
    SIGMOID("sigmoid", Double.NaN, 0.0, 1.0),
    /** tanh(a); tanh' = 1 − tanh², max 1 at 0. */
    TANH("tanh", Double.NaN, -1.0, 1.0),
    /** max(0, a); derivative 1 for a &gt; 0 and 0 for a ≤ 0 (PyTorch's choice at 0). */
    RELU("relu", Double.NaN, 0.0, 5.0),
    /** a for a &gt; 0, slope·a otherwise; default slope 0.01 (PyTorch {@code negative_slope}, JAX {@code negative_slope}). */
    LEAKY_RELU("leaky_relu", 0.01, -0.5, 5.0);

    private final String id;
    private final double defaultParam;
    private final double defaultLo;
    private final double defaultHi;

    Activation(String id, double defaultParam, double defaultLo, double defaultHi) {
        this.id = id;
        this.defaultParam = defaultParam;
        this.defaultLo = defaultLo;
        this.defaultHi = defaultHi;
    }

    /** The name used in job specs and output columns. */
    public String id() {
        return id;
    }

    /** Whether this activation takes a parameter (leaky_relu: its negative slope). */
    public boolean hasParam() {
        return !Double.isNaN(defaultParam);
    }

    /** The parameter's name in specs, or null. */
    public String paramName() {
        return switch (this) {
            case SIGMOID, TANH, RELU -> null;
            case LEAKY_RELU -> "slope";
        };
    }

    /** The default parameter (NaN when the activation has none). */
    public double defaultParam() {
        return defaultParam;
    }

    /** Default histogram range [lo, hi] of φ(a): the range of a bounded activation, a documented window otherwise. */
    public double defaultHistogramLo() {
        return defaultLo;
    }

    /** @see #defaultHistogramLo() */
    public double defaultHistogramHi() {
        return defaultHi;
    }

    /** Reference value φ(a) (scalar, for tests and the scalar fallback). */
    public double value(double a, double param) {
        return switch (this) {
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-a));
            case TANH -> Math.tanh(a);
            case RELU -> Math.max(a, 0.0);
            case LEAKY_RELU -> a > 0 ? a : param * a;
        };
    }

    /** Reference derivative φ'(a). */
    public double derivative(double a, double param) {
        return switch (this) {
            case SIGMOID -> {
                double s = value(a, param);
                yield s * (1.0 - s);
            }
            case TANH -> {
                double t = Math.tanh(a);
                yield 1.0 - t * t;
            }
            case RELU -> a > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> a > 0 ? 1.0 : param;
        };
    }

    /**
     * PyTorch's {@code torch.nn.init.calculate_gain} for this activation: sigmoid 1, tanh 5/3,
     * relu √2, leaky_relu √(2/(1+slope²)); NaN where calculate_gain has no value.
     */
    public double gain(double param) {
        return switch (this) {
            case SIGMOID -> 1.0;
            case TANH -> 5.0 / 3.0;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1.0 + param * param));
        };
    }

    /** max over a of φ'(a). */
    public double maxDerivative(double param) {
        return switch (this) {
            case SIGMOID -> 0.25;
            case TANH -> 1.0;
            case RELU -> 1.0;
            case LEAKY_RELU -> Math.max(1.0, param);
        };
    }

    /**
     * The set {a : φ'(a) &lt; τ · max φ'} as {@code a < band[0] || a > band[1]}, in closed form.
     *
     * <ul>
     *   <li>sigmoid: σ(1−σ) &lt; τ/4 ⇔ |a| &gt; ln(s/(1−s)) with s = (1 + √(1−τ))/2;</li>
     *   <li>tanh: 1 − tanh² &lt; τ ⇔ |a| &gt; atanh(√(1−τ));</li>
     *   <li>relu: φ' = 0 &lt; τ ⇔ a ≤ 0, i.e. a &lt; the smallest positive double;</li>
     *   <li>leaky_relu(slope): for a ≤ 0, φ' = slope; saturated there iff slope &lt; τ·max(1, slope).</li>
     * </ul>
     *
     * @param tau the threshold τ in (0, 1]
     */
    public double[] saturationBand(double tau, double param) {
        return switch (this) {
            case SIGMOID -> {
                double s = 0.5 * (1.0 + Math.sqrt(1.0 - tau));
                double cut = Math.log(s / (1.0 - s));
                yield new double[] {-cut, cut};
            }
            case TANH -> {
                double r = Math.sqrt(1.0 - tau);
                double cut = 0.5 * Math.log((1.0 + r) / (1.0 - r));
                yield new double[] {-cut, cut};
            }
            case RELU -> new double[] {Double.MIN_VALUE, Double.POSITIVE_INFINITY};
            case LEAKY_RELU -> {
                double max = maxDerivative(param);
                boolean negativeSideSaturated = param < tau * max;
                boolean positiveSideSaturated = 1.0 < tau * max;
                double lo = negativeSideSaturated ? Double.MIN_VALUE : Double.NEGATIVE_INFINITY;
                double hi = positiveSideSaturated ? 0.0 : Double.POSITIVE_INFINITY;
                yield new double[] {lo, hi};
            }
        };
    }

    /** Looks up an activation by its spec name; null if unknown. */
    public static Activation byId(String id) {
        for (Activation a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }

    /** The spec names, for error messages. */
    public static String ids() {
        StringBuilder sb = new StringBuilder();
        for (Activation a : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.id);
        }
        return sb.toString();
    }
}
