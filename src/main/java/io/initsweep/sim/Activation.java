package io.initsweep.sim;

/**
 * The activation functions a sweep can use: value, derivative, the saturation band, the default
 * histogram range and PyTorch's recommended init gain of each. A closed set: adding one is one
 * constant here (the compiler then lists every exhaustive switch to extend, here and in
 * {@link Kernels}) plus its test.
 *
 * <p>Saturation follows the project definition: a pre-activation {@code a} is saturated when
 * {@code φ'(a) < τ · max φ'}. For every activation here that set is {@code a < lo} or
 * {@code a > hi} for two thresholds computed once by {@link #saturationBand} (in closed form
 * where one exists, by bisection otherwise), so the statistics pass compares {@code a} with two
 * numbers instead of evaluating φ'.
 *
 * <p>Derivatives at kinks follow PyTorch autograd: relu'(0) = 0, leaky_relu'(0) = slope,
 * elu'(0) = α and selu'(0) = λα (its {@code elu_backward} takes the x ≤ 0 branch at 0),
 * hardtanh'(±1) = 0.
 *
 * <p>Default histogram windows of φ(a) ({@link #defaultHistogramLo}, {@link #defaultHistogramHi}):
 * <table>
 *   <caption>default histogram range per activation</caption>
 *   <tr><th>activation</th><th>range</th><th>why</th></tr>
 *   <tr><td>sigmoid</td><td>[0, 1]</td><td>its range</td></tr>
 *   <tr><td>tanh, softsign, hardtanh</td><td>[−1, 1]</td><td>their range</td></tr>
 *   <tr><td>relu, softplus</td><td>[0, 5]</td><td>range [0, ∞), window up to 5</td></tr>
 *   <tr><td>leaky_relu</td><td>[−0.5, 5]</td><td>negative outputs are slope·a, small for the default slope</td></tr>
 *   <tr><td>elu</td><td>[−1, 5]</td><td>range [−α, ∞) at the default α = 1 (see {@link #defaultHistogramLo(double)})</td></tr>
 *   <tr><td>selu</td><td>[−2, 5]</td><td>range [−λα, ∞) = [−1.758…, ∞)</td></tr>
 *   <tr><td>gelu, gelu_tanh, silu, mish</td><td>[−0.5, 5]</td><td>minima −0.170, −0.170, −0.278, −0.309</td></tr>
 *   <tr><td>linear</td><td>[−5, 5]</td><td>symmetric window</td></tr>
 * </table>
 * Outputs outside the window are counted as underflow or overflow, so the counts always sum.
 */
public enum Activation implements SpecName {
    /** σ(a) = 1 / (1 + e^(−a)); σ' = σ(1 − σ), max 1/4 at 0. */
    SIGMOID("sigmoid", Double.NaN, 0.0, 1.0),
    /** tanh(a); tanh' = 1 − tanh², max 1 at 0. */
    TANH("tanh", Double.NaN, -1.0, 1.0),
    /** max(0, a); derivative 1 for a &gt; 0 and 0 for a ≤ 0 (PyTorch's choice at 0). */
    RELU("relu", Double.NaN, 0.0, 5.0),
    /** a for a &gt; 0, slope·a otherwise; default slope 0.01 (PyTorch {@code negative_slope}, JAX {@code negative_slope}). */
    LEAKY_RELU("leaky_relu", 0.01, -0.5, 5.0),
    /**
     * Clevert et al. 2016: a for a &gt; 0, α(e^a − 1) otherwise; derivative 1 and α·e^a (α at 0);
     * default α = 1 (PyTorch {@code nn.ELU(alpha=1.0)}, Keras, JAX).
     */
    ELU("elu", 1.0, -1.0, 5.0),
    /**
     * Klambauer et al. 2017: λ·elu_α(a) with α = 1.6732632423543772848, λ = 1.0507009873554804934
     * (PyTorch {@code nn.SELU}); no parameter.
     */
    SELU("selu", Double.NaN, -2.0, 5.0),
    /**
     * Hendrycks &amp; Gimpel 2016, exact form: a·Φ(a), Φ the standard normal cdf (PyTorch
     * {@code nn.GELU(approximate='none')}); derivative Φ(a) + a·φ(a), max at a = √2.
     */
    GELU("gelu", Double.NaN, -0.5, 5.0),
    /**
     * The tanh form of GELU: 0.5·a·(1 + tanh(√(2/π)(a + 0.044715a³))) (PyTorch
     * {@code nn.GELU(approximate='tanh')}, the default of {@code jax.nn.gelu}).
     */
    GELU_TANH("gelu_tanh", Double.NaN, -0.5, 5.0),
    /** SiLU / swish (Elfwing et al. 2018; Ramachandran et al. 2017): a·σ(a) (PyTorch {@code nn.SiLU}). */
    SILU("silu", Double.NaN, -0.5, 5.0),
    /** Misra 2019: a·tanh(softplus(a)) (PyTorch {@code nn.Mish}). */
    MISH("mish", Double.NaN, -0.5, 5.0),
    /**
     * ln(1 + e^a) (β = 1), computed exactly for every a; PyTorch's {@code nn.Softplus} returns a
     * itself above its {@code threshold=20}, a relative difference below 2·10⁻⁹ there.
     */
    SOFTPLUS("softplus", Double.NaN, 0.0, 5.0),
    /** a / (1 + |a|); derivative 1/(1 + |a|)² (PyTorch {@code nn.Softsign}). */
    SOFTSIGN("softsign", Double.NaN, -1.0, 1.0),
    /** min(max(a, −1), 1); derivative 1 on (−1, 1) and 0 for |a| ≥ 1 (PyTorch {@code nn.Hardtanh}). */
    HARDTANH("hardtanh", Double.NaN, -1.0, 1.0),
    /** The identity (a deep linear network, Saxe et al. 2014); derivative 1, never saturated. */
    LINEAR("linear", Double.NaN, -5.0, 5.0);

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
    @Override
    public String id() {
        return id;
    }

    /**
     * Whether φ(c·a) = c·φ(a) for every c &gt; 0 (relu, leaky_relu, linear): a bias-free network of
     * such layers scales exactly with its weights, layer l by the product of the first l scales.
     */
    public boolean positivelyHomogeneous() {
        return this == RELU || this == LEAKY_RELU || this == LINEAR;
    }

    /** Whether this activation takes a parameter (leaky_relu: its negative slope; elu: α). */
    public boolean hasParam() {
        return !Double.isNaN(defaultParam);
    }

    /** The parameter's name in specs, or null. */
    public String paramName() {
        return switch (this) {
            case SIGMOID, TANH, RELU, SELU, GELU, GELU_TANH, SILU, MISH, SOFTPLUS, SOFTSIGN, HARDTANH, LINEAR -> null;
            case LEAKY_RELU -> "slope";
            case ELU -> "alpha";
        };
    }

    /** The default parameter (NaN when the activation has none). */
    public double defaultParam() {
        return defaultParam;
    }

    /**
     * Smallest allowed parameter (NaN when there is none), for messages like
     * {@code grid.activation[2].elu.alpha must be in [0, 1000], found -1}: leaky_relu's slope in
     * [0, 1] (a slope above 1 makes the negative side the steeper one); elu's α in [0, 1000]
     * (α = 0 is relu with a smooth positive side; the upper bound only keeps values finite-sized).
     */
    public double paramMin() {
        return switch (this) {
            case SIGMOID, TANH, RELU, SELU, GELU, GELU_TANH, SILU, MISH, SOFTPLUS, SOFTSIGN, HARDTANH, LINEAR -> Double.NaN;
            case LEAKY_RELU, ELU -> 0.0;
        };
    }

    /** Largest allowed parameter (NaN when there is none); see {@link #paramMin}. */
    public double paramMax() {
        return switch (this) {
            case SIGMOID, TANH, RELU, SELU, GELU, GELU_TANH, SILU, MISH, SOFTPLUS, SOFTSIGN, HARDTANH, LINEAR -> Double.NaN;
            case LEAKY_RELU -> 1.0;
            case ELU -> 1000.0;
        };
    }

    /** Whether {@code param} is an allowed parameter: in [paramMin, paramMax], or NaN for an activation without one. */
    public boolean acceptsParam(double param) {
        return hasParam() ? param >= paramMin() && param <= paramMax() : Double.isNaN(param);
    }

    /** Default histogram range [lo, hi] of φ(a): the range of a bounded activation, a documented window otherwise (see the class javadoc). */
    public double defaultHistogramLo() {
        return defaultLo;
    }

    /**
     * The default lower edge for a given parameter: elu's outputs lie in [−α, ∞), so −α when α &gt; 0
     * (−1 at the default); every other activation's {@link #defaultHistogramLo()}.
     */
    public double defaultHistogramLo(double param) {
        return switch (this) {
            case SIGMOID, TANH, RELU, LEAKY_RELU, SELU, GELU, GELU_TANH, SILU, MISH, SOFTPLUS, SOFTSIGN, HARDTANH, LINEAR -> defaultLo;
            case ELU -> param > 0 ? -param : defaultLo;
        };
    }

    /** @see #defaultHistogramLo() */
    public double defaultHistogramHi() {
        return defaultHi;
    }

    /**
     * PyTorch's recommended gain, {@code torch.nn.init.calculate_gain}: linear 1, sigmoid 1,
     * tanh 5/3, relu √2, leaky_relu √(2/(1 + slope²)), selu 3/4. NaN for the activations
     * calculate_gain does not support (it raises "Unsupported nonlinearity"): elu, gelu,
     * gelu_tanh, silu, mish, softplus, softsign, hardtanh. A spec asking for {@code gain: auto}
     * with one of those must be refused rather than given a number PyTorch would not give.
     */
    public double gain(double param) {
        return switch (this) {
            case LINEAR, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3.0;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1.0 + param * param));
            case SELU -> 3.0 / 4.0;
            case ELU, GELU, GELU_TANH, SILU, MISH, SOFTPLUS, SOFTSIGN, HARDTANH -> Double.NaN;
        };
    }

    /** Reference value φ(a) (scalar, for tests and the scalar fallback). */
    public double value(double a, double param) {
        return switch (this) {
            case SIGMOID -> 1.0 / (1.0 + DetMath.exp(-a));
            case TANH -> DetMath.tanh(a);
            case RELU -> Math.max(a, 0.0);
            case LEAKY_RELU -> a > 0 ? a : param * a;
            case ELU -> a > 0 ? a : param * DetMath.expm1(a);
            case SELU -> a > 0 ? ActivationMath.SELU_SCALE * a : ActivationMath.SELU_SCALE_ALPHA * DetMath.expm1(a);
            case GELU -> ActivationMath.gelu(a);
            case GELU_TANH -> ActivationMath.geluTanh(a);
            case SILU -> ActivationMath.silu(a);
            case MISH -> ActivationMath.mish(a);
            case SOFTPLUS -> ActivationMath.softplus(a);
            case SOFTSIGN -> ActivationMath.softsign(a);
            case HARDTANH -> Math.min(Math.max(a, -1.0), 1.0);
            case LINEAR -> a;
        };
    }

    /** Reference derivative φ'(a), with PyTorch's choices at the kinks (see the class javadoc). */
    public double derivative(double a, double param) {
        return switch (this) {
            case SIGMOID -> {
                double s = value(a, param);
                yield s * (1.0 - s);
            }
            case TANH -> {
                double t = DetMath.tanh(a);
                yield 1.0 - t * t;
            }
            case RELU -> a > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> a > 0 ? 1.0 : param;
            case ELU -> a > 0 ? 1.0 : param * DetMath.exp(a);
            case SELU -> a > 0 ? ActivationMath.SELU_SCALE : ActivationMath.SELU_SCALE_ALPHA * DetMath.exp(a);
            case GELU -> ActivationMath.geluDerivative(a);
            case GELU_TANH -> ActivationMath.geluTanhDerivative(a);
            case SILU -> ActivationMath.siluDerivative(a);
            case MISH -> ActivationMath.mishDerivative(a);
            case SOFTPLUS -> ActivationMath.sigmoid(a);
            case SOFTSIGN -> ActivationMath.softsignDerivative(a);
            case HARDTANH -> a <= -1.0 || a >= 1.0 ? 0.0 : 1.0;
            case LINEAR -> 1.0;
        };
    }

    /**
     * sup over a of φ'(a): 1/4 for sigmoid; 1 for tanh, relu, softplus (approached, not reached),
     * softsign, hardtanh, linear; max(1, slope) for leaky_relu; max(1, α) for elu; λα ≈ 1.7581 for
     * selu; and for the x·gate(x) activations the top of their derivative's hump, found
     * numerically once (golden-section search on {@link #derivative}): gelu ≈ 1.128904 at √2,
     * gelu_tanh ≈ 1.128993 at ≈ 1.4185, silu ≈ 1.099839 at ≈ 2.3994, mish ≈ 1.088498 at ≈ 1.4906.
     */
    public double maxDerivative(double param) {
        return switch (this) {
            case SIGMOID -> 0.25;
            case TANH -> 1.0;
            case RELU -> 1.0;
            case LEAKY_RELU -> Math.max(1.0, param);
            case ELU -> Math.max(1.0, param);
            case SELU -> ActivationMath.SELU_SCALE_ALPHA;
            case GELU, GELU_TANH, SILU, MISH -> hump().max;
            case SOFTPLUS, SOFTSIGN, HARDTANH, LINEAR -> 1.0;
        };
    }

    /**
     * The set {a : φ'(a) &lt; τ · max φ'} as {@code a < band[0] || a > band[1]}.
     *
     * <ul>
     *   <li>sigmoid: σ(1−σ) &lt; τ/4 ⇔ |a| &gt; ln(s/(1−s)) with s = (1 + √(1−τ))/2;</li>
     *   <li>tanh: 1 − tanh² &lt; τ ⇔ |a| &gt; atanh(√(1−τ));</li>
     *   <li>relu: φ' = 0 &lt; τ ⇔ a ≤ 0, i.e. a &lt; the smallest positive double;</li>
     *   <li>leaky_relu(slope): for a ≤ 0, φ' = slope; saturated there iff slope &lt; τ·max(1, slope);</li>
     *   <li>elu(α), selu: for a ≤ 0, φ' = c·e^a (c = α, resp. λα) &lt; τM ⇔ a &lt; ln(τM/c), the
     *       whole side when c &lt; τM; for a &gt; 0, φ' = 1 (resp. λ), saturated iff below τM;</li>
     *   <li>softplus: σ(a) &lt; τ ⇔ a &lt; logit(τ) = ln(τ/(1−τ)) (every finite a at τ = 1, as σ &lt; 1);</li>
     *   <li>softsign: 1/(1+|a|)² &lt; τ ⇔ |a| &gt; 1/√τ − 1;</li>
     *   <li>hardtanh: φ' = 0 exactly for a ≤ −1 or a ≥ 1: band {nextUp(−1), nextDown(1)} for every τ;</li>
     *   <li>linear: never, {−∞, +∞};</li>
     *   <li>gelu, gelu_tanh, silu, mish: φ' is negative on (−∞, m), rises on [m, M] to its maximum
     *       and falls on [M, ∞) towards 1 (m, M the arg min and arg max of φ'). The lower cut is the
     *       crossing of τ·max φ' on [m, M]; the upper cut exists only when τ·max φ' &gt; 1 (τ above
     *       0.8858 for gelu and gelu_tanh, 0.9092 for silu, 0.9187 for mish), where φ' falls below
     *       it again beyond M. Both are found by bisection
     *       over the doubles (64 steps on their bit patterns) on {@link #derivative}, so each cut
     *       is the double where that computed φ' crosses the threshold.</li>
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
            case ELU -> exponentialBand(param, 1.0, tau * maxDerivative(param));
            case SELU -> exponentialBand(ActivationMath.SELU_SCALE_ALPHA, ActivationMath.SELU_SCALE, tau * maxDerivative(param));
            case SOFTPLUS -> new double[] {Math.log(tau) - Math.log1p(-tau), Double.POSITIVE_INFINITY};
            case SOFTSIGN -> {
                double cut = 1.0 / Math.sqrt(tau) - 1.0;
                yield new double[] {-cut, cut};
            }
            case HARDTANH -> new double[] {Math.nextUp(-1.0), Math.nextDown(1.0)};
            case LINEAR -> new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
            case GELU, GELU_TANH, SILU, MISH -> humpBand(tau);
        };
    }

    /**
     * φ' = negativeSlope·e^a for a ≤ 0 (a = −0 included) and positiveSlope for a &gt; 0; threshold t.
     */
    private static double[] exponentialBand(double negativeSlope, double positiveSlope, double threshold) {
        double lo = negativeSlope < threshold ? Double.MIN_VALUE : Math.log(threshold / negativeSlope);
        double hi = positiveSlope < threshold ? 0.0 : Double.POSITIVE_INFINITY;
        return new double[] {lo, hi};
    }

    private double[] humpBand(double tau) {
        Hump h = hump();
        double threshold = tau * h.max;
        double lo = firstAtLeast(h.argMin, h.argMax, threshold);
        // beyond the arg max φ' falls towards its limit 1 from above: below the threshold only if that is above 1
        double hi = threshold <= 1.0 ? Double.POSITIVE_INFINITY : lastAtLeast(h.argMax, Hump.FAR, threshold);
        return new double[] {lo, hi};
    }

    /** The smallest double a in (lo, hi] with derivative(a) ≥ t, given derivative(lo) &lt; t ≤ derivative(hi), φ' rising. */
    private double firstAtLeast(double lo, double hi, double t) {
        long l = order(lo);
        long h = order(hi);
        // h − l counts doubles and may exceed Long.MAX_VALUE across zero: unsigned arithmetic
        while (Long.compareUnsigned(h - l, 1) > 0) {
            long mid = l + ((h - l) >>> 1);
            if (derivative(unorder(mid), Double.NaN) >= t) {
                h = mid;
            } else {
                l = mid;
            }
        }
        return unorder(h);
    }

    /** The largest double a in [lo, hi) with derivative(a) ≥ t, given derivative(lo) ≥ t &gt; derivative(hi), φ' falling. */
    private double lastAtLeast(double lo, double hi, double t) {
        long l = order(lo);
        long h = order(hi);
        while (Long.compareUnsigned(h - l, 1) > 0) {
            long mid = l + ((h - l) >>> 1);
            if (derivative(unorder(mid), Double.NaN) >= t) {
                l = mid;
            } else {
                h = mid;
            }
        }
        return unorder(l);
    }

    /** Doubles as longs in the same order (−0 just below +0), so bisection can halve the count of doubles between. */
    private static long order(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    private static double unorder(long key) {
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    private Hump hump() {
        return switch (this) {
            case GELU -> Humps.GELU;
            case GELU_TANH -> Humps.GELU_TANH;
            case SILU -> Humps.SILU;
            case MISH -> Humps.MISH;
            case SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SELU, SOFTPLUS, SOFTSIGN, HARDTANH, LINEAR ->
                    throw new IllegalStateException(id + " has no derivative hump");
        };
    }

    /**
     * Where the derivative of an x·gate(x) activation has its minimum (negative) and maximum, and
     * the maximum itself, found by golden-section search on the computed derivative; the maximum
     * is the largest value of {@link #derivative} seen, so the band at τ = 1 is never empty.
     */
    private static final class Hump {
        /** A point far right where φ' has fallen to 1 (below any threshold above 1). */
        static final double FAR = 40.0;

        final double argMin;
        final double argMax;
        final double max;

        private Hump(Activation act) {
            this.argMin = goldenSection(act, -6.0, 0.0, -1.0);
            double x = goldenSection(act, 0.0, 4.0, 1.0);
            double best = act.derivative(x, Double.NaN);
            double bestX = x;
            // the top is flat to about √ε: take the largest computed value near it
            for (int k = -64; k <= 64; k++) {
                double xi = x + k * 1e-9;
                double d = act.derivative(xi, Double.NaN);
                if (d > best) {
                    best = d;
                    bestX = xi;
                }
            }
            this.argMax = bestX;
            this.max = best;
        }

        /** The arg max of sign·φ' on [lo, hi] (φ' unimodal there), to a bracket of 10⁻¹². */
        private static double goldenSection(Activation act, double lo, double hi, double sign) {
            final double r = (Math.sqrt(5.0) - 1.0) / 2.0;
            double a = lo;
            double b = hi;
            double c = b - r * (b - a);
            double d = a + r * (b - a);
            double fc = sign * act.derivative(c, Double.NaN);
            double fd = sign * act.derivative(d, Double.NaN);
            while (b - a > 1e-12) {
                if (fc > fd) {
                    b = d;
                    d = c;
                    fd = fc;
                    c = b - r * (b - a);
                    fc = sign * act.derivative(c, Double.NaN);
                } else {
                    a = c;
                    c = d;
                    fc = fd;
                    d = a + r * (b - a);
                    fd = sign * act.derivative(d, Double.NaN);
                }
            }
            return 0.5 * (a + b);
        }
    }

    /** Computed on first use, after the enum constants exist. */
    private static final class Humps {
        static final Hump GELU = new Hump(Activation.GELU);
        static final Hump GELU_TANH = new Hump(Activation.GELU_TANH);
        static final Hump SILU = new Hump(Activation.SILU);
        static final Hump MISH = new Hump(Activation.MISH);
    }

    /** Looks up an activation by its spec name; null if unknown. */
    public static Activation byId(String id) {
        return SpecName.byId(values(), id);
    }

    /** The spec names, for error messages. */
    public static String ids() {
        return SpecName.ids(values());
    }
}
