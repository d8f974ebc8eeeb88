package io.initsweep.sim;

import java.io.Serializable;

/**
 * One numeric parameter of a scheme, declared once with the scheme: the spec parser binds it,
 * error messages quote its range, and the documentation tables print it.
 *
 * @param name its key in specs, e.g. {@code slope} in {@code {leaky_relu: {slope: 0.2}}}
 * @param defaultValue the value when a spec does not give one
 * @param min the smallest allowed value (inclusive)
 * @param max the largest allowed value (inclusive)
 * @param meaning what it does, for the documentation
 */
public record SchemeParam(String name, double defaultValue, double min, double max, String meaning)
        implements Serializable {
    public SchemeParam {
        Check.argument(name != null && !name.isEmpty(), "a parameter needs a name, found '%s'", name);
        Check.argument(min <= defaultValue && defaultValue <= max, "%s: default %s must be in [%s, %s]", name, defaultValue,
                min, max);
    }

    /** Whether {@code value} is in [min, max]. */
    public boolean accepts(double value) {
        return value >= min && value <= max;
    }
}
