package io.initsweep.sim;

/**
 * The schemes whose weights are the grid's std axis value times their family's base draws
 * (normal, uniform): W = std · G, nominal std std, and mean-field theory applies.
 */
sealed interface StdAxisScaled extends Initializer permits Normal, Uniform {
    @Override
    default void fill(Weights weights, double[] w) {
        weights.scaledBase(std(), w);
    }

    @Override
    default double baseScale(int fanIn, int fanOut) {
        return std();
    }

    @Override
    default double nominalStd(int fanIn, int fanOut) {
        return std();
    }

    @Override
    default boolean meanFieldApplies() {
        return true;
    }
}
