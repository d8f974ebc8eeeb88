package io.initsweep.sim;

import java.util.List;

/**
 * Variance scaling with scale 1, fan_avg, uniform: U(−l, l), l = √(6/(fan_in + fan_out)). Keras
 * {@code GlorotUniform} (the Dense default), JAX {@code glorot_uniform}.
 */
public record GlorotUniform() implements FixedVarianceScaling {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("glorot_uniform", List.of(),
            "U(−l, l), l = √(6/(fan_in+fan_out))",
            "Keras `GlorotUniform` (Dense's default); JAX `glorot_uniform`", List.of(), a -> new GlorotUniform());
    private static final VarianceScaling LAW = new VarianceScaling(1.0, FanMode.FAN_AVG, Distribution.UNIFORM);

    @Override
    public VarianceScaling law() {
        return LAW;
    }
}
