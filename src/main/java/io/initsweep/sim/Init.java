package io.initsweep.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The weight initializers, named as their frameworks name them: PyTorch names
 * ({@code xavier_*}, {@code kaiming_*}, {@code trunc_normal_}, {@code sparse_}, {@code eye_},
 * {@code orthogonal_}) mean PyTorch's definitions; Keras/JAX names ({@code glorot_*},
 * {@code he_*}, {@code lecun_*}, {@code variance_scaling}) mean Keras's and JAX's.
 *
 * <p>Shapes follow PyTorch: a layer maps fan_in inputs to fan_out outputs; its PyTorch weight
 * is (fan_out, fan_in) and the matrix W that {@link Weights} fills is that weight transposed,
 * fan_in rows × fan_out columns, so that A = X·W. A scheme's parameters, defaults filled in,
 * travel as an {@link InitParams}; the spec names of those parameters are {@link #params()}.
 * Every random scheme draws unit-scale base numbers of its {@link Family} from a keyed
 * stream and scales them (DESIGN §4), so schemes of one family share their draws.
 */
public enum Init implements SpecName {
    // ---------------------------------------------------------------- fixed scale: the grid's std axis

    /** N(0, std²), std from the grid's std axis. PyTorch {@code nn.init.normal_(mean=0, std)}. */
    NORMAL("normal", true, "N(0, std²)",
            "PyTorch `normal_`; Keras `RandomNormal`; JAX `normal`"),
    /**
     * U(−√3·std, √3·std): variance std², std from the grid's std axis. PyTorch
     * {@code nn.init.uniform_(a=−√3·std, b=√3·std)}.
     */
    UNIFORM("uniform", true, "U(−√3·std, √3·std) (variance std²)",
            "PyTorch `uniform_(−√3·std, √3·std)`"),
    /**
     * N(0, std²) truncated to the absolute interval [a, b] (std from the std axis), a and b
     * defaulting to −2 and 2. PyTorch {@code nn.init.trunc_normal_(mean=0, std, a=−2, b=2)}.
     * Unlike Keras's {@code TruncatedNormal} the cutoffs are absolute, not multiples of std, and
     * no variance correction is applied: the weight std is that of the truncated distribution.
     */
    TRUNCATED_NORMAL("truncated_normal", true, "N(0, std²) restricted to [a, b], absolute cutoffs",
            "PyTorch `trunc_normal_` (Keras/JAX cut at multiples of the std instead)", Param.of("a", "-2", "lower cutoff (absolute)"),
            Param.of("b", "2", "upper cutoff (absolute)")),
    /**
     * Martens (2010): N(0, std²), then in every input unit (a PyTorch column, a row of W)
     * exactly ⌈sparsity·fan_out⌉ entries set to 0 at random positions. PyTorch
     * {@code nn.init.sparse_(sparsity, std)} with std from the grid's std axis (PyTorch's own
     * default std is 0.01). sparsity has no default, as in PyTorch.
     */
    SPARSE("sparse", true, "N(0, std²), then ⌈sparsity·fan_out⌉ zeros at random in each input unit's weights",
            "PyTorch `sparse_` (Martens 2010)", Param.required("sparsity", "share of each input unit's weights set to 0, in [0, 1]")),

    // ---------------------------------------------------------------- constants

    /** All weights 0. PyTorch {@code nn.init.zeros_}, Keras {@code Zeros}, JAX {@code zeros}. */
    ZEROS("zeros", false, "0",
            "PyTorch `zeros_`; Keras `Zeros`"),
    /** All weights 1. PyTorch {@code nn.init.ones_}, Keras {@code Ones}, JAX {@code ones}. */
    ONES("ones", false, "1",
            "PyTorch `ones_`; Keras `Ones`"),
    /**
     * All weights equal to {@code value} (no default). PyTorch {@code nn.init.constant_(val)},
     * Keras {@code Constant(value)}, JAX {@code constant(value)}.
     */
    CONSTANT("constant", false, "value",
            "PyTorch `constant_`; Keras `Constant`", Param.required("value", "the weight value")),

    // ---------------------------------------------------------------- variance scaling: std² = scale / n

    /**
     * Keras {@code VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")},
     * JAX {@code variance_scaling(scale, mode, distribution)}: s² = scale / n with n = fan_in,
     * fan_out or (fan_in + fan_out)/2; distribution {@code normal} N(0, s²) (Keras calls it
     * "untruncated_normal"), {@code truncated_normal} s·T with T = N(0, 1) restricted to
     * (−2, 2) divided by 0.87962566103423978 (its std), {@code uniform} U(−√3·s, √3·s).
     */
    VARIANCE_SCALING("variance_scaling", false, "normal N(0, s²), truncated_normal s·T, uniform U(−√3·s, √3·s)",
            "Keras `VarianceScaling`; JAX `variance_scaling` (here, as in JAX, `normal` is untruncated)", Param.of("scale", "1", "variance scale (> 0)"),
            Param.of("mode", "fan_in", "fan_in, fan_out or fan_avg"),
            Param.of("distribution", "truncated_normal", "normal (untruncated), truncated_normal or uniform")),
    /**
     * Glorot &amp; Bengio (2010): N(0, s²), s = gain·√(2/(fan_in + fan_out)), gain default 1.
     * PyTorch {@code nn.init.xavier_normal_(gain)} (untruncated; JAX's {@code xavier_normal} is
     * its truncated {@code glorot_normal}).
     */
    XAVIER_NORMAL("xavier_normal", false, "N(0, s²), s = gain·√(2/(fan_in+fan_out))",
            "PyTorch `xavier_normal_`", Param.of("gain", "1", "multiplier of the std")),
    /**
     * Glorot &amp; Bengio (2010): U(−√3·s, √3·s), s = gain·√(2/(fan_in + fan_out)), so the bound
     * is gain·√(6/(fan_in + fan_out)); gain default 1. PyTorch {@code nn.init.xavier_uniform_(gain)}.
     */
    XAVIER_UNIFORM("xavier_uniform", false, "U(−√3·s, √3·s), same s",
            "PyTorch `xavier_uniform_`", Param.of("gain", "1", "multiplier of the std")),
    /**
     * He et al. (2015): N(0, s²), s = gain/√fan_mode, gain default √2 (PyTorch's default
     * a = 0 with nonlinearity leaky_relu: calculate_gain = √(2/(1 + 0²))), mode fan_in.
     * PyTorch {@code nn.init.kaiming_normal_(a, mode, nonlinearity)} (untruncated; JAX's
     * {@code kaiming_normal} is its truncated {@code he_normal}).
     */
    KAIMING_NORMAL("kaiming_normal", false, "N(0, s²), s = gain/√fan_mode",
            "PyTorch `kaiming_normal_(a, mode, nonlinearity)`: give gain, or a and nonlinearity", Param.of("gain", "1.4142135623730951", "s = gain/√fan (default √2)"),
            Param.of("mode", "fan_in", "fan_in or fan_out"),
            Param.intoGain("a", "0", "PyTorch's negative slope: gain = calculate_gain(nonlinearity, a)"),
            Param.intoGain("nonlinearity", "leaky_relu", "PyTorch's: linear, conv*, sigmoid, tanh, relu, leaky_relu or selu")),
    /**
     * He et al. (2015): U(−√3·s, √3·s), s = gain/√fan_mode, so the bound is gain·√(3/fan_mode);
     * gain default √2, mode fan_in. PyTorch {@code nn.init.kaiming_uniform_(a, mode, nonlinearity)}.
     */
    KAIMING_UNIFORM("kaiming_uniform", false, "U(−√3·s, √3·s), same s",
            "PyTorch `kaiming_uniform_(a, mode, nonlinearity)`; `{kaiming_uniform: {a: 2.23606797749979}}` (a = √5) is `nn.Linear`'s default, U(±1/√fan_in)", Param.of("gain", "1.4142135623730951", "s = gain/√fan (default √2)"),
            Param.of("mode", "fan_in", "fan_in or fan_out"),
            Param.intoGain("a", "0", "PyTorch's negative slope: gain = calculate_gain(nonlinearity, a)"),
            Param.intoGain("nonlinearity", "leaky_relu", "PyTorch's: linear, conv*, sigmoid, tanh, relu, leaky_relu or selu")),
    /**
     * Glorot &amp; Bengio (2010), Keras/JAX form: variance scaling with scale 1, fan_avg,
     * truncated normal: s·T, s = √(2/(fan_in + fan_out)). Keras {@code GlorotNormal}, JAX
     * {@code glorot_normal}.
     */
    GLOROT_NORMAL("glorot_normal", false, "s·T, s = √(2/(fan_in+fan_out))",
            "Keras `GlorotNormal`; JAX `glorot_normal`"),
    /**
     * Variance scaling with scale 1, fan_avg, uniform: U(−l, l), l = √(6/(fan_in + fan_out)).
     * Keras {@code GlorotUniform} (the Dense default), JAX {@code glorot_uniform}.
     */
    GLOROT_UNIFORM("glorot_uniform", false, "U(−l, l), l = √(6/(fan_in+fan_out))",
            "Keras `GlorotUniform` (Dense's default); JAX `glorot_uniform`"),
    /**
     * He et al. (2015), Keras/JAX form: variance scaling with scale 2, fan_in, truncated
     * normal: s·T, s = √(2/fan_in). Keras {@code HeNormal}, JAX {@code he_normal}.
     */
    HE_NORMAL("he_normal", false, "s·T, s = √(2/fan_in)",
            "Keras `HeNormal`; JAX `he_normal`"),
    /** Variance scaling with scale 2, fan_in, uniform: U(−l, l), l = √(6/fan_in). Keras {@code HeUniform}, JAX {@code he_uniform}. */
    HE_UNIFORM("he_uniform", false, "U(−l, l), l = √(6/fan_in)",
            "Keras `HeUniform`; JAX `he_uniform`"),
    /**
     * LeCun et al. (1998), Klambauer et al. (2017): variance scaling with scale 1, fan_in,
     * truncated normal: s·T, s = √(1/fan_in). Keras {@code LecunNormal}, JAX {@code lecun_normal}.
     */
    LECUN_NORMAL("lecun_normal", false, "s·T, s = √(1/fan_in)",
            "Keras `LecunNormal`; JAX `lecun_normal`"),
    /** Variance scaling with scale 1, fan_in, uniform: U(−l, l), l = √(3/fan_in). Keras {@code LecunUniform}, JAX {@code lecun_uniform}. */
    LECUN_UNIFORM("lecun_uniform", false, "U(−l, l), l = √(3/fan_in)",
            "Keras `LecunUniform`; JAX `lecun_uniform`"),

    // ---------------------------------------------------------------- structured

    /**
     * Saxe et al. (2014): a Gaussian matrix M of PyTorch's shape (fan_out, fan_in), transposed
     * if fan_out &lt; fan_in; QR = M; Q·diag(sign(diag R)) (Mezzadri 2007: Haar-distributed);
     * transposed back; times gain (default 1). The smaller side of the result has orthonormal
     * rows or columns: WᵀW = gain²·I when fan_in ≥ fan_out, WWᵀ = gain²·I otherwise. PyTorch
     * {@code nn.init.orthogonal_(gain)}; Keras {@code Orthogonal(gain)} and JAX
     * {@code orthogonal(scale)} draw the same distribution.
     */
    ORTHOGONAL("orthogonal", false, "gain·Q: QR of a Gaussian (out, in) matrix (transposed if out < in), Q·sign(diag R)",
            "PyTorch `orthogonal_` (Saxe et al. 2014); same law as Keras `Orthogonal`, JAX `orthogonal`", Param.of("gain", "1", "multiplier of the orthogonal matrix")),
    /**
     * factor·I: ones where the row index equals the column index of PyTorch's (fan_out, fan_in)
     * weight (equally of W), so a non-square layer keeps min(fan_in, fan_out) units; factor
     * default 1. PyTorch {@code nn.init.eye_} (times factor); Keras {@code Identity(gain)}.
     */
    IDENTITY("identity", false, "factor·I on (out, in): ones where row = column",
            "PyTorch `eye_` times a factor (Keras `Identity(gain)`); 0.5·I / 1.5·I show vanishing / exploding", Param.of("factor", "1", "multiplier of the identity")),
    /**
     * Mishkin &amp; Matas (2015), layer-sequential unit variance: an orthogonal start with gain 1
     * (what {@link Weights} draws), which the forward pass rescales, layer by layer, by
     * W ← W / √Var(A) on the simulated batch until |Var(A) − 1| &lt; tol or max_iter rescalings
     * (the paper's Algorithm 1, A = the layer's pre-activation, bias included; defaults as the
     * authors' LSUV-pytorch: tol 0.1, 10 attempts).
     */
    LSUV("lsuv", false, "orthogonal start, then per layer W ← W/√Var(A) until |Var(A) − 1| < tol or max_iter rescalings",
            "Mishkin & Matas 2015 (Algorithm 1); rescalings per layer in `lsuv_iterations`", Param.of("tol", "0.1", "tolerance on |Var(A) − 1|"),
            Param.of("max_iter", "10", "most rescalings per layer"));

    /** Kind of unit-scale base draws G, shared by the schemes of a family (common random numbers). */
    public enum Family {
        /** G ~ N(0, 1). */
        GAUSSIAN,
        /** G ~ U(−√3, √3), variance 1. */
        UNIFORM,
        /** No draws: constants and the identity. */
        NONE,
        /** G = Z/0.87962566103423978 with Z ~ N(0, 1) restricted to (−2, 2): variance 1 (Keras/JAX). */
        TRUNCATED_GAUSSIAN,
        /** N(0, std²) restricted to absolute cutoffs [a, b]: drawn directly, in its own stream. */
        TRUNCATED_ABSOLUTE
    }

    /**
     * A parameter a spec may give an initializer.
     *
     * @param name the spec name
     * @param defaultValue its default as spec text; null when the parameter is required
     * @param meaning what it sets, for help and error messages
     */
    public record Param(String name, String defaultValue, String meaning, boolean intoGain) {
        static Param of(String name, String defaultValue, String meaning) {
            return new Param(name, defaultValue, meaning, false);
        }

        static Param required(String name, String meaning) {
            return new Param(name, null, meaning, false);
        }

        /**
         * A parameter that only sets another's value: PyTorch's {@code a} and {@code nonlinearity}
         * become the gain (calculate_gain), which the rows and labels record instead.
         */
        static Param intoGain(String name, String defaultValue, String meaning) {
            return new Param(name, defaultValue, meaning, true);
        }

        /** The default, or an example value for a required parameter (for error messages). */
        public String defaultOrExample() {
            return defaultValue != null ? defaultValue : "0.5";
        }

        /** Whether the spec must give it. */
        public boolean required() {
            return defaultValue == null;
        }
    }

    private final String id;
    private final boolean usesStdAxis;
    private final String weights;
    private final String matches;
    private final List<Param> params;

    Init(String id, boolean usesStdAxis, String weights, String matches, Param... params) {
        this.id = id;
        this.usesStdAxis = usesStdAxis;
        this.weights = weights;
        this.matches = matches;
        this.params = List.of(params);
    }

    /** The name used in job specs and output columns. */
    @Override
    public String id() {
        return id;
    }

    /** How the weights are drawn, as a formula, for the documentation table. */
    public String weights() {
        return weights;
    }

    /** The frameworks' functions this initializer matches, for the documentation table. */
    public String matches() {
        return matches;
    }

    /** Whether the grid's std axis sets this scheme's scale (normal, uniform, truncated_normal, sparse). */
    public boolean usesStdAxis() {
        return usesStdAxis;
    }

    /** The parameters a spec may give, in label order, with their defaults. */
    public List<Param> params() {
        return params;
    }

    /** The spec names of {@link #params()}, so a parser can reject any other name. */
    public List<String> paramNames() {
        List<String> names = new ArrayList<>(params.size());
        for (Param p : params) {
            names.add(p.name());
        }
        return List.copyOf(names);
    }

    /** Whether the scheme requires a {@code value} parameter (constant). */
    public boolean takesValue() {
        return this == CONSTANT;
    }

    /** Whether the scheme belongs to the variance-scaling family (std² = scale / n). */
    public boolean isVarianceScaling() {
        return switch (this) {
            case VARIANCE_SCALING, XAVIER_NORMAL, XAVIER_UNIFORM, KAIMING_NORMAL, KAIMING_UNIFORM, GLOROT_NORMAL,
                    GLOROT_UNIFORM, HE_NORMAL, HE_UNIFORM, LECUN_NORMAL, LECUN_UNIFORM -> true;
            case NORMAL, UNIFORM, TRUNCATED_NORMAL, SPARSE, ZEROS, ONES, CONSTANT, ORTHOGONAL, IDENTITY, LSUV -> false;
        };
    }

    /** Looks up an initializer by its spec name; null if unknown. */
    public static Init byId(String id) {
        return SpecName.byId(values(), id);
    }

    /** The spec names, for error messages. */
    public static String ids() {
        return SpecName.ids(values());
    }
}
