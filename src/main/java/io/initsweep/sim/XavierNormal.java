package io.initsweep.sim;

import java.util.List;

/**
 * Glorot &amp; Bengio (2010): N(0, s²), s = gain·√(2/(fan_in + fan_out)), gain default 1. PyTorch
 * {@code nn.init.xavier_normal_(gain)} (untruncated; JAX's {@code xavier_normal} is its truncated
 * {@code glorot_normal}).
 *
 * @param gain the multiplier of the std
 */
public record XavierNormal(double gain) implements Xavier {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("xavier_normal", List.of("xavier_normal_"),
            "N(0, s²), s = gain·√(2/(fan_in+fan_out))", "PyTorch `xavier_normal_`", PARAMS,
            a -> new XavierNormal(a.real("gain")));

    public XavierNormal {
        SCHEME.checked("gain", gain);
    }

    @Override
    public Distribution distribution() {
        return Distribution.NORMAL;
    }
}
