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
}
