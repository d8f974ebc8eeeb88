package io.initsweep.sim;

import java.util.List;

/** All weights 0. PyTorch {@code nn.init.zeros_}, Keras {@code Zeros}, JAX {@code zeros}. Nominal std: 0. */
public record Zeros() implements ConstantWeights {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("zeros", List.of("zeros_"), "0", "PyTorch `zeros_`; Keras `Zeros`",
            List.of(), a -> new Zeros());

    @Override
    public double constantWeight() {
        return 0.0;
    }
}
