package io.initsweep.sim;

import java.util.List;

/**
 * Variance scaling with scale 1, fan_in, uniform: U(−l, l), l = √(3/fan_in). Keras
 * {@code LecunUniform}, JAX {@code lecun_uniform}.
 */
public record LecunUniform() implements FixedVarianceScaling {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("lecun_uniform", List.of(),
            "U(−l, l), l = √(3/fan_in)",
            "Keras `LecunUniform`; JAX `lecun_uniform`", List.of(), a -> new LecunUniform());
    private static final VarianceScaling LAW = new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.UNIFORM);

    @Override
    public VarianceScaling law() {
        return LAW;
    }
}
