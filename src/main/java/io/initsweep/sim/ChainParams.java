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
 * @param init weight initializer with its parameters (the std axis value among them)
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
        InitParams init,
        Activation activation,
        double activationParam,
        int maxDepth,
        StatsConfig stats)
        implements Serializable {

    public ChainParams {
        java.util.Objects.requireNonNull(init, "init");
        if (width < 1 || batch < 1 || maxDepth < 1) {
            throw new IllegalArgumentException(
                    "width, batch and depth must be >= 1, found " + width + ", " + batch + ", " + maxDepth);
        }
    }

    /** The std axis value for fixed-scale inits; NaN when the init does not use it. */
    public double initStd() {
        return init.std();
    }

    /** The value of constant and ones, the factor of identity; NaN otherwise. */
    public double initValue() {
        return init.value();
    }

    /** The nominal weight std-dev every layer uses, see {@link InitParams#nominalStd}. */
    public double weightStd() {
        return init.nominalStd(width, width);
    }

    /** Estimated cost in multiply-adds: depth × batch × width². */
    public double cost() {
        return (double) maxDepth * batch * (double) width * width;
    }
}
