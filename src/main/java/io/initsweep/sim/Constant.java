package io.initsweep.sim;

import java.util.List;

/**
 * All weights equal to {@code value} (no default). PyTorch {@code nn.init.constant_(val)}, Keras
 * {@code Constant(value)}, JAX {@code constant(value)}. Nominal std: 0.
 *
 * @param value the weight value
 */
public record Constant(double value) implements ConstantWeights {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("constant", List.of("constant_"), "value",
            "PyTorch `constant_`; Keras `Constant`",
            List.of(InitParam.real("value", null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "the weight value")),
            a -> new Constant(a.real("value")))
            .inCatalogueAs("{constant: {value: 0.05}}", null);

    public Constant {
        SCHEME.checked("value", value);
    }

    @Override
    public double constantWeight() {
        return value;
    }
}
