package io.initsweep.spec;

/**
 * A job spec a user must fix. The message is one line naming the field path, the value found
 * and what is allowed, e.g. {@code grid.std[2] must be > 0, found -0.5}.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message, null, false, false);
    }

    /**
     * Throws a SpecException with {@code String.format(message, values)} unless {@code condition}
     * holds; the message names the field path, what is allowed and the value found, e.g.
     * {@code check(v > 0, "%s must be > 0, found %s", path, v)}.
     */
    public static void check(boolean condition, String message, Object... values) {
        if (!condition) {
            throw of(message, values);
        }
    }

    /** A SpecException with {@code String.format(message, values)}, for a {@code throw} where no condition reads better. */
    public static SpecException of(String message, Object... values) {
        return new SpecException(String.format(java.util.Locale.ROOT, message, values));
    }
}
