package io.initsweep.sim;

import static io.initsweep.sim.Reference.flatten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused statistics pass on hand-made matrices. Expected values are worked out by hand in
 * the comments or recomputed here from the definitions with plain loops (two-pass moments, a
 * linear scan over bin edges, φ' from {@link Reference}), never with LayerStatistics' shortcuts.
 */
class LayerStatisticsTest {
    /**
     * Moments of ≤ 10⁴ values: the one-pass shifted sums and the two-pass reference each carry at
     * most n·ε ≈ 2·10⁻¹² relative rounding error; 1e-11 leaves room for both.
     */
    private static final double MOMENT_TOL = 1e-11;

    private static final double TAU = 0.05;
    private static final HistogramSpec QUARTERS = new HistogramSpec(0.0, 1.0, 4);
    private static final HistogramSpec LOG = StatsConfig.DEFAULT_LOG_HISTOGRAM;

    private static StatsConfig config(HistogramSpec hist) {
        return new StatsConfig(hist, LOG, TAU);
    }

    private static ChainResult observe(StatsConfig cfg, Activation act, double param, double[] a, double[] z, int rows,
            int cols) {
        ChainResult out = new ChainResult(1, cfg.histogram().bins(), cfg.logHistogram().bins());
        new LayerStatistics(cfg, act, param, cols).observe(a, z, rows, cols, out, 0);
        return out;
    }

    private static ChainResult observe(StatsConfig cfg, Activation act, double param, double[][] a, double[][] z) {
        return observe(cfg, act, param, flatten(a), flatten(z), a.length, a[0].length);
    }

    private static double[][] apply(Activation act, double param, double[][] a) {
        double[][] z = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            z[r] = new double[a[r].length];
            for (int j = 0; j < a[r].length; j++) {
                z[r][j] = act.value(a[r][j], param);
            }
        }
        return z;
    }

    private static long sum(long[] x) {
        long s = 0;
        for (long v : x) {
            s += v;
        }
        return s;
    }

    private static void assertCountsAddUp(ChainResult r, int n) {
        assertThat(sum(r.histCounts(0)) + r.histUnderflow[0] + r.histOverflow[0] + r.nonfinite[0])
                .as("histogram counts + underflow + overflow + non-finite").isEqualTo(n);
        assertThat(sum(r.logHistCounts(0)) + r.logHistUnderflow[0] + r.logHistOverflow[0] + r.nonfinite[0])
                .as("log histogram counts + underflow + overflow + non-finite").isEqualTo(n);
    }

    // ---------------------------------------------------------------- rates

    @Test
    void sigmoidSaturationAndDeadUnitsByHand() {
        // The sigmoid cut at τ = 0.05 is 2·ln((1+√0.95)/√0.05) ≈ 4.3565: |a| = 6, 7, 10, 20 are
        // saturated, |a| ≤ 3 are not.
        double[][] a = {
            {10, -10, 0.5, 10},
            {10, 1, -7, 20},
            {-10, 2, 3, 6},
        };
        ChainResult r = observe(config(QUARTERS), Activation.SIGMOID, Double.NaN, a, apply(Activation.SIGMOID, 0, a));
        // saturated: row 0 → 3, row 1 → 3, row 2 → 2; columns 0 and 3 saturated on every row.
        assertThat(r.saturationRate[0]).isEqualTo(8.0 / 12.0);
        assertThat(r.deadUnitRate[0]).isEqualTo(2.0 / 4.0);
        assertThat(r.zeroRate[0]).isEqualTo(0.0);
        assertThat(r.nonfinite[0]).isZero();

        // The same numbers from the definition φ'(a) < τ·max φ' with an independent φ'.
        int saturated = 0;
        for (double[] row : a) {
            for (double v : row) {
                if (Reference.sigmoidDerivative(v) < TAU * 0.25) {
                    saturated++;
                }
            }
        }
        assertThat(saturated).isEqualTo(8);
    }

    @Test
    void reluCountsZeroAndNegativeZeroAsInactiveAndZero() {
        double[][] a = {
            {1, -1, 0.0},
            {-0.0, 2, -3},
            {0.5, -2, 0.0},
        };
        ChainResult r = observe(config(new HistogramSpec(0, 5, 30)), Activation.RELU, Double.NaN, a,
                apply(Activation.RELU, 0, a));
        // relu' = 0 for a ≤ 0 (PyTorch's choice at 0): six entries; column 2 is 0, −3, 0: dead.
        assertThat(r.saturationRate[0]).isEqualTo(6.0 / 9.0);
        assertThat(r.deadUnitRate[0]).isEqualTo(1.0 / 3.0);
        assertThat(r.zeroRate[0]).isEqualTo(6.0 / 9.0);
        // z = 0 sits on the lowest edge: bin 0, not underflow.
        assertThat(r.histCounts(0)[0]).isEqualTo(6);
        assertThat(r.histUnderflow[0]).isZero();
        // |z| = 0 is below every log edge: log underflow.
        assertThat(r.logHistUnderflow[0]).isEqualTo(6);
        assertCountsAddUp(r, 9);
    }

    @Test
    void leakyReluSaturatesTheNegativeSideOnlyWhenTheSlopeIsBelowTau() {
        double[][] a = {
            {1, -1, 0.0},
            {-0.0, 2, -3},
        };
        // slope 0.01 < τ = 0.05: a ≤ 0 saturated (4 of 6); column 2 (0, −3) dead; only the
        // exact zeros (0·0.01 and −0·0.01) are zero outputs.
        ChainResult low = observe(config(new HistogramSpec(-0.5, 5, 30)), Activation.LEAKY_RELU, 0.01, a,
                apply(Activation.LEAKY_RELU, 0.01, a));
        assertThat(low.saturationRate[0]).isEqualTo(4.0 / 6.0);
        assertThat(low.deadUnitRate[0]).isEqualTo(1.0 / 3.0);
        assertThat(low.zeroRate[0]).isEqualTo(2.0 / 6.0);
        // slope 0.2 ≥ τ: nothing saturated.
        ChainResult high = observe(config(new HistogramSpec(-0.5, 5, 30)), Activation.LEAKY_RELU, 0.2, a,
                apply(Activation.LEAKY_RELU, 0.2, a));
        assertThat(high.saturationRate[0]).isZero();
        assertThat(high.deadUnitRate[0]).isZero();
    }

    @Test
    void ratesMatchPlainLoopsOnARandomMatrix() {
        Random random = new Random(345);
        int rows = 64;
        int cols = 9;
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            // columns of growing scale; column 7 far positive and column 8 far negative, so every
            // activation has both dead and live units
            int j = i % cols;
            double offset = j == 7 ? 1000 : j == 8 ? -1000 : 0;
            a[i] = offset + random.nextGaussian() * (0.1 + j);
        }
        for (Activation act : Activation.values()) {
            double param = act.defaultParam();
            double[] z = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                z[i] = act.value(a[i], param);
            }
            ChainResult r = observe(config(new HistogramSpec(-1, 1, 30)), act, param, a, z, rows, cols);
            long saturated = 0;
            long zeros = 0;
            boolean[] alive = new boolean[cols];
            for (int i = 0; i < a.length; i++) {
                // the definition, with φ' written independently of the code (max φ' is checked elsewhere)
                double d = (Reference.hasDerivative(act) ? Reference.derivative(act, param, a[i])
                        : act.derivative(a[i], param)) / act.maxDerivative(param);
                if (d < TAU) {
                    saturated++;
                } else {
                    alive[i % cols] = true;
                }
                if (z[i] == 0.0) {
                    zeros++;
                }
            }
            int dead = 0;
            for (boolean b : alive) {
                dead += b ? 0 : 1;
            }
            assertThat(r.saturationRate[0]).as(act + " saturation").isEqualTo((double) saturated / a.length);
            assertThat(r.deadUnitRate[0]).as(act + " dead units").isEqualTo((double) dead / cols);
            assertThat(r.zeroRate[0]).as(act + " zeros").isEqualTo((double) zeros / a.length);
            if (act == Activation.LINEAR) {
                assertThat(dead).as("the identity has no dead units").isZero();
            } else {
                assertThat(dead).as(act + ": the matrix has dead and live units").isBetween(1, cols - 1);
            }
        }
    }

    // ---------------------------------------------------------------- moments

    /** {mean, population std, E[x²], min, max} by two passes over the finite data. */
    private static double[] twoPass(double[] x) {
        double s = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            s += v;
            sq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = s / x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(ss / x.length), sq / x.length, min, max};
    }

    private static void assertRelClose(double actual, double expected, double tol, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(tol * Math.max(Math.abs(expected), Double.MIN_NORMAL)));
    }

    @Test
    void momentsMatchTwoPassReference() {
        Random random = new Random(345);
        int rows = 37;
        int cols = 13;
        double[] a = new double[rows * cols];
        double[] z = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = 3.0 + 2.0 * random.nextGaussian();
            z[i] = Math.tanh(a[i]);
        }
        ChainResult r = observe(config(new HistogramSpec(-1, 1, 30)), Activation.TANH, Double.NaN, a, z, rows, cols);
        double[] ea = twoPass(a);
        double[] ez = twoPass(z);
        assertRelClose(r.preMean[0], ea[0], MOMENT_TOL, "pre mean");
        assertRelClose(r.preStd[0], ea[1], MOMENT_TOL, "pre std");
        assertRelClose(r.preSqMean[0], ea[2], MOMENT_TOL, "pre E[A²]");
        assertThat(r.preMin[0]).isEqualTo(ea[3]);
        assertThat(r.preMax[0]).isEqualTo(ea[4]);
        assertRelClose(r.actMean[0], ez[0], MOMENT_TOL, "act mean");
        assertRelClose(r.actStd[0], ez[1], MOMENT_TOL, "act std");
        assertThat(r.actMin[0]).isEqualTo(ez[3]);
        assertThat(r.actMax[0]).isEqualTo(ez[4]);
        assertThat(r.preNonfinite[0]).isZero();
        assertThat(r.nonfinite[0]).isZero();
    }

    @Test
    void stdIsAccurateForDataFarFromZero() {
        // mean 1e6, std 1: E[x²] − E[x]² in doubles would lose ~all digits (10¹² − 10¹² at
        // ulp 10⁻⁴ per term); a shifted or two-pass computation keeps ~10 digits.
        Random random = new Random(345);
        int n = 4000;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 1e6 + random.nextGaussian();
        }
        ChainResult r = observe(config(new HistogramSpec(0, 5, 30)), Activation.RELU, Double.NaN, a, a.clone(), 40, 100);
        double[] e = twoPass(a);
        assertRelClose(r.preStd[0], e[1], 1e-9, "pre std (offset data)");
        assertRelClose(r.actStd[0], e[1], 1e-9, "act std (offset data)");
        assertRelClose(r.preMean[0], e[0], MOMENT_TOL, "pre mean (offset data)");
    }

    @Test
    void constantLayerHasZeroStd() {
        double[] a = new double[12];
        Arrays.fill(a, 0.1);
        double[] z = new double[12];
        Arrays.fill(z, Math.tanh(0.1));
        ChainResult r = observe(config(new HistogramSpec(-1, 1, 30)), Activation.TANH, Double.NaN, a, z, 3, 4);
        assertThat(r.preStd[0]).isZero();
        assertThat(r.actStd[0]).isZero();
        assertThat(r.preMean[0]).isEqualTo(0.1);
        assertThat(r.preSqMean[0]).isCloseTo(0.01, within(1e-17));
    }

    // ---------------------------------------------------------------- histogram

    @Test
    void histogramCountsOnQuarterEdgesFollowNumpy() {
        // Edges 0, 0.25, 0.5, 0.75, 1 (exact in binary). numpy: bin k = [e_k, e_k+1), last bin closed.
        double[] z = {
            -0.1, // underflow
            -Double.MIN_VALUE, // underflow: below lo by one subnormal
            -0.0, // bin 0 (−0 == 0 ≥ lo)
            0.0, // bin 0
            Math.nextDown(0.25), // bin 0
            0.25, // bin 1
            0.3, // bin 1
            0.5, // bin 2
            Math.nextDown(0.75), // bin 2
            0.75, // bin 3
            1.0, // bin 3: the last bin is closed
            Math.nextUp(1.0), // overflow
            2.0, // overflow
            0.999, // bin 3
            0.5, // bin 2
            0.125, // bin 0
        };
        ChainResult r = observe(config(QUARTERS), Activation.SIGMOID, Double.NaN, new double[z.length], z, 4, 4);
        assertThat(r.histCounts(0)).containsExactly(4, 2, 3, 3);
        assertThat(r.histUnderflow[0]).isEqualTo(2);
        assertThat(r.histOverflow[0]).isEqualTo(2);
        assertThat(r.nonfinite[0]).isZero();
        assertCountsAddUp(r, z.length);
    }

    /** Bin of v by a linear scan over edges, numpy's rule; −1 underflow, bins overflow, −2 non-finite. */
    private static int scanBin(double v, double[] edges) {
        int bins = edges.length - 1;
        if (!Double.isFinite(v)) {
            return -2;
        }
        if (v < edges[0]) {
            return -1;
        }
        if (v > edges[bins]) {
            return bins;
        }
        for (int k = bins - 1; k >= 0; k--) {
            if (v >= edges[k]) {
                return k;
            }
        }
        throw new AssertionError("unreachable for " + v);
    }

    private static void assertHistogramMatchesScan(ChainResult r, double[] z, double[] edges) {
        int bins = edges.length - 1;
        long[] expected = new long[bins];
        long under = 0;
        long over = 0;
        long nonfinite = 0;
        for (double v : z) {
            int b = scanBin(v, edges);
            if (b == -2) {
                nonfinite++;
            } else if (b == -1) {
                under++;
            } else if (b == bins) {
                over++;
            } else {
                expected[b]++;
            }
        }
        assertThat(r.histCounts(0)).containsExactly(expected);
        assertThat(r.histUnderflow[0]).isEqualTo(under);
        assertThat(r.histOverflow[0]).isEqualTo(over);
        assertThat(r.nonfinite[0]).isEqualTo(nonfinite);
    }

    @Test
    void valuesOnAndBesideEveryRecordedEdgeLandInTheNumpyBin() {
        for (HistogramSpec spec : new HistogramSpec[] {
            new HistogramSpec(0, 1, 30), new HistogramSpec(-1, 1, 30), new HistogramSpec(0, 5, 30),
            new HistogramSpec(-0.5, 5, 30), new HistogramSpec(-3.7, 11.3, 17)}) {
            double[] edges = spec.edges();
            double[] z = new double[3 * edges.length + 1];
            int i = 0;
            for (double e : edges) {
                z[i++] = e;
                z[i++] = Math.nextUp(e);
                z[i++] = Math.nextDown(e);
            }
            z[i] = 0.5 * (spec.lo() + spec.hi());
            ChainResult r = observe(config(spec), Activation.TANH, Double.NaN, new double[z.length], z, z.length, 1);
            assertHistogramMatchesScan(r, z, edges);
            // by construction: every edge but the last opens its bin; the last closes bin bins−1
            assertThat(r.histUnderflow[0]).as("nextDown(lo)").isEqualTo(1);
            assertThat(r.histOverflow[0]).as("nextUp(hi)").isEqualTo(1);
            assertCountsAddUp(r, z.length);
        }
    }

    @Test
    void randomValuesBinLikeALinearScan() {
        Random random = new Random(345);
        HistogramSpec spec = new HistogramSpec(-1, 1, 30);
        int n = 10_000;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = 1.2 * (2 * random.nextDouble() - 1);
        }
        ChainResult r = observe(config(spec), Activation.TANH, Double.NaN, new double[n], z, 100, 100);
        assertHistogramMatchesScan(r, z, spec.edges());
        assertCountsAddUp(r, n);
    }

    // ---------------------------------------------------------------- non-finite values

    @Test
    void nonFiniteOutputsAreCountedAndExcludedFromMinMax() {
        double[] a = {0.1, Double.NaN, 2.0, 0.7, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] z = {0.1, Double.NaN, 2.0, 0.7, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        ChainResult r = observe(config(QUARTERS), Activation.RELU, Double.NaN, a, z, 2, 3);
        assertThat(r.nonfinite[0]).isEqualTo(3);
        assertThat(r.actMean[0]).isNaN();
        assertThat(r.actStd[0]).isNaN();
        assertThat(r.actMin[0]).isEqualTo(0.1);
        assertThat(r.actMax[0]).isEqualTo(2.0);
        assertThat(r.preNonfinite[0]).isEqualTo(3);
        assertThat(r.preMean[0]).isNaN();
        assertThat(r.preStd[0]).isNaN();
        assertThat(r.preSqMean[0]).isNaN();
        assertThat(r.preMin[0]).isEqualTo(0.1);
        assertThat(r.preMax[0]).isEqualTo(2.0);
        // finite values: 0.1 → bin 0, 0.7 → bin 2, 2.0 → overflow
        assertThat(r.histCounts(0)).containsExactly(1, 0, 1, 0);
        assertThat(r.histOverflow[0]).isEqualTo(1);
        assertThat(r.histUnderflow[0]).isZero();
        // log10: 0.1 → −1 → bin 22; 0.7 → −0.155 → bin 23; 2.0 → 0.301 → bin 24
        long[] log = r.logHistCounts(0);
        assertThat(log[22]).isEqualTo(1);
        assertThat(log[23]).isEqualTo(1);
        assertThat(log[24]).isEqualTo(1);
        assertCountsAddUp(r, 6);
    }

    @Test
    void allNonFiniteGivesNaNMinAndMax() {
        double[] z = {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, Double.NEGATIVE_INFINITY};
        ChainResult r = observe(config(QUARTERS), Activation.RELU, Double.NaN, z.clone(), z, 2, 2);
        assertThat(r.nonfinite[0]).isEqualTo(4);
        assertThat(r.actMin[0]).isNaN();
        assertThat(r.actMax[0]).isNaN();
        assertThat(r.actMean[0]).isNaN();
        assertThat(r.preMin[0]).isNaN();
        assertThat(r.preMax[0]).isNaN();
        assertThat(sum(r.histCounts(0)) + r.histUnderflow[0] + r.histOverflow[0]).isZero();
        assertCountsAddUp(r, 4);
    }

    @Test
    void infinitePreActivationWithFiniteOutput() {
        // σ(+∞) = 1 and σ(−∞) = 0 are finite: Z's moments stay defined, A's become NaN.
        double[] a = {Double.POSITIVE_INFINITY, 0.0, Double.NEGATIVE_INFINITY, 1.0};
        double[] z = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            z[i] = 1.0 / (1.0 + Math.exp(-a[i]));
        }
        ChainResult r = observe(config(QUARTERS), Activation.SIGMOID, Double.NaN, a, z, 2, 2);
        double[] ez = twoPass(z);
        assertThat(r.nonfinite[0]).isZero();
        assertRelClose(r.actMean[0], ez[0], MOMENT_TOL, "act mean");
        assertRelClose(r.actStd[0], ez[1], MOMENT_TOL, "act std");
        assertThat(r.preNonfinite[0]).isEqualTo(2);
        assertThat(r.preMean[0]).isNaN();
        assertThat(r.preMin[0]).isEqualTo(0.0);
        assertThat(r.preMax[0]).isEqualTo(1.0);
        // φ'(±∞) = 0 < τ·max φ': both infinite entries are saturated, the finite ones are not.
        assertThat(r.saturationRate[0]).isEqualTo(0.5);
        assertThat(r.deadUnitRate[0]).isEqualTo(0.5);
        assertCountsAddUp(r, 4);
    }

    @Test
    void oneNaNChangesOnlyItsOwnEntry() {
        Random random = new Random(345);
        int n = 500;
        double[] a = new double[n];
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 2 * random.nextGaussian();
            z[i] = Math.tanh(a[i]);
        }
        StatsConfig cfg = config(new HistogramSpec(-1, 1, 30));
        ChainResult clean = observe(cfg, Activation.TANH, Double.NaN, a, z, 50, 10);
        double[] a2 = a.clone();
        double[] z2 = z.clone();
        int victim = 123;
        a2[victim] = Double.NaN;
        z2[victim] = Double.NaN;
        ChainResult dirty = observe(cfg, Activation.TANH, Double.NaN, a2, z2, 50, 10);
        long[] expected = clean.histCounts(0);
        expected[scanBin(z[victim], cfg.histogram().edges())]--;
        assertThat(dirty.histCounts(0)).containsExactly(expected);
        assertThat(dirty.nonfinite[0]).isEqualTo(1);
        assertThat(dirty.actMean[0]).isNaN();
        double[] finite = new double[n - 1];
        for (int i = 0, j = 0; i < n; i++) {
            if (i != victim) {
                finite[j++] = z[i];
            }
        }
        assertThat(dirty.actMin[0]).isEqualTo(twoPass(finite)[3]);
        assertThat(dirty.actMax[0]).isEqualTo(twoPass(finite)[4]);
        assertCountsAddUp(dirty, n);
    }

    @Test
    void hugeFiniteValuesKeepFiniteMeanAndStd() {
        // Sums of squares overflow; the moments themselves are representable.
        double[] a = {1e200, -1e200, 3.0, 1e200};
        double[] z = a.clone();
        ChainResult r = observe(config(QUARTERS), Activation.RELU, Double.NaN, a, z, 2, 2);
        // in units of 1e200: values 1, −1, 3e−200, 1 → mean 1/4, E[x²] = 3/4, variance 3/4 − 1/16 = 11/16
        assertThat(r.preNonfinite[0]).isZero();
        assertThat(r.nonfinite[0]).isZero();
        assertRelClose(r.preMean[0], 0.25e200, 1e-15, "pre mean");
        assertRelClose(r.preStd[0], Math.sqrt(11.0 / 16.0) * 1e200, 1e-15, "pre std");
        // E[A²] = 0.75e400 is beyond the double range: +∞ is the honest answer, not NaN.
        assertThat(r.preSqMean[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.preMax[0]).isEqualTo(1e200);
        assertThat(r.preMin[0]).isEqualTo(-1e200);
        assertThat(r.histUnderflow[0]).isEqualTo(1);
        assertThat(r.histOverflow[0]).isEqualTo(3);
        assertCountsAddUp(r, 4);
    }

    @Test
    void reusedSlotIsResetByTheNextObservation() {
        StatsConfig cfg = config(new HistogramSpec(-1, 1, 30));
        LayerStatistics stats = new LayerStatistics(cfg, Activation.TANH, Double.NaN, 8);
        Random random = new Random(345);
        double[] a = new double[40];
        double[] z = new double[40];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
            z[i] = Math.tanh(a[i]);
        }
        ChainResult fresh = new ChainResult(1, 30, LOG.bins());
        stats.observe(a, z, 5, 8, fresh, 0);

        ChainResult reused = new ChainResult(1, 30, LOG.bins());
        double[] junkA = {Double.NaN, 50, -50, 1e300, 7, 8, 9, 10, 11, 12};
        double[] junkZ = {Double.NaN, 1, -1, Double.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 0};
        stats.observe(junkA, junkZ, 1, 8, reused, 0); // 1 row × 8 columns: all but column 0 dead
        stats.observe(a, z, 5, 8, reused, 0);
        assertThat(Reference.firstDifference(fresh, reused)).isNull();
    }

    // ---------------------------------------------------------------- log-magnitude histogram

    /**
     * 10^(j/2) rounded to the nearest double, from exact decimal arithmetic. For odd j the
     * square root is taken to 60 digits and the rounding is then verified against the exact
     * midpoints to the neighbouring doubles, so no claim rests on Math.pow.
     */
    private static double nearestPowerOfTen(int halfDecades) {
        if (halfDecades % 2 == 0) {
            return BigDecimal.ONE.scaleByPowerOfTen(halfDecades / 2).doubleValue();
        }
        BigDecimal square = BigDecimal.ONE.scaleByPowerOfTen(halfDecades);
        double d = square.sqrt(new MathContext(60)).doubleValue();
        BigDecimal below = new BigDecimal(d).add(new BigDecimal(Math.nextDown(d))).divide(BigDecimal.valueOf(2));
        BigDecimal above = new BigDecimal(d).add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
        assertThat(below.multiply(below).compareTo(square)).isNegative();
        assertThat(above.multiply(above).compareTo(square)).isPositive();
        return d;
    }

    /** Exact-edge reference: −1 underflow, bins overflow, else k with E_k ≤ m &lt; E_k+1 (last closed). */
    private static int exactLogBin(double m, double[] magnitudeEdges) {
        int bins = magnitudeEdges.length - 1;
        if (m < magnitudeEdges[0]) {
            return -1;
        }
        if (m > magnitudeEdges[bins]) {
            return bins;
        }
        for (int k = bins - 1; k >= 0; k--) {
            if (m >= magnitudeEdges[k]) {
                return k;
            }
        }
        throw new AssertionError();
    }

    /** Math.log10 reference: what np.histogram(np.log10(|z|), edges) computes. −1 underflow, bins overflow. */
    private static int log10Bin(double m, double[] logEdges) {
        int bins = logEdges.length - 1;
        if (m == 0) {
            return -1;
        }
        double l = Math.log10(m);
        if (l < logEdges[0]) {
            return -1;
        }
        if (l > logEdges[bins]) {
            return bins;
        }
        for (int k = bins - 1; k >= 0; k--) {
            if (l >= logEdges[k]) {
                return k;
            }
        }
        throw new AssertionError();
    }

    @Test
    void logHistogramOfRandomMagnitudesMatchesLog10() {
        double[] logEdges = LOG.edges();
        assertThat(logEdges[0]).isEqualTo(-12.0);
        assertThat(logEdges[32]).isEqualTo(4.0);
        Random random = new Random(345);
        int n = 20_000;
        double[] z = new double[n];
        int nearEdge = 0;
        for (int i = 0; i < n; i++) {
            double u = -14 + 20 * random.nextDouble();
            double m = Math.pow(10.0, u);
            z[i] = random.nextBoolean() ? m : -m;
            // Math.log10 is within an ulp (~1e-15 here): it decides the bin unless log10|z| is
            // within that of an edge, which a random u essentially never is.
            double l = Math.log10(m);
            for (double e : logEdges) {
                nearEdge += Math.abs(l - e) < 1e-12 ? 1 : 0;
            }
        }
        assertThat(nearEdge).as("random samples too close to an edge for Math.log10 to decide").isZero();
        // exact powers of ten that are doubles (Math.log10(10^p) == p by its contract), their
        // ±1e-9 neighbours, and the extremes
        for (int p = 0; p <= 5; p++) {
            z[p] = Math.pow(10, p);
            z[10 + p] = Math.pow(10, p) * (1 + 1e-9);
            z[20 + p] = -Math.pow(10, p) * (1 - 1e-9);
        }
        z[30] = 0.0;
        z[31] = -0.0;
        z[32] = Double.MIN_VALUE;
        z[33] = Double.MAX_VALUE;
        z[34] = -Double.MIN_NORMAL;

        long[] expected = new long[LOG.bins()];
        long under = 0;
        long over = 0;
        for (double v : z) {
            int b = log10Bin(Math.abs(v), logEdges);
            if (b == -1) {
                under++;
            } else if (b == LOG.bins()) {
                over++;
            } else {
                expected[b]++;
            }
        }
        ChainResult r = observe(config(QUARTERS), Activation.TANH, Double.NaN, new double[n], z, 200, 100);
        assertThat(r.logHistCounts(0)).containsExactly(expected);
        assertThat(r.logHistUnderflow[0]).isEqualTo(under);
        assertThat(r.logHistOverflow[0]).isEqualTo(over);
        assertThat(under).isGreaterThan(1000);
        assertThat(over).isGreaterThan(1000);
        assertCountsAddUp(r, n);
    }

    /**
     * Log histograms far from the default: 5000 bins over six decades, 10000 over a fifth of a
     * decade (several edges per cell of the lookup table) and 60 bins over ±300 decades. Reference: a linear scan
     * over the edges 10^e_k, the definition, with every edge and its neighbouring doubles.
     */
    @Test
    void fineAndWideLogHistogramsMatchALinearScanOverTheirEdges() {
        for (HistogramSpec logSpec : new HistogramSpec[] {new HistogramSpec(-3, 3, 5000), new HistogramSpec(-0.1, 0.1, 10000),
                new HistogramSpec(-300, 300, 60)}) {
            double[] e = logSpec.edges();
            double[] m = new double[e.length];
            for (int k = 0; k < e.length; k++) {
                m[k] = Math.pow(10.0, e[k]);
            }
            Random random = new Random(345);
            int n = 40_000;
            double[] z = new double[n];
            int i = 0;
            for (double edge : m) {
                if (i + 3 > n) {
                    break;
                }
                z[i++] = edge;
                z[i++] = -Math.nextUp(edge);
                z[i++] = Math.nextDown(edge);
            }
            for (; i < n; i++) {
                double u = logSpec.lo() - 1 + (logSpec.hi() - logSpec.lo() + 2) * random.nextDouble();
                z[i] = (random.nextBoolean() ? 1 : -1) * Math.pow(10.0, u);
            }
            long[] expected = new long[logSpec.bins()];
            long under = 0;
            long over = 0;
            for (double v : z) {
                double a = Math.abs(v);
                if (a < m[0]) {
                    under++;
                } else if (a > m[logSpec.bins()]) {
                    over++;
                } else {
                    int b = 0;
                    while (b < logSpec.bins() - 1 && a >= m[b + 1]) {
                        b++;
                    }
                    expected[b]++;
                }
            }
            StatsConfig cfg = new StatsConfig(QUARTERS, logSpec, TAU);
            ChainResult r = observe(cfg, Activation.TANH, Double.NaN, new double[n], z, 400, 100);
            assertThat(r.logHistCounts(0)).as(logSpec.toString()).containsExactly(expected);
            assertThat(r.logHistUnderflow[0]).as(logSpec + " underflow").isEqualTo(under);
            assertThat(r.logHistOverflow[0]).as(logSpec + " overflow").isEqualTo(over);
            assertThat(under).isPositive();
            assertThat(over).isPositive();
        }
    }

    /** The Vector API counts and the scalar ones agree exactly, row tails included (width 37). */
    @Test
    void vectorAndScalarCountsAgree() {
        Random random = new Random(345);
        int rows = 50;
        int cols = 37;
        for (Activation act : Activation.values()) {
            double[] a = new double[rows * cols];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextGaussian() * (i % 5 == 0 ? 6 : 1);
            }
            // a whole column that stays saturated for every activation with a band: a dead unit
            for (int r = 0; r < rows; r++) {
                a[r * cols + 3] = -50;
            }
            double param = act.defaultParam();
            double[] z = new double[a.length];
            Kernels.applyScalar(act, param, a, z, a.length);
            StatsConfig cfg = config(QUARTERS);
            ChainResult scalar = new ChainResult(1, 4, LOG.bins());
            new LayerStatistics(cfg, act, param, cols, false).observe(a, z, rows, cols, scalar, 0);
            ChainResult vector = new ChainResult(1, 4, LOG.bins());
            new LayerStatistics(cfg, act, param, cols, true).observe(a, z, rows, cols, vector, 0);
            assertThat(vector.saturationRate[0]).as(act + " saturation").isEqualTo(scalar.saturationRate[0]);
            assertThat(vector.deadUnitRate[0]).as(act + " dead units").isEqualTo(scalar.deadUnitRate[0]);
            if (act != Activation.LINEAR) { // the identity never saturates
                assertThat(vector.saturationRate[0]).as(act + " saturation").isPositive();
                assertThat(vector.deadUnitRate[0]).as(act + " dead units").isPositive();
            }
            assertThat(vector.zeroRate[0]).as(act + " zeros").isEqualTo(scalar.zeroRate[0]);
        }
    }

    private static double[] magnitudeEdges() {
        double[] e = new double[LOG.bins() + 1];
        for (int k = 0; k <= LOG.bins(); k++) {
            e[k] = nearestPowerOfTen(-24 + k); // edges −12, −11.5, …, 4 in half decades
        }
        return e;
    }

    @Test
    void logHistogramAtAndBesideEveryPowerOfTenEdge() {
        // The magnitude edges are the doubles nearest 10^e_k, so the literal 1e-3 opens the bin
        // [1e-3, 10^-2.5) and nextDown(1e-3) falls in the bin below. Math.log10 cannot resolve
        // one ulp here (log10(nextDown(1e-3)) rounds to −3.0), so the reference compares
        // magnitudes with exactly rounded edges instead.
        double[] edges = magnitudeEdges();
        int k = 0;
        double[] z = new double[edges.length * 7];
        for (double e : edges) {
            z[k++] = e;
            z[k++] = Math.nextUp(e);
            z[k++] = Math.nextDown(e);
            z[k++] = -e;
            z[k++] = -Math.nextDown(e);
            z[k++] = e * (1 + 1e-9);
            z[k++] = e * (1 - 1e-9);
        }
        long[] expected = new long[LOG.bins()];
        long under = 0;
        long over = 0;
        for (double v : z) {
            int b = exactLogBin(Math.abs(v), edges);
            if (b == -1) {
                under++;
            } else if (b == LOG.bins()) {
                over++;
            } else {
                expected[b]++;
            }
        }
        // per interior edge: e, nextUp, −e and e(1+1e-9) above it, the other three below
        assertThat(under).isEqualTo(3);
        assertThat(over).isEqualTo(2);
        ChainResult r = observe(config(QUARTERS), Activation.TANH, Double.NaN, new double[z.length], z, z.length, 1);
        assertThat(r.logHistCounts(0)).containsExactly(expected);
        assertThat(r.logHistUnderflow[0]).isEqualTo(under);
        assertThat(r.logHistOverflow[0]).isEqualTo(over);
        // and the literal powers agree with Math.log10 where it is exact (log10(1e-3) == -3.0)
        assertThat(Math.log10(edges[18])).isEqualTo(-3.0);
        assertCountsAddUp(r, z.length);
    }

    @Test
    void logHistogramWithACustomRange() {
        // log10 range [−1, 2] in 3 bins: [0.1, 1), [1, 10), [10, 100]
        StatsConfig cfg = new StatsConfig(QUARTERS, new HistogramSpec(-1, 2, 3), TAU);
        double[] z = {0.0, 0.05, 0.1, 0.5, 1.0, 9.99, 10.0, 99.0, 100.0, Math.nextUp(100.0), -3.0, Math.nextDown(0.1)};
        ChainResult r = observe(cfg, Activation.TANH, Double.NaN, new double[z.length], z, 3, 4);
        assertThat(r.logHistCounts(0)).containsExactly(2, 3, 3);
        assertThat(r.logHistUnderflow[0]).isEqualTo(3);
        assertThat(r.logHistOverflow[0]).isEqualTo(1);
    }
}
