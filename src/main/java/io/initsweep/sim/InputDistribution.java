package io.initsweep.sim;

/** Distribution of the input matrix X (batch × input width). */
public enum InputDistribution implements SpecName {
    /** X ~ N(0, 1) entrywise. */
    NORMAL("normal"),
    /** X ~ U(−√3, √3) entrywise: mean 0, variance 1, like {@link #NORMAL} but bounded. */
    UNIFORM("uniform"),
    /**
     * X is the first {@code batch} rows of a data file (Parquet or CSV, numeric columns), read
     * once by the driver; identified by the file's SHA-256 and recorded as {@code data:<file name>}.
     */
    DATA("data");

    private final String id;

    InputDistribution(String id) {
        this.id = id;
    }

    /** The name used in job specs and output columns. */
    @Override
    public String id() {
        return id;
    }

    /** Looks up a distribution by its spec name; null if unknown. */
    public static InputDistribution byId(String id) {
        return SpecName.byId(values(), id);
    }

    /** The spec names, for error messages. */
    public static String ids() {
        return SpecName.ids(values());
    }
}
