package io.initsweep.sim;

import java.util.List;

/**
 * N(0, std²), std from the grid's std axis. PyTorch {@code nn.init.normal_(mean=0, std)}, Keras
 * {@code RandomNormal}, JAX {@code normal}. Nominal std: std.
 *
 * @param std the grid's std axis value
 */
public record Normal(double std) implements StdAxisScaled {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.onStdAxis("normal", List.of("normal_", "random_normal"),
            "N(0, std²)", "PyTorch `normal_`; Keras `RandomNormal`; JAX `normal`", List.of(), a -> new Normal(a.std()));

    public Normal {
        SCHEME.checkedStd(std);
    }

    @Override
    public Family family() {
        return Family.GAUSSIAN;
    }
}
