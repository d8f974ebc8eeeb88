package io.initsweep.sim;

import java.util.List;

/**
 * He et al. (2015): U(−√3·s, √3·s), s = gain/√fan_mode, so the bound is gain·√(3/fan_mode). PyTorch
 * {@code nn.init.kaiming_uniform_(a, mode, nonlinearity)}; {@code a = √5} is {@code nn.Linear}'s
 * default, U(±1/√fan_in).
 *
 * @param gain the resolved gain
 * @param mode fan_in or fan_out
 */
public record KaimingUniform(double gain, FanMode mode) implements Kaiming {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("kaiming_uniform", List.of("kaiming_uniform_"),
            "U(−√3·s, √3·s), same s",
            "PyTorch `kaiming_uniform_(a, mode, nonlinearity)`; `{kaiming_uniform: {a: 2.23606797749979}}` (a = √5) is"
                    + " `nn.Linear`'s default, U(±1/√fan_in)",
            PARAMS, a -> new KaimingUniform(Kaiming.gainOf(a), FanMode.byId(a.text("mode"))))
            .inCatalogueAs("{kaiming_uniform: {mode: fan_out}}", null,
                    "{kaiming_uniform: {a: 2.23606797749979}}", "PyTorch nn.Linear's default: kaiming_uniform_(a=√5), i.e. U(±1/√fan_in)");

    public KaimingUniform {
        SCHEME.checked("gain", gain);
        SCHEME.checked("mode", mode);
    }

    @Override
    public Distribution distribution() {
        return Distribution.UNIFORM;
    }
}
