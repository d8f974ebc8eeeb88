package io.initsweep.sim;

import java.io.Serializable;

/**
 * Everything that determines one chain: a network simulated once to {@code maxDepth} layers,
 * from which every grid point that differs only in depth reads its first layers.
 *
 * @param masterSeed the sweep's master seed
 * @param seed the grid's seed axis value
 * @param width units per layer (fan_in = fan_out = width)
 * @param batch rows of the input
 * @param input distribution of the input
 * @param init weight initializer
 * @param initStd the std axis value for fixed-scale inits; NaN when the init does not use it
 * @param initValue the constant init's value; NaN otherwise
 * @param activation activation function
 * @param activationParam its parameter (leaky slope); NaN when it has none
 * @param maxDepth layers to simulate
 * @param stats what to record per layer
 */
public record ChainParams(
        long masterSeed,
        long seed,
        int width,
        int batch,
        InputDistribution input,
        Init init,
        double initStd,
        double initValue,
        Activation activation,
        double activationParam,
        int maxDepth,
        StatsConfig stats)
        implements Serializable {

    public ChainParams {
        if (width < 1 || batch < 1 || maxDepth < 1) {
            throw new IllegalArgumentException(
                    "width, batch and depth must be >= 1, found " + width + ", " + batch + ", " + maxDepth);
        }
    }

    /** The effective weight std-dev every layer uses. */
    public double weightStd() {
        return init.weightStd(initStd, width, width);
    }

    /** The multiplier of the base matrix, see {@link Init#multiplier}. */
    public double multiplier() {
        return init.multiplier(initStd, initValue, width, width);
    }

    /** Estimated cost in multiply-adds: depth × batch × width². */
    public double cost() {
        return (double) maxDepth * batch * (double) width * width;
    }
}
