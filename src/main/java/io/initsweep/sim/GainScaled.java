package io.initsweep.sim;

/**
 * PyTorch's variance-scaling members (xavier_*, kaiming_*): a gain, variance scale gain², and s
 * by PyTorch's own formula ({@link Xavier}, {@link Kaiming}).
 */
sealed interface GainScaled extends VarianceScalingFamily permits Xavier, Kaiming {
    @Override
    double gain();

    @Override
    default double scale() {
        return gain() * gain();
    }
}
