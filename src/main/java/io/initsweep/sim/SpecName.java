package io.initsweep.sim;

/**
 * A closed set of names a spec may use (an enum of initializers, activations, dtypes, …): the
 * lookup by name and the list of names for error messages, written once.
 */
public interface SpecName {
    /** The name used in job specs and output columns. */
    String id();

    /** The constant of {@code values} named {@code id}; null if none is. */
    static <T extends SpecName> T byId(T[] values, String id) {
        for (T v : values) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        return null;
    }

    /** The names of {@code values}, comma-separated in declaration order, for error messages. */
    static String ids(SpecName[] values) {
        StringBuilder sb = new StringBuilder();
        for (SpecName v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v.id());
        }
        return sb.toString();
    }
}
