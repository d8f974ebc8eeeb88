package io.initsweep.sim;

/**
 * The variance-scaling schemes: weights s·G with G unit-variance base draws of the
 * {@link #distribution()}'s family and s² = {@link #scale()}/n, n the {@link #mode()}'s fan
 * (Keras/JAX {@code VarianceScaling}). PyTorch's xavier_* and kaiming_* are members with scale =
 * gain², and compute s by their own formula ({@link #varianceScalingStd}), as PyTorch does. The
 * nominal std is s (for truncated_normal the 0.8796… correction makes it the std after truncation).
 */
public sealed interface VarianceScalingFamily extends Initializer
        permits VarianceScaling, GainScaled, FixedVarianceScaling {

    /** Which fan the variance-scaling denominator n is (Keras/JAX {@code mode}). */
    enum FanMode implements SpecName {
        /** n = fan_in: preserves the forward pass's variance. */
        FAN_IN("fan_in"),
        /** n = fan_out: preserves the backward pass's variance. */
        FAN_OUT("fan_out"),
        /** n = (fan_in + fan_out)/2: Glorot's compromise. */
        FAN_AVG("fan_avg");

        private final String id;

        FanMode(String id) {
            this.id = id;
        }

        /** The spec name. */
        @Override
        public String id() {
            return id;
        }

        /** n for a layer of this shape. */
        public double fan(int fanIn, int fanOut) {
            return switch (this) {
                case FAN_IN -> fanIn;
                case FAN_OUT -> fanOut;
                case FAN_AVG -> (fanIn + (double) fanOut) / 2.0;
            };
        }

        /** Looks a mode up by its spec name; null if unknown. */
        public static FanMode byId(String id) {
            return SpecName.byId(values(), id);
        }

        /** The spec names, for error messages. */
        public static String ids() {
            return SpecName.ids(values());
        }

        /** The spec names as a list (a parameter's choices). */
        static java.util.List<String> idList() {
            return java.util.Arrays.stream(values()).map(FanMode::id).toList();
        }
    }

    /**
     * The distribution of a variance-scaling initializer's weights, each with std s = √(scale/n).
     * Note: Keras's VarianceScaling reads "normal" as truncated_normal and calls the untruncated
     * one "untruncated_normal"; the names here are JAX's.
     */
    enum Distribution implements SpecName {
        /** N(0, s²). */
        NORMAL("normal", Family.GAUSSIAN),
        /** s·Z/0.87962566103423978, Z ~ N(0, 1) restricted to (−2, 2): std s. */
        TRUNCATED_NORMAL("truncated_normal", Family.TRUNCATED_GAUSSIAN),
        /** U(−√3·s, √3·s). */
        UNIFORM("uniform", Family.UNIFORM);

        private final String id;
        private final Family family;

        Distribution(String id, Family family) {
            this.id = id;
            this.family = family;
        }

        /** The spec name. */
        @Override
        public String id() {
            return id;
        }

        /** The base draws s scales. */
        public Family family() {
            return family;
        }

        /** Looks a distribution up by its spec name; null if unknown. */
        public static Distribution byId(String id) {
            return SpecName.byId(values(), id);
        }

        /** The spec names, for error messages. */
        public static String ids() {
            return SpecName.ids(values());
        }

        /** The spec names as a list (a parameter's choices). */
        static java.util.List<String> idList() {
            return java.util.Arrays.stream(values()).map(Distribution::id).toList();
        }
    }

    /** The variance scale: std² = scale / n (PyTorch's members: gain²). */
    double scale();

    /** Which fan n is. */
    FanMode mode();

    /** The distribution of the weights. */
    Distribution distribution();

    /**
     * The std s of the weights, by the scheme's framework's own formula: Keras/JAX's √(scale/n)
     * here; PyTorch's xavier_* gain·√(2/(fan_in + fan_out)) and kaiming_* gain/√fan_mode in theirs.
     */
    default double varianceScalingStd(int fanIn, int fanOut) {
        return Math.sqrt(scale() / mode().fan(fanIn, fanOut));
    }

    @Override
    default Family family() {
        return distribution().family();
    }

    @Override
    default void fill(Weights weights, double[] w) {
        weights.scaledBase(varianceScalingStd(weights.fanIn(), weights.fanOut()), w);
    }

    @Override
    default double baseScale(int fanIn, int fanOut) {
        return varianceScalingStd(fanIn, fanOut);
    }

    @Override
    default double nominalStd(int fanIn, int fanOut) {
        return varianceScalingStd(fanIn, fanOut);
    }

    @Override
    default boolean meanFieldApplies() {
        return true;
    }
}
