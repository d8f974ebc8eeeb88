package io.initsweep.spec;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.HistogramSpec;
import io.initsweep.sim.InitParams;
import io.initsweep.sim.StatsConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Expands a spec into its Cartesian grid and groups the grid into chains. Fixed-scale inits
 * cross the std axis; fan-based and constant inits do not (their rows have a null init_std),
 * so no point is repeated. Order is deterministic: width, batch, init, activation, std, seed,
 * depth.
 */
public final class Grid {
    private Grid() {}

    /** Number of grid points; Long.MAX_VALUE when the product overflows. */
    public static long pointCount(SweepSpec spec) {
        try {
            long perInit = 0;
            for (InitChoice init : spec.inits()) {
                perInit = Math.addExact(perInit, init.init().usesStdAxis() ? Math.max(spec.stds().size(), 1) : 1);
            }
            long n = perInit;
            n = Math.multiplyExact(n, spec.activations().size());
            n = Math.multiplyExact(n, spec.depths().size());
            n = Math.multiplyExact(n, spec.seeds().size());
            n = Math.multiplyExact(n, spec.widths().size());
            n = Math.multiplyExact(n, spec.batches().size());
            return n;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The statistics configuration for one activation, with the spec's overrides applied. */
    public static StatsConfig statsFor(SweepSpec spec, ActivationChoice activation) {
        SweepSpec.StatsOptions o = spec.stats();
        double[] range = o.ranges().get(activation.activation().id());
        double lo = range != null ? range[0] : activation.activation().defaultHistogramLo();
        double hi = range != null ? range[1] : activation.activation().defaultHistogramHi();
        return new StatsConfig(new HistogramSpec(lo, hi, o.bins()), new HistogramSpec(o.logLo(), o.logHi(), o.logBins()),
                o.saturationThreshold());
    }

    /** All chains of the grid, each with its points in ascending depth. */
    public static List<Chain> chains(SweepSpec spec) {
        int[] depths = spec.depths().stream().mapToInt(Integer::intValue).sorted().toArray();
        int maxDepth = depths[depths.length - 1];
        List<Chain> chains = new ArrayList<>();
        for (int width : spec.widths()) {
            for (int batch : spec.batches()) {
                for (InitChoice init : spec.inits()) {
                    for (ActivationChoice act : spec.activations()) {
                        StatsConfig stats = statsFor(spec, act);
                        List<Double> stds = init.init().usesStdAxis() ? spec.stds() : Arrays.asList((Double) null);
                        for (Double std : stds) {
                            for (long seed : spec.seeds()) {
                                ChainParams params = new ChainParams(spec.masterSeed(), seed, width, batch, spec.input(),
                                        initParams(init, std), act.activation(), act.param(), maxDepth, stats);
                                String chainKey = canonical(params);
                                String chainId = hex16(chainKey);
                                List<GridPoint> points = new ArrayList<>();
                                for (int depth : depths) {
                                    points.add(new GridPoint(hex16(chainKey + "|depth=" + depth), chainId, init, act, std,
                                            params.weightStd(), depth, seed, width, batch));
                                }
                                chains.add(new Chain(chainId, params, List.copyOf(points)));
                            }
                        }
                    }
                }
            }
        }
        return chains;
    }

    /** Every grid point, in chain order. */
    public static List<GridPoint> points(SweepSpec spec) {
        List<GridPoint> all = new ArrayList<>();
        for (Chain c : chains(spec)) {
            all.addAll(c.points());
        }
        return all;
    }

    /** The init axis entry at one std axis value (null for inits without it), framework defaults filled in. */
    static InitParams initParams(InitChoice init, Double std) {
        return InitParams.of(init.init(), std == null ? Double.NaN : std,
                init.init().takesValue() ? Map.of("value", init.value()) : Map.of());
    }

    /** The coordinates that determine a chain's rows, as text (hashed into ids). */
    static String canonical(ChainParams p) {
        StatsConfig s = p.stats();
        return "v1|master=" + p.masterSeed() + "|seed=" + p.seed() + "|width=" + p.width() + "|batch=" + p.batch()
                + "|input=" + p.input().id() + "|init=" + p.init().label() + "|init_std=" + p.initStd() + "|init_value="
                + p.initValue() + "|activation=" + p.activation().id() + "|activation_param=" + p.activationParam()
                + "|hist=" + s.histogram() + "|log=" + s.logHistogram() + "|tau=" + s.saturationThreshold();
    }

    static String hex16(String key) {
        return SpecParser.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
