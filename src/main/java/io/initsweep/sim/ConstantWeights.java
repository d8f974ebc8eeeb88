package io.initsweep.sim;

/** The schemes that set every weight to one value (zeros, ones, constant): no draws, nominal std 0. */
sealed interface ConstantWeights extends Initializer permits Zeros, Ones, Constant {
    @Override
    double constantWeight();

    @Override
    default Family family() {
        return Family.NONE;
    }

    @Override
    default void fill(Weights weights, double[] w) {
        weights.constant(constantWeight(), w);
    }

    @Override
    default double nominalStd(int fanIn, int fanOut) {
        return 0.0;
    }
}
