package io.initsweep.sim;

import java.util.Locale;

/**
 * Argument checks with one message shape, as Iceberg's {@code Preconditions.checkArgument}:
 * {@code Check.argument(slope >= 0, "slope must be >= 0, found %s", slope)}.
 */
public final class Check {
    private Check() {}

    /**
     * Throws {@link IllegalArgumentException} with {@code String.format(message, values)} when
     * {@code condition} is false; the message names the field, what is allowed and the value found.
     *
     * @return true, so that a check can be the value of an exhaustive switch expression
     */
    public static boolean argument(boolean condition, String message, Object... values) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, message, values));
        }
        return true;
    }

    /** Throws {@link IllegalStateException} with the formatted message when {@code condition} is false. */
    public static void state(boolean condition, String message, Object... values) {
        if (!condition) {
            throw new IllegalStateException(String.format(Locale.ROOT, message, values));
        }
    }
}
