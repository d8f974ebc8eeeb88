package io.initsweep.sim;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.statistics.distribution.TruncatedNormalDistribution;

/**
 * One initializer with every parameter resolved: what a chain needs to draw its weights.
 * Fields an initializer does not use are NaN (numbers), null (enums) or 0 ({@code lsuvMaxIter});
 * the compact constructor rejects any other combination. {@link #of} and {@link #defaults}
 * build one from spec parameters and fill the frameworks' defaults.
 *
 * @param init the initializer
 * @param std the grid's std axis value for {@link Init#usesStdAxis()} inits; NaN otherwise
 * @param value constant: its value; ones: 1.0; identity: its factor; NaN otherwise
 * @param gain xavier_*, kaiming_*, orthogonal: the resolved gain; lsuv: 1.0; NaN otherwise
 * @param scale variance-scaling family: the scale, std² = scale / n (PyTorch members: gain²); NaN otherwise
 * @param mode variance-scaling family: which fan n is; null otherwise
 * @param distribution variance-scaling family: the distribution of the weights; null otherwise
 * @param lo truncated_normal: the absolute lower cutoff a; NaN otherwise
 * @param hi truncated_normal: the absolute upper cutoff b; NaN otherwise
 * @param sparsity sparse: the share of each input unit's weights set to 0, in [0, 1]; NaN otherwise
 * @param lsuvTol lsuv: the tolerance on |Var(A) − 1| of each layer's pre-activation; NaN otherwise
 * @param lsuvMaxIter lsuv: the most rescalings per layer; 0 otherwise
 */
public record InitParams(
        Init init,
        double std,
        double value,
        double gain,
        double scale,
        FanMode mode,
        Distribution distribution,
        double lo,
        double hi,
        double sparsity,
        double lsuvTol,
        int lsuvMaxIter)
        implements Serializable {

    /** PyTorch's default gain of kaiming_*: calculate_gain('leaky_relu', a = 0) = √(2/(1 + 0²)). */
    public static final double KAIMING_DEFAULT_GAIN = Math.sqrt(2.0);
    /** PyTorch trunc_normal_'s default cutoffs a = −2, b = 2. */
    public static final double TRUNCATED_DEFAULT_LO = -2.0;
    /** See {@link #TRUNCATED_DEFAULT_LO}. */
    public static final double TRUNCATED_DEFAULT_HI = 2.0;
    /** LSUV's default tolerance (Mishkin &amp; Matas; LSUV-pytorch std_tol). */
    public static final double LSUV_DEFAULT_TOL = 0.1;
    /** LSUV's default iteration cap (Mishkin &amp; Matas; LSUV-pytorch max_attempts). */
    public static final int LSUV_DEFAULT_MAX_ITER = 10;
    /** The largest LSUV max_iter a spec may ask for (each rescaling is one more matrix product per layer). */
    public static final int LSUV_MAX_ITER_LIMIT = 1000;

    /** Which fan the variance-scaling denominator n is (Keras/JAX {@code mode}). */
    public enum FanMode implements SpecName {
        /** n = fan_in: preserves the forward pass's variance. */
        FAN_IN("fan_in"),
        /** n = fan_out: preserves the backward pass's variance. */
        FAN_OUT("fan_out"),
        /** n = (fan_in + fan_out)/2: Glorot's compromise. */
        FAN_AVG("fan_avg");

        private final String id;

        FanMode(String id) {
            this.id = id;
        }

        /** The spec name. */
        @Override
        public String id() {
            return id;
        }

        /** n for a layer of this shape. */
        public double fan(int fanIn, int fanOut) {
            return switch (this) {
                case FAN_IN -> fanIn;
                case FAN_OUT -> fanOut;
                case FAN_AVG -> (fanIn + (double) fanOut) / 2.0;
            };
        }

        /** Looks a mode up by its spec name; null if unknown. */
        public static FanMode byId(String id) {
            return SpecName.byId(values(), id);
        }

        /** The spec names, for error messages. */
        public static String ids() {
            return SpecName.ids(values());
        }
    }

    /**
     * The distribution of a variance-scaling initializer's weights, each with std s = √(scale/n).
     * Note: Keras's VarianceScaling reads "normal" as truncated_normal and calls the untruncated
     * one "untruncated_normal"; the names here are JAX's.
     */
    public enum Distribution implements SpecName {
        /** N(0, s²). */
        NORMAL("normal"),
        /** s·Z/0.87962566103423978, Z ~ N(0, 1) restricted to (−2, 2): std s. */
        TRUNCATED_NORMAL("truncated_normal"),
        /** U(−√3·s, √3·s). */
        UNIFORM("uniform");

        private final String id;

        Distribution(String id) {
            this.id = id;
        }

        /** The spec name. */
        @Override
        public String id() {
            return id;
        }

        /** Looks a distribution up by its spec name; null if unknown. */
        public static Distribution byId(String id) {
            return SpecName.byId(values(), id);
        }

        /** The spec names, for error messages. */
        public static String ids() {
            return SpecName.ids(values());
        }
    }

    public InitParams {
        Objects.requireNonNull(init, "init");
        String id = init.id();
        // std: the grid's std axis
        if (init.usesStdAxis()) {
            Check.argument(Double.isFinite(std) && std > 0, "%s: std must be finite and > 0, found %s", id, std);
        } else {
            Check.argument(Double.isNaN(std), "%s: std must be NaN (the init does not use the std axis), found %s", id, std);
        }
        // value: constant's value, ones' 1, identity's factor (switch expressions: a new init without a case does not compile)
        boolean valueChecked = switch (init) {
            case CONSTANT, IDENTITY -> Check.argument(Double.isFinite(value), "%s: value must be finite, found %s", id, value);
            case ONES -> Check.argument(value == 1.0, "%s: value must be 1, found %s", id, value);
            case NORMAL, UNIFORM, TRUNCATED_NORMAL, SPARSE, ZEROS, VARIANCE_SCALING, XAVIER_NORMAL, XAVIER_UNIFORM,
                    KAIMING_NORMAL, KAIMING_UNIFORM, GLOROT_NORMAL, GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL,
                    LECUN_UNIFORM, ORTHOGONAL, LSUV -> Check.argument(Double.isNaN(value), "%s: value must be NaN, found %s", id, value);
        };
        // gain: PyTorch's scaling factor
        boolean gainChecked = switch (init) {
            case XAVIER_NORMAL, XAVIER_UNIFORM, KAIMING_NORMAL, KAIMING_UNIFORM, ORTHOGONAL ->
                    Check.argument(Double.isFinite(gain) && gain > 0, "%s: gain must be finite and > 0, found %s", id, gain);
            case LSUV -> Check.argument(gain == 1.0, "%s: gain must be 1 (LSUV starts from an orthonormal matrix), found %s", id, gain);
            case NORMAL, UNIFORM, TRUNCATED_NORMAL, SPARSE, ZEROS, ONES, CONSTANT, VARIANCE_SCALING, GLOROT_NORMAL,
                    GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL, LECUN_UNIFORM, IDENTITY ->
                    Check.argument(Double.isNaN(gain), "%s: gain must be NaN, found %s", id, gain);
        };
        // scale, mode, distribution: the variance-scaling family
        if (init.isVarianceScaling()) {
            Check.argument(Double.isFinite(scale) && scale > 0, "%s: scale must be finite and > 0, found %s", id, scale);
            Check.argument(mode != null, "%s: mode must be one of %s, found null", id, FanMode.ids());
            Check.argument(distribution != null, "%s: distribution must be one of %s, found null", id, Distribution.ids());
            checkVarianceScalingMember(init, gain, scale, mode, distribution);
        } else {
            Check.argument(Double.isNaN(scale), "%s: scale must be NaN, found %s", id, scale);
            Check.argument(mode == null, "%s: mode must be null, found %s", id, mode);
            Check.argument(distribution == null, "%s: distribution must be null, found %s", id, distribution);
        }
        // lo, hi: truncated_normal's absolute cutoffs
        if (init == Init.TRUNCATED_NORMAL) {
            Check.argument(!Double.isNaN(lo) && !Double.isNaN(hi), "%s: cutoffs a and b must be numbers, found a = %s, b = %s", id, lo, hi);
            Check.argument(lo < hi, "%s: cutoff a must be < b, found a = %s, b = %s", id, lo, hi);
            try {
                TruncatedNormalDistribution.of(0.0, std, lo, hi);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(id + ": N(0, " + std + "²) has no probability mass a double can hold on ["
                        + lo + ", " + hi + "]");
            }
        } else {
            Check.argument(Double.isNaN(lo) && Double.isNaN(hi), "%s: cutoffs must be NaN, found a = %s, b = %s", id, lo, hi);
        }
        if (init == Init.SPARSE) {
            Check.argument(sparsity >= 0 && sparsity <= 1, "%s: sparsity must be in [0, 1], found %s", id, sparsity);
        } else {
            Check.argument(Double.isNaN(sparsity), "%s: sparsity must be NaN, found %s", id, sparsity);
        }
        if (init == Init.LSUV) {
            Check.argument(Double.isFinite(lsuvTol) && lsuvTol > 0, "%s: tol must be finite and > 0, found %s", id, lsuvTol);
            Check.argument(lsuvMaxIter >= 1, "%s: max_iter must be >= 1, found %s", id, lsuvMaxIter);
        } else {
            Check.argument(Double.isNaN(lsuvTol), "%s: tol must be NaN, found %s", id, lsuvTol);
            Check.argument(lsuvMaxIter == 0, "%s: max_iter must be 0, found %s", id, lsuvMaxIter);
        }
    }

    /** The fixed (scale, mode, distribution) of the named members, and gain² = scale for PyTorch's. */
    private static void checkVarianceScalingMember(Init init, double gain, double scale, FanMode mode, Distribution d) {
        String id = init.id();
        boolean checked = switch (init) {
            case VARIANCE_SCALING -> true;
            case XAVIER_NORMAL, XAVIER_UNIFORM -> {
                Check.argument(scale == gain * gain, "%s: scale must be gain² = %s, found %s", id, gain * gain, scale);
                Check.argument(mode == FanMode.FAN_AVG, "%s: mode must be fan_avg, found %s", id, mode.id());
                Distribution expected = init == Init.XAVIER_NORMAL ? Distribution.NORMAL : Distribution.UNIFORM;
                yield Check.argument(d == expected, "%s: distribution must be %s, found %s", id, expected.id(), d.id());
            }
            case KAIMING_NORMAL, KAIMING_UNIFORM -> {
                Check.argument(scale == gain * gain, "%s: scale must be gain² = %s, found %s", id, gain * gain, scale);
                Check.argument(mode != FanMode.FAN_AVG, "%s: mode must be fan_in or fan_out (PyTorch has no fan_avg here), found %s", id,
                        mode.id());
                Distribution expected = init == Init.KAIMING_NORMAL ? Distribution.NORMAL : Distribution.UNIFORM;
                yield Check.argument(d == expected, "%s: distribution must be %s, found %s", id, expected.id(), d.id());
            }
            case GLOROT_NORMAL -> checkFixed(id, scale, mode, d, 1.0, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL);
            case GLOROT_UNIFORM -> checkFixed(id, scale, mode, d, 1.0, FanMode.FAN_AVG, Distribution.UNIFORM);
            case HE_NORMAL -> checkFixed(id, scale, mode, d, 2.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL);
            case HE_UNIFORM -> checkFixed(id, scale, mode, d, 2.0, FanMode.FAN_IN, Distribution.UNIFORM);
            case LECUN_NORMAL -> checkFixed(id, scale, mode, d, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL);
            case LECUN_UNIFORM -> checkFixed(id, scale, mode, d, 1.0, FanMode.FAN_IN, Distribution.UNIFORM);
            case NORMAL, UNIFORM, TRUNCATED_NORMAL, SPARSE, ZEROS, ONES, CONSTANT, ORTHOGONAL, IDENTITY, LSUV ->
                    throw new IllegalStateException(id + " is not a variance-scaling initializer");
        };
    }

    private static boolean checkFixed(String id, double scale, FanMode mode, Distribution d, double expectedScale,
            FanMode expectedMode, Distribution expectedDistribution) {
        Check.argument(scale == expectedScale, "%s: scale must be %s, found %s", id, expectedScale, scale);
        Check.argument(mode == expectedMode, "%s: mode must be %s, found %s", id, expectedMode.id(), mode.id());
        return Check.argument(d == expectedDistribution, "%s: distribution must be %s, found %s", id,
                expectedDistribution.id(), d.id());
    }

    // ---------------------------------------------------------------- factories

    /**
     * The initializer with every parameter at its framework default, e.g.
     * {@code defaults(Init.KAIMING_NORMAL, Double.NaN)} is PyTorch's
     * {@code kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')}.
     *
     * @param std the std axis value for {@link Init#usesStdAxis()} inits, NaN for the others
     * @throws IllegalArgumentException for inits with a required parameter (constant's value,
     *     sparse's sparsity), or a std that does not fit the init
     */
    public static InitParams defaults(Init init, double std) {
        return of(init, std, Map.of());
    }

    /**
     * The initializer with the spec's parameters, by their {@link Init#paramNames() spec names},
     * and the framework defaults for the rest. Numbers are {@link Number}s ({@code max_iter} an
     * integral one); {@code mode} and {@code distribution} are their ids (or the enum constants).
     * PyTorch members get scale = gain². A resolved gain is expected ("auto" is the caller's).
     *
     * @throws IllegalArgumentException naming the parameter: unknown, missing, of the wrong type
     *     or out of range
     */
    public static InitParams of(Init init, double std, Map<String, ?> params) {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(params, "params");
        List<String> names = init.paramNames();
        for (String name : params.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(init.id() + (names.isEmpty() ? " takes no parameters"
                        : " takes " + String.join(", ", names)) + ", found '" + name + "'");
            }
        }
        for (Init.Param p : init.params()) {
            if (p.required() && !params.containsKey(p.name())) {
                throw new IllegalArgumentException(init.id() + " needs " + p.name() + " (" + p.meaning() + ")");
            }
        }
        final double nan = Double.NaN;
        return switch (init) {
            case NORMAL, UNIFORM -> new InitParams(init, std, nan, nan, nan, null, null, nan, nan, nan, nan, 0);
            case TRUNCATED_NORMAL -> new InitParams(init, std, nan, nan, nan, null, null,
                    number(init, params, "a", TRUNCATED_DEFAULT_LO), number(init, params, "b", TRUNCATED_DEFAULT_HI), nan, nan, 0);
            case SPARSE -> new InitParams(init, std, nan, nan, nan, null, null, nan, nan,
                    number(init, params, "sparsity", nan), nan, 0);
            case ZEROS -> new InitParams(init, std, nan, nan, nan, null, null, nan, nan, nan, nan, 0);
            case ONES -> new InitParams(init, std, 1.0, nan, nan, null, null, nan, nan, nan, nan, 0);
            case CONSTANT -> new InitParams(init, std, number(init, params, "value", nan), nan, nan, null, null, nan, nan,
                    nan, nan, 0);
            case VARIANCE_SCALING -> new InitParams(init, std, nan, nan, number(init, params, "scale", 1.0),
                    fanMode(init, params, FanMode.FAN_IN), distribution(init, params, Distribution.TRUNCATED_NORMAL),
                    nan, nan, nan, nan, 0);
            case XAVIER_NORMAL, XAVIER_UNIFORM -> {
                double gain = number(init, params, "gain", 1.0);
                yield new InitParams(init, std, nan, gain, gain * gain, FanMode.FAN_AVG,
                        init == Init.XAVIER_NORMAL ? Distribution.NORMAL : Distribution.UNIFORM, nan, nan, nan, nan, 0);
            }
            case KAIMING_NORMAL, KAIMING_UNIFORM -> {
                double gain = kaimingGain(init, params);
                yield new InitParams(init, std, nan, gain, gain * gain, fanMode(init, params, FanMode.FAN_IN),
                        init == Init.KAIMING_NORMAL ? Distribution.NORMAL : Distribution.UNIFORM, nan, nan, nan, nan, 0);
            }
            case GLOROT_NORMAL -> keras(init, std, 1.0, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL);
            case GLOROT_UNIFORM -> keras(init, std, 1.0, FanMode.FAN_AVG, Distribution.UNIFORM);
            case HE_NORMAL -> keras(init, std, 2.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL);
            case HE_UNIFORM -> keras(init, std, 2.0, FanMode.FAN_IN, Distribution.UNIFORM);
            case LECUN_NORMAL -> keras(init, std, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL);
            case LECUN_UNIFORM -> keras(init, std, 1.0, FanMode.FAN_IN, Distribution.UNIFORM);
            case ORTHOGONAL -> new InitParams(init, std, nan, number(init, params, "gain", 1.0), nan, null, null, nan, nan,
                    nan, nan, 0);
            case IDENTITY -> new InitParams(init, std, number(init, params, "factor", 1.0), nan, nan, null, null, nan, nan,
                    nan, nan, 0);
            case LSUV -> new InitParams(init, std, nan, 1.0, nan, null, null, nan, nan, nan,
                    number(init, params, "tol", LSUV_DEFAULT_TOL), integer(init, params, "max_iter", LSUV_DEFAULT_MAX_ITER));
        };
    }

    /** PyTorch's {@code nn.init.calculate_gain} names that give 1 (linear and the convolutions) besides sigmoid. */
    private static final List<String> LINEAR_FNS = List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
            "conv_transpose2d", "conv_transpose3d");

    /**
     * kaiming_*'s gain: the one given, or PyTorch's {@code calculate_gain(nonlinearity, a)} when
     * {@code a} or {@code nonlinearity} is given (defaults 0 and leaky_relu, as in
     * {@code kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')}): 1 for linear, the
     * convolutions and sigmoid, 5/3 tanh, √2 relu, √(2/(1 + a²)) leaky_relu, 3/4 selu. So
     * {@code a = √5} (nn.Linear's reset_parameters) gives gain √(1/3) and U(±1/√fan_in).
     */
    private static double kaimingGain(Init init, Map<String, ?> params) {
        if (!params.containsKey("a") && !params.containsKey("nonlinearity")) {
            return number(init, params, "gain", KAIMING_DEFAULT_GAIN);
        }
        Check.argument(!params.containsKey("gain"), "%s: give gain, or PyTorch's a and nonlinearity, not both",
                init.id());
        double a = number(init, params, "a", 0.0);
        Check.argument(Double.isFinite(a), "%s.a must be a finite number, found %s", init.id(), a);
        String nonlinearity = String.valueOf(params.containsKey("nonlinearity") ? params.get("nonlinearity") : "leaky_relu");
        if (LINEAR_FNS.contains(nonlinearity)) {
            return 1.0;
        }
        Activation act = Activation.byId(nonlinearity);
        double gain = act == null ? Double.NaN : act.gain(a);
        Check.argument(!Double.isNaN(gain), "%s.nonlinearity must be one of %s, sigmoid, tanh, relu, leaky_relu, selu"
                + " (PyTorch's calculate_gain), found '%s'", init.id(), String.join(", ", LINEAR_FNS), nonlinearity);
        return gain;
    }

    private static InitParams keras(Init init, double std, double scale, FanMode mode, Distribution distribution) {
        final double nan = Double.NaN;
        return new InitParams(init, std, nan, nan, scale, mode, distribution, nan, nan, nan, nan, 0);
    }

    private static double number(Init init, Map<String, ?> params, String name, double fallback) {
        Object v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(init.id() + "." + name + " must be a number, found '" + v + "'");
        }
        return n.doubleValue();
    }

    private static int integer(Init init, Map<String, ?> params, String name, int fallback) {
        Object v = params.get(name);
        if (v == null) {
            return fallback;
        }
        double d = number(init, params, name, Double.NaN);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(init.id() + "." + name + " must be an integer, found " + v);
        }
        return (int) d;
    }

    private static FanMode fanMode(Init init, Map<String, ?> params, FanMode fallback) {
        Object v = params.get("mode");
        if (v == null) {
            return fallback;
        }
        FanMode m = v instanceof FanMode f ? f : FanMode.byId(String.valueOf(v));
        if (m == null) {
            throw new IllegalArgumentException(init.id() + ".mode must be one of " + FanMode.ids() + ", found '" + v + "'");
        }
        return m;
    }

    private static Distribution distribution(Init init, Map<String, ?> params, Distribution fallback) {
        Object v = params.get("distribution");
        if (v == null) {
            return fallback;
        }
        Distribution d = v instanceof Distribution x ? x : Distribution.byId(String.valueOf(v));
        if (d == null) {
            throw new IllegalArgumentException(init.id() + ".distribution must be one of " + Distribution.ids()
                    + ", found '" + v + "'");
        }
        return d;
    }

    // ---------------------------------------------------------------- derived values

    /** The kind of base draws this initializer scales (schemes of one family share them). */
    public Init.Family family() {
        return switch (init) {
            case NORMAL, SPARSE, ORTHOGONAL, LSUV -> Init.Family.GAUSSIAN;
            case UNIFORM -> Init.Family.UNIFORM;
            case TRUNCATED_NORMAL -> Init.Family.TRUNCATED_ABSOLUTE;
            case ZEROS, ONES, CONSTANT, IDENTITY -> Init.Family.NONE;
            case VARIANCE_SCALING, XAVIER_NORMAL, XAVIER_UNIFORM, KAIMING_NORMAL, KAIMING_UNIFORM, GLOROT_NORMAL,
                    GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL, LECUN_UNIFORM -> switch (distribution) {
                        case NORMAL -> Init.Family.GAUSSIAN;
                        case TRUNCATED_NORMAL -> Init.Family.TRUNCATED_GAUSSIAN;
                        case UNIFORM -> Init.Family.UNIFORM;
                    };
        };
    }

    /**
     * The factor s of a layer whose weights are W = s · G, G the unit-scale base draws of
     * {@link #family()} for this layer's stream: normal and uniform (s = std) and the
     * variance-scaling schemes (s from the fans); NaN for every other init (constants, identity,
     * orthogonal, LSUV, sparse, truncated_normal with absolute cutoffs).
     */
    public double baseScale(int fanIn, int fanOut) {
        return switch (init) {
            case NORMAL, UNIFORM -> std();
            case VARIANCE_SCALING, XAVIER_NORMAL, XAVIER_UNIFORM, KAIMING_NORMAL, KAIMING_UNIFORM, GLOROT_NORMAL,
                    GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL, LECUN_UNIFORM -> varianceScalingStd(fanIn, fanOut);
            default -> Double.NaN;
        };
    }

    /**
     * The std s of a variance-scaling initializer's weights, by its framework's own formula:
     * PyTorch's xavier_* gain·√(2/(fan_in + fan_out)), kaiming_* gain/√fan_mode; Keras/JAX's
     * √(scale/n). The weights are s·G with G unit-variance base draws.
     */
    public double varianceScalingStd(int fanIn, int fanOut) {
        return switch (init) {
            case XAVIER_NORMAL, XAVIER_UNIFORM -> gain * Math.sqrt(2.0 / (fanIn + (double) fanOut));
            case KAIMING_NORMAL, KAIMING_UNIFORM -> gain / Math.sqrt(mode.fan(fanIn, fanOut));
            case VARIANCE_SCALING, GLOROT_NORMAL, GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL, LECUN_UNIFORM ->
                    Math.sqrt(scale / mode.fan(fanIn, fanOut));
            case NORMAL, UNIFORM, TRUNCATED_NORMAL, SPARSE, ZEROS, ONES, CONSTANT, ORTHOGONAL, IDENTITY, LSUV ->
                    throw new IllegalStateException(init.id() + " is not a variance-scaling initializer");
        };
    }

    /** Sparse: the zeros in each input unit (PyTorch column), ⌈sparsity·fan_out⌉ as PyTorch computes it. */
    public int sparseZeros(int fanOut) {
        return (int) Math.ceil(sparsity * fanOut);
    }

    /**
     * The std of one weight's distribution, by formula:
     * <ul>
     *   <li>normal, uniform: std; truncated_normal: the std of N(0, std²) truncated to [a, b]
     *       (not std itself);
     *   <li>variance-scaling family: {@link #varianceScalingStd} (for truncated_normal the
     *       0.8796… correction makes it the std after truncation);
     *   <li>zeros, ones, constant: 0 (every weight is the same number);
     *   <li>sparse: the std of a random entry, zero with probability z/fan_out (z =
     *       {@link #sparseZeros}) and N(0, std²) otherwise: std·√(1 − z/fan_out), exact;
     *   <li>orthogonal: the entry RMS, exact: the smaller side is orthonormal, so Σw² =
     *       gain²·min(fan_in, fan_out) and RMS = gain/√max(fan_in, fan_out);
     *   <li>identity: the entry RMS, exact: |factor|/√max(fan_in, fan_out) (its mean is not 0);
     *   <li>lsuv: NaN, the final weights depend on the data (the orthogonal start has RMS
     *       1/√max(fan_in, fan_out)).
     * </ul>
     */
    public double nominalStd(int fanIn, int fanOut) {
        return switch (init) {
            case NORMAL, UNIFORM -> std;
            case TRUNCATED_NORMAL -> truncatedStd(std, lo, hi);
            case SPARSE -> std * Math.sqrt((fanOut - sparseZeros(fanOut)) / (double) fanOut);
            case ZEROS, ONES, CONSTANT -> 0.0;
            case VARIANCE_SCALING, XAVIER_NORMAL, XAVIER_UNIFORM, KAIMING_NORMAL, KAIMING_UNIFORM, GLOROT_NORMAL,
                    GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL, LECUN_UNIFORM -> varianceScalingStd(fanIn, fanOut);
            case ORTHOGONAL -> gain / Math.sqrt(Math.max(fanIn, fanOut));
            case IDENTITY -> Math.abs(value) / Math.sqrt(Math.max(fanIn, fanOut));
            case LSUV -> Double.NaN;
        };
    }

    /**
     * The std of N(0, std²) truncated to [lo, hi]. Commons Statistics' closed form (erfcx based,
     * accurate far in the tails) loses digits on narrow intervals, where E[x²] − E[x]² cancels;
     * there, with x = mid + half·t, the density on t ∈ [−1, 1] is ∝ exp(−mid·half·t − half²t²/2),
     * which varies by at most e⁴ when half·(|mid| + half) ≤ 2, and composite Simpson on 2000
     * panels gives its central moments to ~10⁻¹³.
     */
    static double truncatedStd(double std, double lo, double hi) {
        double a = lo / std;
        double b = hi / std;
        double half = (b - a) / 2;
        double mid = a / 2 + b / 2;
        if (!(Double.isFinite(a) && Double.isFinite(b) && half * (Math.abs(mid) + half) <= 2)) {
            return Math.sqrt(TruncatedNormalDistribution.of(0.0, std, lo, hi).getVariance());
        }
        final int panels = 2000;
        final double h = 2.0 / panels;
        double z = 0;
        double first = 0;
        for (int k = 0; k <= panels; k++) {
            double t = -1 + k * h;
            double w = (k == 0 || k == panels) ? 1 : (k % 2 == 1 ? 4 : 2);
            double f = w * Math.exp(-mid * half * t - half * half * t * t / 2);
            z += f;
            first += f * t;
        }
        double mean = first / z;
        double second = 0;
        for (int k = 0; k <= panels; k++) {
            double t = -1 + k * h;
            double w = (k == 0 || k == panels) ? 1 : (k % 2 == 1 ? 4 : 2);
            double d = t - mean;
            second += w * Math.exp(-mid * half * t - half * half * t * t / 2) * d * d;
        }
        return std * half * Math.sqrt(second / z);
    }

    /**
     * A stable, unambiguous name: the id, then the std axis value (std-axis inits) and every
     * spec parameter in {@link Init#params()} order, numbers in the shortest decimal that reads
     * back to the same double, e.g. {@code kaiming_normal(gain=1.4142135623730951, mode=fan_in)},
     * {@code normal(std=0.01)}, {@code he_normal}.
     */
    public String label() {
        List<String> parts = new ArrayList<>();
        if (init.usesStdAxis()) {
            parts.add("std=" + number(std));
        }
        for (Init.Param p : init.params()) {
            if (!p.intoGain()) {
                parts.add(p.name() + "=" + paramText(p.name()));
            }
        }
        return parts.isEmpty() ? init.id() : init.id() + "(" + String.join(", ", parts) + ")";
    }

    private String paramText(String name) {
        return switch (name) {
            case "a" -> number(lo);
            case "b" -> number(hi);
            case "sparsity" -> number(sparsity);
            case "value", "factor" -> number(value);
            case "scale" -> number(scale);
            case "mode" -> mode.id();
            case "distribution" -> distribution.id();
            case "gain" -> number(gain);
            case "tol" -> number(lsuvTol);
            case "max_iter" -> Integer.toString(lsuvMaxIter);
            default -> throw new IllegalStateException("no field for parameter " + name);
        };
    }

    /**
     * The shortest decimal that parses back to {@code x}, from the exact binary value (so the
     * text does not depend on the JDK's Double.toString); integers without a decimal point.
     */
    static String number(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        BigDecimal exact = new BigDecimal(x);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == x) {
                return rounded.stripTrailingZeros().toString().toLowerCase(Locale.ROOT);
            }
        }
        return exact.toString();
    }

}
