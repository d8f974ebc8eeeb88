package io.initsweep.sim;

import java.util.List;

/**
 * Glorot &amp; Bengio (2010): U(−√3·s, √3·s), s = gain·√(2/(fan_in + fan_out)), so the bound is
 * gain·√(6/(fan_in + fan_out)); gain default 1. PyTorch {@code nn.init.xavier_uniform_(gain)}.
 *
 * @param gain the multiplier of the std
 */
public record XavierUniform(double gain) implements Xavier {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("xavier_uniform", List.of("xavier_uniform_"),
            "U(−√3·s, √3·s), same s", "PyTorch `xavier_uniform_`", PARAMS, a -> new XavierUniform(a.real("gain")))
            .inCatalogueAs("{xavier_uniform: {gain: 1.5}}", null);

    public XavierUniform {
        SCHEME.checked("gain", gain);
    }

    @Override
    public Distribution distribution() {
        return Distribution.UNIFORM;
    }
}
