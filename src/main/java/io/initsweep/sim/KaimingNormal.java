package io.initsweep.sim;

import java.util.List;

/**
 * He et al. (2015): N(0, s²), s = gain/√fan_mode. PyTorch {@code nn.init.kaiming_normal_(a, mode,
 * nonlinearity)} (untruncated; JAX's {@code kaiming_normal} is its truncated {@code he_normal}).
 *
 * @param gain the resolved gain
 * @param mode fan_in or fan_out
 */
public record KaimingNormal(double gain, FanMode mode) implements Kaiming {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("kaiming_normal", List.of("kaiming_normal_"),
            "N(0, s²), s = gain/√fan_mode",
            "PyTorch `kaiming_normal_(a, mode, nonlinearity)`: give gain, or a and nonlinearity", PARAMS,
            a -> new KaimingNormal(Kaiming.gainOf(a), FanMode.byId(a.text("mode"))));

    public KaimingNormal {
        SCHEME.checked("gain", gain);
        SCHEME.checked("mode", mode);
    }

    @Override
    public Distribution distribution() {
        return Distribution.NORMAL;
    }
}
