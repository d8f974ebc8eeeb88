package io.initsweep.sim;

import java.util.List;

/**
 * U(−√3·std, √3·std): variance std², std from the grid's std axis. PyTorch
 * {@code nn.init.uniform_(a=−√3·std, b=√3·std)}; Keras {@code RandomUniform} with those bounds.
 * Nominal std: std.
 *
 * @param std the grid's std axis value
 */
public record Uniform(double std) implements StdAxisScaled {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.onStdAxis("uniform", List.of("uniform_", "random_uniform"),
            "U(−√3·std, √3·std) (variance std²)", "PyTorch `uniform_(−√3·std, √3·std)`", List.of(),
            a -> new Uniform(a.std()));

    public Uniform {
        SCHEME.checkedStd(std);
    }

    @Override
    public Family family() {
        return Family.UNIFORM;
    }
}
