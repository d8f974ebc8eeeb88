package io.initsweep.sim;

import java.util.List;

/** All weights 1. PyTorch {@code nn.init.ones_}, Keras {@code Ones}, JAX {@code ones}. Nominal std: 0. */
public record Ones() implements ConstantWeights {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("ones", List.of("ones_"), "1", "PyTorch `ones_`; Keras `Ones`",
            List.of(), a -> new Ones());

    /** 1, recorded as the init's value. */
    @Override
    public double value() {
        return 1.0;
    }

    @Override
    public double constantWeight() {
        return 1.0;
    }
}
