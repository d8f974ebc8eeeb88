package io.initsweep.sim;

/**
 * Floating-point type of the simulated network: the matrix product (DGEMM or SGEMM), the
 * activations stored between layers and the statistics' inputs. float32 rounds A and Z to
 * single precision exactly where a float32 framework would (the product accumulates in float32;
 * φ is evaluated in double on the float32 pre-activation and rounded once), so overflow,
 * underflow and saturation show up as they would in a float32 model; the statistics themselves
 * are accumulated in double for both.
 */
public enum Dtype implements SpecName {
    /** IEEE 754 binary64. */
    FLOAT64("float64"),
    /** IEEE 754 binary32. */
    FLOAT32("float32");

    private final String id;

    Dtype(String id) {
        this.id = id;
    }

    /** The name used in job specs and output columns. */
    @Override
    public String id() {
        return id;
    }

    /** Looks up a dtype by its spec name; null if unknown. */
    public static Dtype byId(String id) {
        return SpecName.byId(values(), id);
    }

    /** The spec names, for error messages. */
    public static String ids() {
        return SpecName.ids(values());
    }
}
