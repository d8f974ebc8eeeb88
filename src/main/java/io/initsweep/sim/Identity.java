package io.initsweep.sim;

import java.util.List;

/**
 * factor·I: ones where the row index equals the column index of PyTorch's (fan_out, fan_in)
 * weight (equally of W), so a non-square layer keeps min(fan_in, fan_out) units; factor default 1.
 * PyTorch {@code nn.init.eye_} (times factor); Keras {@code Identity(gain)}. Nominal std: the entry
 * RMS, exact: |factor|/√max(fan_in, fan_out) (its mean is not 0).
 *
 * @param factor the multiplier of the identity
 */
public record Identity(double factor) implements Initializer {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("identity", List.of("eye_"),
            "factor·I on (out, in): ones where row = column",
            "PyTorch `eye_` times a factor (Keras `Identity(gain)`); 0.5·I / 1.5·I show vanishing / exploding",
            List.of(InitParam.real("factor", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "multiplier of the identity")),
            a -> new Identity(a.real("factor")))
            .inCatalogueAs("{identity: {factor: 0.5}}", null,
                    "{identity: {factor: 1.5}}", null);

    public Identity {
        SCHEME.checked("factor", factor);
    }

    /** The factor, recorded as the init's value. */
    @Override
    public double value() {
        return factor;
    }

    @Override
    public Family family() {
        return Family.NONE;
    }

    @Override
    public void fill(Weights weights, double[] w) {
        weights.diagonal(factor, w);
    }

    @Override
    public double nominalStd(int fanIn, int fanOut) {
        return Math.abs(factor) / Math.sqrt(Math.max(fanIn, fanOut));
    }
}
