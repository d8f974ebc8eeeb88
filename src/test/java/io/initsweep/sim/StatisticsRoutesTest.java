package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The statistics pass's two routes, Vector API and plain Java, give bit-identical results over
 * many random layers, and both histograms equal a naive reference (binary search over the
 * recorded edges). The sums follow the order documented on {@link LayerStatistics}, re-derived
 * here from that description.
 */
class StatisticsRoutesTest {
    private static final int[][] SHAPES = {
        {1, 1}, {3, 1}, {5, 3}, {4, 7}, {6, 8}, {5, 9}, {3, 15}, {4, 16}, {3, 17}, {7, 24}, {9, 37}, {20, 100},
        {4, 129}, {2, 512}};

    private static final HistogramSpec[] SPECS = {
        new HistogramSpec(-1, 1, 30), new HistogramSpec(0, 3, 30), new HistogramSpec(0, 1, 30),
        new HistogramSpec(-3.7, 11.3, 17), new HistogramSpec(0, 1, 4), new HistogramSpec(-1e-300, 1e-300, 3),
        new HistogramSpec(-1e300, 1e300, 30)};

    private static final HistogramSpec[] LOG_SPECS = {
        StatsConfig.DEFAULT_LOG_HISTOGRAM, new HistogramSpec(-3, 3, 60), new HistogramSpec(-0.1, 0.1, 1000),
        new HistogramSpec(-0.1, 0.1, 10000),
        new HistogramSpec(-300, 300, 60)};

    private static final Activation[] ACTIVATIONS = {Activation.RELU, Activation.TANH, Activation.SIGMOID,
        Activation.LINEAR, Activation.HARDTANH};

    /** Kinds of layer content. */
    private enum Kind { GAUSSIAN, RELU_LIKE, ON_EDGES, ZEROS_AND_TINY, HUGE, NON_FINITE, CONSTANT, WIDE }

    private static double[] values(Kind kind, int n, HistogramSpec spec, Random random) {
        double[] edges = spec.edges();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double g = random.nextGaussian();
            v[i] = switch (kind) {
                case GAUSSIAN -> g * 1.7 + 0.3;
                case RELU_LIKE -> g > 0 ? g : (random.nextInt(8) == 0 ? -0.0 : 0.0);
                case ON_EDGES -> {
                    double e = edges[random.nextInt(edges.length)];
                    yield switch (random.nextInt(4)) {
                        case 0 -> Math.nextUp(e);
                        case 1 -> Math.nextDown(e);
                        default -> e;
                    };
                }
                case ZEROS_AND_TINY -> switch (random.nextInt(5)) {
                    case 0 -> 0.0;
                    case 1 -> -0.0;
                    case 2 -> Double.MIN_VALUE * random.nextInt(1000) * (random.nextBoolean() ? 1 : -1);
                    case 3 -> Double.MIN_NORMAL * g;
                    default -> g * 1e-13;
                };
                case HUGE -> random.nextInt(10) == 0 ? (random.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * random.nextDouble()
                        : g * 1e150;
                case NON_FINITE -> switch (random.nextInt(12)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.POSITIVE_INFINITY;
                    case 2 -> Double.NEGATIVE_INFINITY;
                    default -> g;
                };
                case CONSTANT -> 0.7;
                case WIDE -> (random.nextBoolean() ? 1 : -1) * Math.pow(10, -320 + 640 * random.nextDouble());
            };
        }
        return v;
    }

    private static ChainResult observe(StatsConfig cfg, Activation act, double[] a, double[] z, int rows, int cols,
            boolean vector) {
        ChainResult out = new ChainResult(1, cfg.histogram().bins(), cfg.logHistogram().bins());
        new LayerStatistics(cfg, act, act.defaultParam(), cols, vector).observe(a, z, rows, cols, out, 0);
        return out;
    }

    private static long[] bits(double[] x) {
        long[] b = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Double.doubleToRawLongBits(x[i]);
        }
        return b;
    }

    /** Every field of two results, doubles by their bits. */
    static void assertIdentical(ChainResult x, ChainResult y, String what) {
        double[][] dx = {x.actMean, x.actStd, x.actMin, x.actMax, x.preMean, x.preStd, x.preMin, x.preMax, x.preSqMean,
            x.saturationRate, x.deadUnitRate, x.zeroRate};
        double[][] dy = {y.actMean, y.actStd, y.actMin, y.actMax, y.preMean, y.preStd, y.preMin, y.preMax, y.preSqMean,
            y.saturationRate, y.deadUnitRate, y.zeroRate};
        for (int k = 0; k < dx.length; k++) {
            assertThat(bits(dx[k])).as(what + " double field " + k).containsExactly(bits(dy[k]));
        }
        long[][] lx = {x.nonfinite, x.preNonfinite, x.histCounts, x.histUnderflow, x.histOverflow, x.logHistCounts,
            x.logHistUnderflow, x.logHistOverflow};
        long[][] ly = {y.nonfinite, y.preNonfinite, y.histCounts, y.histUnderflow, y.histOverflow, y.logHistCounts,
            y.logHistUnderflow, y.logHistOverflow};
        for (int k = 0; k < lx.length; k++) {
            assertThat(lx[k]).as(what + " count field " + k).containsExactly(ly[k]);
        }
    }

    /** Slot of v over sorted edges by binary search: −1 below, edges.length − 1 above (last bin closed). */
    private static int searchBin(double v, double[] edges) {
        int bins = edges.length - 1;
        if (v < edges[0]) {
            return -1;
        }
        if (v > edges[bins]) {
            return bins;
        }
        if (v == edges[bins]) {
            return bins - 1;
        }
        int lo = 0;
        int hi = bins; // invariant: edges[lo] <= v < edges[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (v >= edges[mid]) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {counts..., underflow, overflow} of the finite values over edges. */
    private static long[] reference(double[] z, double[] edges, boolean magnitude) {
        int bins = edges.length - 1;
        long[] r = new long[bins + 2];
        for (double v : z) {
            if (!Double.isFinite(v)) {
                continue;
            }
            double x = magnitude ? Math.abs(v) : v;
            int b = searchBin(x, edges);
            r[b < 0 ? bins : b == bins ? bins + 1 : b]++;
        }
        return r;
    }

    private static long[] recorded(long[] counts, long under, long over) {
        long[] r = Arrays.copyOf(counts, counts.length + 2);
        r[counts.length] = under;
        r[counts.length + 1] = over;
        return r;
    }

    @Test
    void vectorAndPlainRoutesGiveIdenticalResultsAndExactHistograms() {
        assumeTrue(Kernels.VECTOR_API, "the Vector API module is absent");
        Random random = new Random(20240611);
        int layers = 0;
        for (Kind kind : Kind.values()) {
            for (int[] shape : SHAPES) {
                int rows = shape[0];
                int cols = shape[1];
                int n = rows * cols;
                HistogramSpec spec = SPECS[random.nextInt(SPECS.length)];
                HistogramSpec logSpec = LOG_SPECS[random.nextInt(LOG_SPECS.length)];
                Activation act = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
                StatsConfig cfg = new StatsConfig(spec, logSpec, 0.05);
                double[] a = values(kind, n, spec, random);
                double[] z = kind == Kind.GAUSSIAN || kind == Kind.HUGE ? new double[n] : values(kind, n, spec, random);
                if (kind == Kind.GAUSSIAN || kind == Kind.HUGE) {
                    Kernels.applyScalar(act, act.defaultParam(), a, z, n);
                }
                String what = kind + " " + rows + "×" + cols + " " + act + " " + spec + " " + logSpec;
                ChainResult plain = observe(cfg, act, a, z, rows, cols, false);
                ChainResult vector = observe(cfg, act, a, z, rows, cols, true);
                assertIdentical(vector, plain, what);

                double[] logEdges = logSpec.edges();
                double[] magnitudeEdges = new double[logEdges.length];
                for (int k = 0; k < logEdges.length; k++) {
                    magnitudeEdges[k] = Math.pow(10.0, logEdges[k]);
                }
                assertThat(recorded(vector.histCounts(0), vector.histUnderflow[0], vector.histOverflow[0]))
                        .as(what + " histogram").containsExactly(reference(z, spec.edges(), false));
                assertThat(recorded(vector.logHistCounts(0), vector.logHistUnderflow[0], vector.logHistOverflow[0]))
                        .as(what + " log histogram").containsExactly(reference(z, magnitudeEdges, true));
                layers++;
            }
        }
        assertThat(layers).isEqualTo(Kind.values().length * SHAPES.length);
    }

    /** Every activation's default histograms take the joint route (the one the tests above must cover). */
    @Test
    void defaultHistogramsTakeTheJointRoute() {
        assumeTrue(Kernels.VECTOR_API, "the Vector API module is absent");
        for (Activation act : Activation.values()) {
            StatsConfig cfg = new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                    StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);
            assertThat(new LayerStatistics(cfg, act, act.defaultParam(), 100, true).jointHistograms()).as(act.id()).isTrue();
        }
        // several log edges in one cell of the lookup table: slot by slot
        StatsConfig fine = new StatsConfig(SPECS[0], new HistogramSpec(-0.1, 0.1, 10000), 0.05);
        assertThat(new LayerStatistics(fine, Activation.TANH, Double.NaN, 100, true).jointHistograms()).isFalse();
    }

    /** The sums by the documented order, written out independently of LayerStatistics. */
    private static double documentedSum(double[] x, int rows, int cols, double shift, boolean square) {
        double[] lane = new double[8];
        double tail = 0;
        int body = cols / 8 * 8;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double d = x[r * cols + j] - shift;
                double t = square ? d * d : d;
                if (j < body) {
                    lane[j % 8] += t;
                } else {
                    tail += t;
                }
            }
        }
        return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7])) + tail;
    }

    @Test
    void meanStdAndSecondMomentFollowTheDocumentedOrderOnBothRoutes() {
        Random random = new Random(77);
        StatsConfig cfg = new StatsConfig(new HistogramSpec(-1, 1, 30), StatsConfig.DEFAULT_LOG_HISTOGRAM, 0.05);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            int n = rows * cols;
            double[] a = new double[n];
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = 3 + random.nextGaussian() * 2;
                z[i] = Math.tanh(a[i]);
            }
            double sumA = documentedSum(a, rows, cols, a[0], false);
            double sumA2 = documentedSum(a, rows, cols, a[0], true);
            double sqA = documentedSum(a, rows, cols, 0.0, true);
            double sumZ = documentedSum(z, rows, cols, z[0], false);
            double sumZ2 = documentedSum(z, rows, cols, z[0], true);
            double mA = sumA / n;
            double mZ = sumZ / n;
            for (boolean vector : Kernels.VECTOR_API ? new boolean[] {false, true} : new boolean[] {false}) {
                ChainResult r = observe(cfg, Activation.TANH, a, z, rows, cols, vector);
                String what = rows + "×" + cols + (vector ? " vector" : " plain");
                assertThat(r.preMean[0]).as(what).isEqualTo(a[0] + mA);
                assertThat(r.preStd[0]).as(what).isEqualTo(Math.sqrt(Math.max(sumA2 / n - mA * mA, 0.0)));
                assertThat(r.preSqMean[0]).as(what).isEqualTo(sqA / n);
                assertThat(r.actMean[0]).as(what).isEqualTo(z[0] + mZ);
                assertThat(r.actStd[0]).as(what).isEqualTo(Math.sqrt(Math.max(sumZ2 / n - mZ * mZ, 0.0)));
            }
        }
    }

    /**
     * The Vector API row pass at this machine's width and the plain loop leave the same bits in
     * every lane partial: the five sums, and the lane minima and maxima (kept as order keys).
     * (sameBitsAtEveryVectorWidth runs the whole pass at the other widths.)
     */
    @Test
    void theVectorRowPassKeepsThePlainLoopsLanePartials() {
        assumeTrue(Kernels.VECTOR_API, "the Vector API module is absent");
        Random random = new Random(5);
        for (int body : new int[] {0, 8, 16, 40, 104}) {
            double[] a = new double[body + 3];
            double[] z = new double[body + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextGaussian() * Math.pow(10, random.nextInt(6) - 3);
                z[i] = random.nextInt(3) == 0 ? (random.nextBoolean() ? 0.0 : -0.0) : a[i] * a[i];
            }
            double[] plain = start();
            double[] vector = start();
            long[] keys = new long[LayerStatistics.KEYS_LENGTH];
            for (int l = 0; l < LayerStatistics.LANES; l++) {
                keys[LayerStatistics.KEY_MIN_A + l] = LayerStatistics.orderKey(Double.POSITIVE_INFINITY);
                keys[LayerStatistics.KEY_MAX_A + l] = LayerStatistics.orderKey(Double.NEGATIVE_INFINITY);
                keys[LayerStatistics.KEY_MIN_Z + l] = LayerStatistics.orderKey(Double.POSITIVE_INFINITY);
                keys[LayerStatistics.KEY_MAX_Z + l] = LayerStatistics.orderKey(Double.NEGATIVE_INFINITY);
            }
            double[] saturated = new double[body];
            for (int rep = 0; rep < 3; rep++) { // accumulating over several rows
                LayerStatistics.momentsPlain(a, z, 3, body, a[0], z[0], plain);
                VectorStatistics.rowPass(a, z, 3, body, a[0], z[0], vector, keys, -1, 1, saturated);
            }
            int sums = LayerStatistics.SUM_Z2 + LayerStatistics.LANES;
            assertThat(Arrays.copyOf(bits(vector), sums)).as("sums, body " + body).containsExactly(Arrays.copyOf(bits(plain), sums));
            int[][] extremes = {{LayerStatistics.MIN_A, LayerStatistics.KEY_MIN_A}, {LayerStatistics.MAX_A, LayerStatistics.KEY_MAX_A},
                {LayerStatistics.MIN_Z, LayerStatistics.KEY_MIN_Z}, {LayerStatistics.MAX_Z, LayerStatistics.KEY_MAX_Z}};
            for (int[] e : extremes) {
                for (int l = 0; l < LayerStatistics.LANES; l++) {
                    assertThat(Double.doubleToRawLongBits(LayerStatistics.fromOrderKey(keys[e[1] + l])))
                            .as("extreme at %s, lane %s, body %s", e[0], l, body)
                            .isEqualTo(Double.doubleToRawLongBits(plain[e[0] + l]));
                }
            }
            // counted directly: zeros of z by lane j mod 8, saturated entries (|a| > 1) by column, three rows
            double[] zeros = new double[LayerStatistics.LANES];
            double[] expectSaturated = new double[body];
            for (int j = 0; j < body; j++) {
                zeros[j % LayerStatistics.LANES] += z[3 + j] == 0.0 ? 3 : 0;
                expectSaturated[j] += Math.abs(a[3 + j]) > 1 ? 3 : 0;
            }
            assertThat(Arrays.copyOfRange(vector, LayerStatistics.ZEROS, LayerStatistics.ACC_LENGTH)).as("zeros").containsExactly(zeros);
            assertThat(saturated).as("saturated per column").containsExactly(expectSaturated);
        }
    }

    private static double[] start() {
        double[] acc = new double[LayerStatistics.ACC_LENGTH];
        Arrays.fill(acc, LayerStatistics.MIN_A, LayerStatistics.MAX_A, Double.POSITIVE_INFINITY);
        Arrays.fill(acc, LayerStatistics.MAX_A, LayerStatistics.MIN_Z, Double.NEGATIVE_INFINITY);
        Arrays.fill(acc, LayerStatistics.MIN_Z, LayerStatistics.MAX_Z, Double.POSITIVE_INFINITY);
        Arrays.fill(acc, LayerStatistics.MAX_Z, LayerStatistics.ZEROS, Double.NEGATIVE_INFINITY);
        return acc;
    }
}
