package io.initsweep.sim;

/**
 * Weight initializers. Every scheme draws W = s · G where G holds unit-variance base draws of
 * the scheme's {@link Family} (so schemes of one family share their base draws: common random
 * numbers) and s is the effective weight std-dev {@link #weightStd}. Weight shape follows
 * PyTorch: a layer maps fan_in inputs to fan_out outputs.
 */
public enum Init {
    /** N(0, std²): fixed scale from the grid's std axis (PyTorch {@code nn.init.normal_(std=std)}). */
    NORMAL("normal", Family.GAUSSIAN, true, false),
    /** U(−√3·std, √3·std): variance std², fixed scale from the std axis. */
    UNIFORM("uniform", Family.UNIFORM, true, false),
    /** All weights 0 (PyTorch {@code nn.init.zeros_}). */
    ZEROS("zeros", Family.NONE, false, false),
    /** All weights equal to {@code value} (PyTorch {@code nn.init.constant_(val)}). */
    CONSTANT("constant", Family.NONE, false, true),
    /** Glorot &amp; Bengio 2010: N(0, s²), s = gain·√(2/(fan_in+fan_out)), gain 1 (PyTorch {@code xavier_normal_}). */
    XAVIER_NORMAL("xavier_normal", Family.GAUSSIAN, false, false),
    /** Glorot &amp; Bengio 2010: U(−b, b), b = gain·√(6/(fan_in+fan_out)), gain 1 (PyTorch {@code xavier_uniform_}). */
    XAVIER_UNIFORM("xavier_uniform", Family.UNIFORM, false, false),
    /** He et al. 2015: N(0, s²), s = √2/√fan_in (PyTorch {@code kaiming_normal_}, defaults a=0, fan_in, leaky_relu gain √2). */
    KAIMING_NORMAL("kaiming_normal", Family.GAUSSIAN, false, false),
    /** He et al. 2015: U(−b, b), b = √2·√(3/fan_in) (PyTorch {@code kaiming_uniform_} with a=0, fan_in). */
    KAIMING_UNIFORM("kaiming_uniform", Family.UNIFORM, false, false);

    /** Kind of base draws G: unit variance, shared across schemes of a family. */
    public enum Family {
        /** G ~ N(0, 1). */
        GAUSSIAN,
        /** G ~ U(−√3, √3), variance 1. */
        UNIFORM,
        /** No draws: every weight is the same number. */
        NONE
    }

    private final String id;
    private final Family family;
    private final boolean usesStdAxis;
    private final boolean takesValue;

    Init(String id, Family family, boolean usesStdAxis, boolean takesValue) {
        this.id = id;
        this.family = family;
        this.usesStdAxis = usesStdAxis;
        this.takesValue = takesValue;
    }

    /** The name used in job specs and output columns. */
    public String id() {
        return id;
    }

    /** The base-draw family. */
    public Family family() {
        return family;
    }

    /** Whether the grid's std axis sets this scheme's scale (fixed-scale schemes) or not (fan-based ones). */
    public boolean usesStdAxis() {
        return usesStdAxis;
    }

    /** Whether the scheme takes a {@code value} parameter (constant). */
    public boolean takesValue() {
        return takesValue;
    }

    /**
     * The effective std-dev s of the weights, W = s · G.
     *
     * @param axisStd the std axis value (used by fixed-scale schemes only)
     */
    public double weightStd(double axisStd, int fanIn, int fanOut) {
        return switch (this) {
            case NORMAL, UNIFORM -> axisStd;
            case ZEROS, CONSTANT -> 0.0;
            case XAVIER_NORMAL, XAVIER_UNIFORM -> Math.sqrt(2.0 / (fanIn + fanOut));
            case KAIMING_NORMAL, KAIMING_UNIFORM -> Math.sqrt(2.0) / Math.sqrt(fanIn);
        };
    }

    /**
     * The multiplier applied to the base matrix in the product A = X · (multiplier · G). Equal
     * to {@link #weightStd} for drawn schemes; for constant the base matrix is all ones and
     * the multiplier is the value; for zeros it is 0.
     */
    public double multiplier(double axisStd, double value, int fanIn, int fanOut) {
        return switch (this) {
            case NORMAL, UNIFORM, XAVIER_NORMAL, XAVIER_UNIFORM, KAIMING_NORMAL, KAIMING_UNIFORM -> weightStd(axisStd, fanIn, fanOut);
            case ZEROS -> 0.0;
            case CONSTANT -> value;
        };
    }

    /** Looks up an initializer by its spec name; null if unknown. */
    public static Init byId(String id) {
        for (Init i : values()) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        return null;
    }

    /** The spec names, for error messages. */
    public static String ids() {
        StringBuilder sb = new StringBuilder();
        for (Init i : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(i.id);
        }
        return sb.toString();
    }
}
