package io.initsweep.sim;

import java.util.List;

/**
 * One parameter of an initializer scheme, declared once with the scheme ({@link InitScheme}):
 * the spec parser binds it by its kind, error messages quote its range or allowed values,
 * the scheme's constructor validates against it, and the documentation tables print it.
 *
 * @param name its key in specs, e.g. {@code mode} in {@code {kaiming_normal: {mode: fan_out}}}
 * @param kind what values it takes
 * @param defaultValue the value when a spec does not give one (a Double, an Integer or a
 *     String, by kind); null when the spec must give it
 * @param min the smallest allowed number (REAL, INTEGER; −∞ for none)
 * @param max the largest allowed number (REAL, INTEGER; +∞ for none)
 * @param choices the allowed texts (CHOICE); empty otherwise
 * @param intoGain whether it only sets the gain (PyTorch's {@code a} and {@code nonlinearity}
 *     through calculate_gain): the rows and labels record the gain instead
 * @param meaning what it sets, for the documentation and error messages
 */
public record InitParam(String name, Kind kind, Object defaultValue, double min, double max, List<String> choices,
        boolean intoGain, String meaning) {

    /** The values a parameter takes. */
    public enum Kind {
        /** A finite number in [min, max]. */
        REAL,
        /** A finite number &gt; 0. */
        POSITIVE,
        /** A cutoff: a finite number in a spec; ±∞ too (a one-sided truncation) where code builds the scheme. */
        CUTOFF,
        /** A finite number &gt; 0, or {@code auto}: PyTorch's calculate_gain of the point's activation. */
        GAIN,
        /** An integer in [min, max]. */
        INTEGER,
        /** One of {@code choices}. */
        CHOICE
    }

    public InitParam {
        Check.argument(name != null && !name.isEmpty(), "a parameter needs a name, found '%s'", name);
        choices = List.copyOf(choices);
        Check.argument(defaultValue == null || problem(kind, min, max, choices, defaultValue) == null,
                "%s: default %s is not allowed", name, defaultValue);
    }

    /** A finite number in [min, max] (either may be infinite), with a default (null: required). */
    static InitParam real(String name, Double defaultValue, double min, double max, String meaning) {
        return new InitParam(name, Kind.REAL, defaultValue, min, max, List.of(), false, meaning);
    }

    /** A cutoff (see {@link Kind#CUTOFF}). */
    static InitParam cutoff(String name, double defaultValue, String meaning) {
        return new InitParam(name, Kind.CUTOFF, defaultValue, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of(),
                false, meaning);
    }

    /** A finite number &gt; 0. */
    static InitParam positive(String name, double defaultValue, String meaning) {
        return new InitParam(name, Kind.POSITIVE, defaultValue, 0, Double.POSITIVE_INFINITY, List.of(), false, meaning);
    }

    /** A gain: a finite number &gt; 0 or {@code auto}. */
    static InitParam gain(double defaultValue, String meaning) {
        return new InitParam("gain", Kind.GAIN, defaultValue, 0, Double.POSITIVE_INFINITY, List.of(), false, meaning);
    }

    /** An integer in [min, max]. */
    static InitParam integer(String name, int defaultValue, int min, int max, String meaning) {
        return new InitParam(name, Kind.INTEGER, defaultValue, min, max, List.of(), false, meaning);
    }

    /** One of {@code choices}. */
    static InitParam choice(String name, String defaultValue, List<String> choices, String meaning) {
        return new InitParam(name, Kind.CHOICE, defaultValue, Double.NaN, Double.NaN, choices, false, meaning);
    }

    /** This parameter, marked as one that only sets the gain (see {@link #intoGain()}). */
    InitParam settingGain() {
        return new InitParam(name, kind, defaultValue, min, max, choices, true, meaning);
    }

    /** Whether the spec must give it. */
    public boolean required() {
        return defaultValue == null;
    }

    /** The default as spec text, or an example value for a required parameter (for error messages). */
    public String defaultOrExample() {
        return defaultValue != null ? text(defaultValue) : "0.5";
    }

    /** The default as spec text; null for a required parameter. */
    public String defaultText() {
        return defaultValue == null ? null : text(defaultValue);
    }

    /** What values are allowed, in words: {@code in [0, 1]}, {@code > 0}, {@code one of fan_in, fan_out}. */
    public String allowed() {
        return switch (kind) {
            case REAL, CUTOFF -> allowedRange(min, max);
            case POSITIVE -> "> 0";
            case GAIN -> "> 0 or auto";
            case INTEGER -> "an integer in [" + InitScheme.number(min) + ", " + InitScheme.number(max) + "]";
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    /**
     * What is wrong with {@code value} for this parameter, as the end of a sentence that starts
     * with its name ({@code must be in [0, 1], found 1.5}); null when it is allowed. Numbers are
     * {@link Number}s, choices their texts.
     */
    public String problem(Object value) {
        return problem(kind, min, max, choices, value);
    }

    private static String problem(Kind kind, double min, double max, List<String> choices, Object value) {
        if (kind == Kind.CHOICE) {
            return choices.contains(String.valueOf(value)) ? null
                    : "must be one of " + String.join(", ", choices) + ", found '" + value + "'";
        }
        if (!(value instanceof Number n)) {
            return "must be a number, found '" + value + "'";
        }
        double v = n.doubleValue();
        return switch (kind) {
            case REAL -> Double.isFinite(v) && v >= min && v <= max ? null
                    : "must be " + allowedRange(min, max) + ", found " + v;
            case CUTOFF -> Double.isNaN(v) ? "must be a number, found NaN" : null;
            case POSITIVE, GAIN -> Double.isFinite(v) && v > 0 ? null : "must be finite and > 0, found " + v;
            case INTEGER -> v == Math.rint(v) && v >= min && v <= max ? null
                    : "must be an integer in [" + (long) min + ", " + (long) max + "], found " + value;
            case CHOICE -> throw new IllegalStateException("unreachable");
        };
    }

    private static String allowedRange(double min, double max) {
        return min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY ? "finite"
                : min == Double.NEGATIVE_INFINITY ? "finite and ≤ " + InitScheme.number(max)
                : max == Double.POSITIVE_INFINITY ? "finite and ≥ " + InitScheme.number(min)
                : "in [" + InitScheme.number(min) + ", " + InitScheme.number(max) + "]";
    }

    /** A value as spec text: numbers in their shortest decimal, texts as they are. */
    static String text(Object value) {
        return value instanceof Double d ? InitScheme.number(d) : String.valueOf(value);
    }
}
