package io.initsweep.sim;

import java.io.Serializable;

/**
 * What the per-layer statistics pass records.
 *
 * @param histogram bins over φ(a)
 * @param logHistogram bins over log10|φ(a)|; a bin holds |z| in [10^e_k, 10^e_{k+1}); |z| = 0 and
 *     |z| &lt; 10^lo are underflow
 * @param saturationThreshold τ in (0, 1]: a is saturated when φ'(a) &lt; τ · max φ'
 * @param gradients the backward pass to run and record, or null for none (forward statistics only)
 * @param training the training run of every grid point, or null for none
 */
public record StatsConfig(HistogramSpec histogram, HistogramSpec logHistogram, double saturationThreshold,
        Gradients gradients, TrainingSetup training) implements Serializable {
    /** Default log-magnitude histogram: log10|z| from −12 to +4 in half-decade bins. */
    public static final HistogramSpec DEFAULT_LOG_HISTOGRAM = new HistogramSpec(-12, 4, 32);

    /** Default τ. */
    public static final double DEFAULT_SATURATION_THRESHOLD = 0.05;

    public StatsConfig {
        if (!(saturationThreshold > 0 && saturationThreshold <= 1)) {
            throw new IllegalArgumentException("saturation threshold must be in (0, 1], found " + saturationThreshold);
        }
    }

    /** No training run. */
    public StatsConfig(HistogramSpec histogram, HistogramSpec logHistogram, double saturationThreshold, Gradients gradients) {
        this(histogram, logHistogram, saturationThreshold, gradients, null);
    }

    /** Forward statistics only, no backward pass. */
    public StatsConfig(HistogramSpec histogram, HistogramSpec logHistogram, double saturationThreshold) {
        this(histogram, logHistogram, saturationThreshold, null);
    }

    /** This configuration with the backward pass {@code g} (null: none). */
    public StatsConfig withGradients(Gradients g) {
        return new StatsConfig(histogram, logHistogram, saturationThreshold, g, training);
    }

    /** This configuration with the training run {@code t} (null: none). */
    public StatsConfig withTraining(TrainingSetup t) {
        return new StatsConfig(histogram, logHistogram, saturationThreshold, gradients, t);
    }

    /** Whether the forward pass keeps a tape of A, W and b: for the backward pass or the training runs. */
    public boolean tapes() {
        return gradients != null || training != null;
    }
}
