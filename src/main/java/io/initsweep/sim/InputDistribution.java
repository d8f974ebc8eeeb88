package io.initsweep.sim;

/** Distribution of the input matrix X (batch × width). */
public enum InputDistribution {
    /** X ~ N(0, 1) entrywise. */
    NORMAL("normal");

    private final String id;

    InputDistribution(String id) {
        this.id = id;
    }

    /** The name used in job specs and output columns. */
    public String id() {
        return id;
    }

    /** Looks up a distribution by its spec name; null if unknown. */
    public static InputDistribution byId(String id) {
        for (InputDistribution d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        return null;
    }

    /** The spec names, for error messages. */
    public static String ids() {
        StringBuilder sb = new StringBuilder();
        for (InputDistribution d : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.id);
        }
        return sb.toString();
    }
}
