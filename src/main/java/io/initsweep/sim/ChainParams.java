package io.initsweep.sim;

import java.io.Serializable;
import java.util.Objects;

/**
 * Everything that determines one chain: a network simulated once to {@code maxDepth} layers,
 * from which every grid point that differs only in depth reads its first layers.
 *
 * @param masterSeed the sweep's master seed
 * @param seed the grid's seed axis value
 * @param width units per hidden layer (fan_out of every layer, fan_in of layers 2..depth)
 * @param batch rows of the input
 * @param input distribution of the input
 * @param init weight initializer with its parameters (the std axis value among them)
 * @param activation activation function
 * @param activationParam its parameter (leaky slope, elu alpha); NaN when it has none
 * @param maxDepth layers to simulate
 * @param stats what to record per layer
 * @param inputWidth columns of the input, the first layer's fan_in
 * @param biasStd std-dev of every layer's bias, b ~ N(0, biasStd²); 0 = no bias
 * @param dtype floating-point type of the network
 * @param inputData SHA-256 of the data file when {@code input} is {@link InputDistribution#DATA}, else null
 * @param inputCorrelation c⁰ in [0, 1): the rows of a normal input are √(1 − c⁰)·e_i + √c⁰·s with one
 *     shared N(0, I) row s, so that any two rows have correlation c⁰; 0 for every other input
 */
public record ChainParams(
        long masterSeed,
        long seed,
        int width,
        int batch,
        InputDistribution input,
        Initializer init,
        Activation activation,
        double activationParam,
        int maxDepth,
        StatsConfig stats,
        int inputWidth,
        double biasStd,
        Dtype dtype,
        String inputData,
        double inputCorrelation)
        implements Serializable {

    public ChainParams {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(dtype, "dtype");
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
        if (!(inputCorrelation >= 0 && inputCorrelation < 1)) {
            throw new IllegalArgumentException("input correlation must be in [0, 1), found " + inputCorrelation);
        }
        if (inputCorrelation != 0 && input != InputDistribution.NORMAL) {
            throw new IllegalArgumentException("only a normal input takes a correlation, found " + input.id());
        }
    }

    /** Inputs without a correlation between rows. */
    public ChainParams(long masterSeed, long seed, int width, int batch, InputDistribution input, Initializer init,
            Activation activation, double activationParam, int maxDepth, StatsConfig stats, int inputWidth,
            double biasStd, Dtype dtype, String inputData) {
        this(masterSeed, seed, width, batch, input, init, activation, activationParam, maxDepth, stats, inputWidth,
                biasStd, dtype, inputData, 0.0);
    }

    /** A square network (input width = width), no bias, float64. */
    public ChainParams(long masterSeed, long seed, int width, int batch, InputDistribution input, Initializer init,
            Activation activation, double activationParam, int maxDepth, StatsConfig stats) {
        this(masterSeed, seed, width, batch, input, init, activation, activationParam, maxDepth, stats, width, 0.0,
                Dtype.FLOAT64, null);
    }

    /** The std axis value for fixed-scale inits; NaN when the init does not use it. */
    public double initStd() {
        return init.std();
    }

    /** The value of constant and ones, the factor of identity; NaN otherwise. */
    public double initValue() {
        return init.value();
    }

    /** The nominal weight std-dev of the hidden layers (fan_in = fan_out = width), see {@link Initializer#nominalStd}. */
    public double weightStd() {
        return init.nominalStd(width, width);
    }

    /** The same chain at another grid seed. */
    public ChainParams withSeed(long newSeed) {
        return new ChainParams(masterSeed, newSeed, width, batch, input, init, activation, activationParam, maxDepth, stats,
                inputWidth, biasStd, dtype, inputData, inputCorrelation);
    }

    /** fan_in of layer {@code layer} (1-based): the input width for the first layer, the width after it. */
    public int fanIn(int layer) {
        return layer == 1 ? inputWidth : width;
    }

    /**
     * Whether this chain is computed as a rescaled unit-scale network ({@link ForwardPass}):
     * float64, no bias, a positively homogeneous activation (relu, leaky_relu, linear) and weights
     * that are a positive multiple of their family's base draws. Chains with equal
     * {@link #unitKey} then share one matrix product per layer.
     */
    public boolean scalesUnitNetwork() {
        if (dtype != Dtype.FLOAT64 || biasStd != 0.0 || !activation.positivelyHomogeneous()) {
            return false;
        }
        for (int layer = 1; layer <= Math.min(2, maxDepth); layer++) {
            double s = init.baseScale(fanIn(layer), width);
            if (!(s > 0) || Double.isInfinite(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the unit-scale network of a {@link #scalesUnitNetwork} chain depends on: everything
     * but the init's scale. Null for other chains, and for chains with gradients: each of those
     * runs alone, so that its forward pass's tape is there for its backward pass.
     */
    public UnitKey unitKey() {
        return scalesUnitNetwork() && !stats.tapes()
                ? new UnitKey(masterSeed, seed, width, batch, input, init.family(), activation,
                        Double.doubleToLongBits(activationParam), maxDepth, stats, inputWidth, inputData,
                        Double.doubleToLongBits(inputCorrelation))
                : null;
    }

    /** See {@link #unitKey}. */
    public record UnitKey(long masterSeed, long seed, int width, int batch, InputDistribution input, Initializer.Family family,
            Activation activation, long activationParamBits, int maxDepth, StatsConfig stats, int inputWidth,
            String inputData, long inputCorrelationBits) implements Serializable {}

    /**
     * Estimated cost in multiply-adds: batch × width × (input width + (depth − 1) × width), three
     * times that with gradients (the backward pass of the deepest point alone is two GEMMs a layer),
     * plus, with training, the deepest point's steps (three GEMMs a layer on a minibatch) and its
     * evaluations (a forward pass over the training, test and symmetry rows per record).
     */
    public double cost() {
        double forward = (double) batch * width * ((double) inputWidth + (double) (maxDepth - 1) * width);
        double total = stats.gradients() == null ? forward : 3 * forward;
        TrainingSetup t = stats.training();
        if (t != null) {
            double perRow = (double) width * ((double) inputWidth + (double) (maxDepth - 1) * width);
            total += (double) t.steps() * TrainingSetup.stepProducts(t.batch(), inputWidth, width, maxDepth, t.outputs());
            total += (double) t.recordSteps().length * perRow
                    * (t.samples() + t.testSamples() + Math.min(t.samples(), Training.SYMMETRY_SAMPLES));
        }
        return total;
    }
}
