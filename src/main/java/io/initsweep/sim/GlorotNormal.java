package io.initsweep.sim;

import java.util.List;

/**
 * Glorot &amp; Bengio (2010), Keras/JAX form: variance scaling with scale 1, fan_avg, truncated
 * normal: s·T, s = √(2/(fan_in + fan_out)). Keras {@code GlorotNormal}, JAX {@code glorot_normal}.
 */
public record GlorotNormal() implements FixedVarianceScaling {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("glorot_normal", List.of(),
            "s·T, s = √(2/(fan_in+fan_out))",
            "Keras `GlorotNormal`; JAX `glorot_normal`", List.of(), a -> new GlorotNormal());
    private static final VarianceScaling LAW = new VarianceScaling(1.0, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL);

    @Override
    public VarianceScaling law() {
        return LAW;
    }
}
