package io.initsweep.spec;

import io.initsweep.sim.Dtype;
import java.util.List;
import java.util.Map;

/**
 * A validated job spec. Built only by {@link SpecParser}; every list is a non-empty axis of
 * distinct values, in the order the spec gives them.
 *
 * @param name the sweep's name (the {@code sweep} column)
 * @param masterSeed the master seed every random stream derives from
 * @param widths width axis
 * @param batches batch axis
 * @param inputs input axis (drawn distributions and data files)
 * @param inputWidths input width axis (the first layer's fan_in); empty = the width
 * @param biasStds bias std-dev axis (0 = no bias)
 * @param dtypes dtype axis
 * @param inits init axis
 * @param activations activation axis
 * @param stds weight std-dev axis, used by fixed-scale inits only
 * @param depths depth axis
 * @param seeds seed axis
 * @param stats statistics options
 * @param output output directory from the spec, or null for {@code out/<name>}
 * @param text the spec file verbatim
 * @param sha256 hex SHA-256 of the verbatim text
 */
public record SweepSpec(
        String name,
        long masterSeed,
        List<Integer> widths,
        List<Integer> batches,
        List<InputChoice> inputs,
        List<Integer> inputWidths,
        List<Double> biasStds,
        List<Dtype> dtypes,
        List<InitChoice> inits,
        List<ActivationChoice> activations,
        List<Double> stds,
        List<Integer> depths,
        List<Long> seeds,
        StatsOptions stats,
        String output,
        String text,
        String sha256) {

    /**
     * Statistics options.
     *
     * @param bins histogram bins over φ(a)
     * @param saturationThreshold τ
     * @param ranges histogram range [lo, hi] per activation id, overriding the activation's default
     * @param logBins bins of the log10|z| histogram
     * @param logLo lower end of the log10|z| range
     * @param logHi upper end of the log10|z| range
     * @param gradients the backward pass at initialization, or null for none (spec key {@code gradients})
     * @param trainings one training setup per (optimizer, lr) of the spec's {@code training} block, a
     *     grid axis; empty for none
     */
    public record StatsOptions(int bins, double saturationThreshold, Map<String, double[]> ranges, int logBins,
            double logLo, double logHi, io.initsweep.sim.Gradients gradients,
            List<io.initsweep.sim.TrainingSetup> trainings) {
        /** Without training runs. */
        public StatsOptions(int bins, double saturationThreshold, Map<String, double[]> ranges, int logBins, double logLo,
                double logHi, io.initsweep.sim.Gradients gradients) {
            this(bins, saturationThreshold, ranges, logBins, logLo, logHi, gradients, List.of());
        }
    }

    /** This spec with its input axis replaced (data inputs resolved by the job's input reader). */
    public SweepSpec withInputs(List<InputChoice> resolved) {
        return new SweepSpec(name, masterSeed, widths, batches, List.copyOf(resolved), inputWidths, biasStds, dtypes, inits,
                activations, stds, depths, seeds, stats, output, text, sha256);
    }

    /** This spec with its training setups replaced (data sets resolved by the job's input reader). */
    public SweepSpec withTrainings(List<io.initsweep.sim.TrainingSetup> resolved) {
        StatsOptions o = stats;
        return new SweepSpec(name, masterSeed, widths, batches, inputs, inputWidths, biasStds, dtypes, inits, activations,
                stds, depths, seeds, new StatsOptions(o.bins(), o.saturationThreshold(), o.ranges(), o.logBins(), o.logLo(),
                        o.logHi(), o.gradients(), List.copyOf(resolved)), output, text, sha256);
    }

    /** Whether the training task is a data file. */
    public boolean hasTrainingData() {
        return stats.trainings().stream().anyMatch(io.initsweep.sim.TrainingSetup::hasData);
    }

    /** Whether any input is a data file. */
    public boolean hasDataInput() {
        return inputs.stream().anyMatch(InputChoice::isData);
    }

    /** The first layer's fan_in values for a width: the input width axis, or the width itself when it is not given. */
    public List<Integer> inputWidthsFor(int width) {
        return inputWidths.isEmpty() ? List.of(width) : inputWidths;
    }

    /** The output directory: the spec's, else {@code out/<name>}. */
    public String outputOrDefault() {
        return output != null ? output : "out/" + name;
    }
}
