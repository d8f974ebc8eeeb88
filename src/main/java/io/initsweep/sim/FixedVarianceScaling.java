package io.initsweep.sim;

/**
 * The Keras/JAX members of variance scaling without parameters (glorot_*, he_*, lecun_*): each is
 * {@code variance_scaling} at a fixed (scale, mode, distribution), its {@link #law()}, and draws
 * exactly what that {@link VarianceScaling} draws.
 */
sealed interface FixedVarianceScaling extends VarianceScalingFamily
        permits GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform {
    /** The variance_scaling this member is. */
    VarianceScaling law();

    @Override
    default double scale() {
        return law().scale();
    }

    @Override
    default FanMode mode() {
        return law().mode();
    }

    @Override
    default Distribution distribution() {
        return law().distribution();
    }
}
