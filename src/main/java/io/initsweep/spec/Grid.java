package io.initsweep.spec;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.Dtype;
import io.initsweep.sim.HistogramSpec;
import io.initsweep.sim.Initializer;
import io.initsweep.sim.StatsConfig;
import io.initsweep.sim.TrainingSetup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Expands a spec into its Cartesian grid and groups the grid into chains. Fixed-scale inits
 * cross the std axis; fan-based and constant inits do not (their rows have a null init_std),
 * so no point is repeated. Order is deterministic: width, batch, input, input width, bias std,
 * dtype, init, activation, training setup (optimizer, lr), std, seed, depth.
 */
public final class Grid {
    private Grid() {}

    /** Number of grid points; Long.MAX_VALUE when the product overflows. */
    public static long pointCount(SweepSpec spec) {
        try {
            long perInit = 0;
            for (InitChoice init : spec.inits()) {
                perInit = Math.addExact(perInit, init.scheme().usesStdAxis() ? Math.max(spec.stds().size(), 1) : 1);
            }
            long n = perInit;
            n = Math.multiplyExact(n, spec.activations().size());
            n = Math.multiplyExact(n, spec.depths().size());
            n = Math.multiplyExact(n, spec.seeds().size());
            n = Math.multiplyExact(n, spec.widths().size());
            n = Math.multiplyExact(n, spec.batches().size());
            n = Math.multiplyExact(n, spec.inputs().size());
            n = Math.multiplyExact(n, Math.max(1, spec.inputWidths().size()));
            n = Math.multiplyExact(n, spec.biasStds().size());
            n = Math.multiplyExact(n, spec.dtypes().size());
            n = Math.multiplyExact(n, Math.max(1, spec.stats().trainings().size()));
            return n;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The statistics configuration for one activation, with the spec's overrides applied. */
    public static StatsConfig statsFor(SweepSpec spec, ActivationChoice activation) {
        SweepSpec.StatsOptions o = spec.stats();
        double[] range = o.ranges().get(activation.activation().id());
        double lo = range != null ? range[0] : activation.activation().defaultHistogramLo(activation.param());
        double hi = range != null ? range[1] : activation.activation().defaultHistogramHi();
        return new StatsConfig(new HistogramSpec(lo, hi, o.bins()), new HistogramSpec(o.logLo(), o.logHi(), o.logBins()),
                o.saturationThreshold(), o.gradients());
    }

    /** All chains of the grid, each with its points in ascending depth. */
    public static List<Chain> chains(SweepSpec spec) {
        int[] depths = spec.depths().stream().mapToInt(Integer::intValue).sorted().toArray();
        int maxDepth = depths[depths.length - 1];
        List<Chain> chains = new ArrayList<>();
        for (int width : spec.widths()) {
            for (int batch : spec.batches()) {
                for (InputChoice input : spec.inputs()) {
                    if (!input.resolved()) {
                        throw new IllegalStateException("data input " + input.path() + " has not been read");
                    }
                    for (int inputWidth : spec.inputWidthsFor(width)) {
                        for (double biasStd : spec.biasStds()) {
                            for (Dtype dtype : spec.dtypes()) {
                                for (InitChoice init : spec.inits()) {
                                    for (ActivationChoice act : spec.activations()) {
                                      for (TrainingSetup training : trainingAxis(spec)) {
                                        StatsConfig stats = statsFor(spec, act).withTraining(training);
                                        List<Double> stds = init.scheme().usesStdAxis() ? spec.stds() : Arrays.asList((Double) null);
                                        for (Double std : stds) {
                                            for (long seed : spec.seeds()) {
                                                ChainParams params = new ChainParams(spec.masterSeed(), seed, width, batch,
                                                        input.distribution(), initParams(init, std, act), act.activation(),
                                                        act.param(), maxDepth, stats, inputWidth, biasStd, dtype,
                                                        input.sha256(), input.correlation());
                                                chains.add(chain(params, input, init, act, std, depths));
                                            }
                                        }
                                      }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return chains;
    }

    private static Chain chain(ChainParams params, InputChoice input, InitChoice init, ActivationChoice act, Double std,
            int[] depths) {
        String chainKey = canonical(params, input);
        String chainId = hex16(chainKey);
        List<GridPoint> points = new ArrayList<>();
        for (int depth : depths) {
            points.add(new GridPoint(hex16(chainKey + "|depth=" + depth), chainId, init, act, std, params.weightStd(), depth,
                    params.seed(), params.width(), params.batch()));
        }
        return new Chain(chainId, input.label(), params, List.copyOf(points));
    }

    /** The training axis: the spec's setups, or one null (no training). */
    private static List<TrainingSetup> trainingAxis(SweepSpec spec) {
        List<TrainingSetup> t = spec.stats().trainings();
        for (TrainingSetup s : t) {
            if (s.hasData() && s.dataSha256() == null) {
                throw new IllegalStateException("training data " + s.data() + " has not been read");
            }
        }
        return t.isEmpty() ? Arrays.asList((TrainingSetup) null) : t;
    }

    /** Every grid point, in chain order. */
    public static List<GridPoint> points(SweepSpec spec) {
        List<GridPoint> all = new ArrayList<>();
        for (Chain c : chains(spec)) {
            all.addAll(c.points());
        }
        return all;
    }

    /** The init axis entry at one std axis value (null for inits without it) and activation, defaults filled in. */
    static Initializer initParams(InitChoice init, Double std, ActivationChoice act) {
        return init.params(std == null ? Double.NaN : std, act.activation(), act.param());
    }

    /** The coordinates that determine a chain's rows, as text (hashed into ids). */
    static String canonical(ChainParams p, InputChoice input) {
        StatsConfig s = p.stats();
        return "v2|input=" + input.label() + "|data_sha256=" + input.sha256() + "|input_width=" + p.inputWidth()
                + "|bias_std=" + p.biasStd() + "|dtype=" + p.dtype().id() + "|master=" + p.masterSeed() + "|seed=" + p.seed()
                + "|width=" + p.width() + "|batch=" + p.batch() + "|input=" + p.input().id() + "|init=" + p.init().label()
                + "|init_std=" + p.initStd() + "|init_value="
                + p.initValue() + "|activation=" + p.activation().id() + "|activation_param=" + p.activationParam()
                + "|hist=" + s.histogram() + "|log=" + s.logHistogram() + "|tau=" + s.saturationThreshold()
                // independent rows keep the ids they had before inputs could be correlated
                + (p.inputCorrelation() == 0.0 ? "" : "|input_correlation=" + p.inputCorrelation())
                // so do sweeps without a backward pass
                + (s.gradients() == null ? "" : "|gradients=" + s.gradients().label())
                // and sweeps without training
                + (s.training() == null ? "" : "|training=" + s.training().label());
    }

    static String hex16(String key) {
        return SpecParser.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
