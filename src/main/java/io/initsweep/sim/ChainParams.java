package io.initsweep.sim;

import java.io.Serializable;

/**
 * Everything that determines one chain: a network simulated once to {@code maxDepth} layers,
 * from which every grid point that differs only in depth reads its first layers.
 *
 * @param masterSeed the sweep's master seed
 * @param seed the grid's seed axis value
 * @param width units per hidden layer (fan_out of every layer, fan_in of layers 2..depth)
 * @param batch rows of the input
 * @param input distribution of the input
 * @param init weight initializer
 * @param initStd the std axis value for fixed-scale inits; NaN when the init does not use it
 * @param initValue the constant init's value; NaN otherwise
 * @param activation activation function
 * @param activationParam its parameter (leaky slope); NaN when it has none
 * @param maxDepth layers to simulate
 * @param stats what to record per layer
 * @param inputWidth columns of the input, the first layer's fan_in
 * @param biasStd std-dev of every layer's bias, b ~ N(0, biasStd²); 0 = no bias
 * @param dtype floating-point type of the network
 * @param inputData SHA-256 of the data file when {@code input} is {@link InputDistribution#DATA}, else null
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
        StatsConfig stats,
        int inputWidth,
        double biasStd,
        Dtype dtype,
        String inputData)
        implements Serializable {

    public ChainParams {
        if (width < 1 || batch < 1 || maxDepth < 1 || inputWidth < 1) {
            throw new IllegalArgumentException("width, batch, depth and input width must be >= 1, found " + width + ", "
                    + batch + ", " + maxDepth + ", " + inputWidth);
        }
        if (!(biasStd >= 0) || Double.isInfinite(biasStd)) {
            throw new IllegalArgumentException("bias std must be finite and >= 0, found " + biasStd);
        }
        if ((input == InputDistribution.DATA) != (inputData != null)) {
            throw new IllegalArgumentException("a data input needs its file's id, and only a data input has one");
        }
    }

    /** A square network (input width = width), no bias, float64. */
    public ChainParams(long masterSeed, long seed, int width, int batch, InputDistribution input, Init init, double initStd,
            double initValue, Activation activation, double activationParam, int maxDepth, StatsConfig stats) {
        this(masterSeed, seed, width, batch, input, init, initStd, initValue, activation, activationParam, maxDepth, stats,
                width, 0.0, Dtype.FLOAT64, null);
    }

    /** The same chain at another grid seed. */
    public ChainParams withSeed(long newSeed) {
        return new ChainParams(masterSeed, newSeed, width, batch, input, init, initStd, initValue, activation, activationParam,
                maxDepth, stats, inputWidth, biasStd, dtype, inputData);
    }

    /** fan_in of layer {@code layer} (1-based): the input width for the first layer, the width after it. */
    public int fanIn(int layer) {
        return layer == 1 ? inputWidth : width;
    }

    /** The effective weight std-dev every layer uses. */
    public double weightStd() {
        return init.weightStd(initStd, width, width);
    }

    /** The multiplier of the base matrix of the hidden layers (fan_in = fan_out = width), see {@link Init#multiplier}. */
    public double multiplier() {
        return init.multiplier(initStd, initValue, width, width);
    }

    /** The multiplier of layer {@code layer}'s base matrix (1-based; layer 1's fan_in is the input width). */
    public double multiplier(int layer) {
        return init.multiplier(initStd, initValue, fanIn(layer), width);
    }

    /** Estimated cost in multiply-adds: batch × width × (input width + (depth − 1) × width). */
    public double cost() {
        return (double) batch * width * ((double) inputWidth + (double) (maxDepth - 1) * width);
    }
}
