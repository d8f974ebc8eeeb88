package io.initsweep.sim;

import java.util.List;

/**
 * Keras {@code VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")}, JAX
 * {@code variance_scaling(scale, mode, distribution)}: s² = scale / n with n = fan_in, fan_out or
 * (fan_in + fan_out)/2; distribution {@code normal} N(0, s²) (Keras calls it "untruncated_normal"),
 * {@code truncated_normal} s·T with T = N(0, 1) restricted to (−2, 2) divided by
 * 0.87962566103423978 (its std), {@code uniform} U(−√3·s, √3·s).
 *
 * @param scale the variance scale
 * @param mode which fan n is
 * @param distribution the distribution of the weights
 */
public record VarianceScaling(double scale, FanMode mode, Distribution distribution) implements VarianceScalingFamily {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("variance_scaling", List.of(),
            "normal N(0, s²), truncated_normal s·T, uniform U(−√3·s, √3·s)",
            "Keras `VarianceScaling`; JAX `variance_scaling` (here, as in JAX, `normal` is untruncated)",
            List.of(InitParam.positive("scale", 1.0, "variance scale"),
                    InitParam.choice("mode", "fan_in", FanMode.idList(), "which fan n is"),
                    InitParam.choice("distribution", "truncated_normal", Distribution.idList(),
                            "normal is untruncated")),
            a -> new VarianceScaling(a.real("scale"), FanMode.byId(a.text("mode")),
                    Distribution.byId(a.text("distribution"))))
            .inCatalogueAs("variance_scaling", null,
                    "{variance_scaling: {scale: 2, mode: fan_avg, distribution: uniform}}", null);

    public VarianceScaling {
        SCHEME.checked("scale", scale);
        SCHEME.checked("mode", mode);
        SCHEME.checked("distribution", distribution);
    }
}
