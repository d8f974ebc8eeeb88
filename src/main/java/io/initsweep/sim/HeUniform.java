package io.initsweep.sim;

import java.util.List;

/**
 * Variance scaling with scale 2, fan_in, uniform: U(−l, l), l = √(6/fan_in). Keras
 * {@code HeUniform}, JAX {@code he_uniform}.
 */
public record HeUniform() implements FixedVarianceScaling {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("he_uniform", List.of(),
            "U(−l, l), l = √(6/fan_in)",
            "Keras `HeUniform`; JAX `he_uniform`", List.of(), a -> new HeUniform());
    private static final VarianceScaling LAW = new VarianceScaling(2.0, FanMode.FAN_IN, Distribution.UNIFORM);

    @Override
    public VarianceScaling law() {
        return LAW;
    }
}
