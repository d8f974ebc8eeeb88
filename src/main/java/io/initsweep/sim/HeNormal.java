package io.initsweep.sim;

import java.util.List;

/**
 * He et al. (2015), Keras/JAX form: variance scaling with scale 2, fan_in, truncated normal: s·T,
 * s = √(2/fan_in). Keras {@code HeNormal}, JAX {@code he_normal}.
 */
public record HeNormal() implements FixedVarianceScaling {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("he_normal", List.of(),
            "s·T, s = √(2/fan_in)",
            "Keras `HeNormal`; JAX `he_normal`", List.of(), a -> new HeNormal());
    private static final VarianceScaling LAW = new VarianceScaling(2.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL);

    @Override
    public VarianceScaling law() {
        return LAW;
    }
}
