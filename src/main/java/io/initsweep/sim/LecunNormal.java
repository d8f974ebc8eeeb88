package io.initsweep.sim;

import java.util.List;

/**
 * LeCun et al. (1998), Klambauer et al. (2017): variance scaling with scale 1, fan_in, truncated
 * normal: s·T, s = √(1/fan_in). Keras {@code LecunNormal}, JAX {@code lecun_normal}.
 */
public record LecunNormal() implements FixedVarianceScaling {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("lecun_normal", List.of(),
            "s·T, s = √(1/fan_in)",
            "Keras `LecunNormal`; JAX `lecun_normal`", List.of(), a -> new LecunNormal());
    private static final VarianceScaling LAW = new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL);

    @Override
    public VarianceScaling law() {
        return LAW;
    }
}
