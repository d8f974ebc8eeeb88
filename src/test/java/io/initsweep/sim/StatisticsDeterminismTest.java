package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The statistics pass gives the same bits before and after the JIT's top tier compiles it, on
 * both routes, and the two routes agree. Run in a fresh JVM with C2 enabled (the test JVM stops
 * at C1), which must have compiled the statistics pass with C2, like {@link KernelDeterminismTest}
 * for the activations.
 */
class StatisticsDeterminismTest {
    private static final int[] COLS = {100, 37, 512};
    private static final int ROWS = 40;

    /** Observes each layer cold, then 3,000 times more, and prints how many fields changed. */
    public static void main(String[] args) {
        Random random = new Random(11);
        for (int cols : COLS) {
            int n = ROWS * cols;
            double[] a = new double[n];
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = random.nextGaussian() * 1.5 + 0.1;
                z[i] = Math.max(a[i], 0.0);
            }
            StatsConfig cfg = new StatsConfig(new HistogramSpec(0, 3, 30), StatsConfig.DEFAULT_LOG_HISTOGRAM, 0.05);
            LayerStatistics vector = new LayerStatistics(cfg, Activation.RELU, Double.NaN, cols, Kernels.VECTOR_API);
            LayerStatistics plain = new LayerStatistics(cfg, Activation.RELU, Double.NaN, cols, false);
            ChainResult coldVector = observe(vector, a, z, cols);
            ChainResult coldPlain = observe(plain, a, z, cols);
            ChainResult warm = new ChainResult(1, 30, StatsConfig.DEFAULT_LOG_HISTOGRAM.bins());
            ChainResult warmPlain = new ChainResult(1, 30, StatsConfig.DEFAULT_LOG_HISTOGRAM.bins());
            for (int k = 0; k < 3000; k++) {
                vector.observe(a, z, ROWS, cols, warm, 0);
                plain.observe(a, z, ROWS, cols, warmPlain, 0);
            }
            System.out.println("cols " + cols + " vector " + differences(coldVector, warm) + " plain "
                    + differences(coldPlain, warmPlain) + " routes " + differences(warm, warmPlain));
        }
        System.out.println("vector " + Kernels.VECTOR_API);
    }

    private static ChainResult observe(LayerStatistics stats, double[] a, double[] z, int cols) {
        ChainResult r = new ChainResult(1, 30, StatsConfig.DEFAULT_LOG_HISTOGRAM.bins());
        stats.observe(a, z, ROWS, cols, r, 0);
        return r;
    }

    /** Fields of two one-layer results that differ (doubles by their bits). */
    private static int differences(ChainResult x, ChainResult y) {
        double[] dx = {x.actMean[0], x.actStd[0], x.actMin[0], x.actMax[0], x.preMean[0], x.preStd[0], x.preMin[0],
            x.preMax[0], x.preSqMean[0], x.saturationRate[0], x.deadUnitRate[0], x.zeroRate[0]};
        double[] dy = {y.actMean[0], y.actStd[0], y.actMin[0], y.actMax[0], y.preMean[0], y.preStd[0], y.preMin[0],
            y.preMax[0], y.preSqMean[0], y.saturationRate[0], y.deadUnitRate[0], y.zeroRate[0]};
        int d = 0;
        for (int k = 0; k < dx.length; k++) {
            d += Double.doubleToRawLongBits(dx[k]) == Double.doubleToRawLongBits(dy[k]) ? 0 : 1;
        }
        d += java.util.Arrays.equals(x.histCounts, y.histCounts) ? 0 : 1;
        d += java.util.Arrays.equals(x.logHistCounts, y.logHistCounts) ? 0 : 1;
        d += x.histUnderflow[0] == y.histUnderflow[0] && x.histOverflow[0] == y.histOverflow[0] ? 0 : 1;
        d += x.logHistUnderflow[0] == y.logHistUnderflow[0] && x.logHistOverflow[0] == y.logHistOverflow[0] ? 0 : 1;
        return d;
    }

    @Test
    void theStatisticsGiveTheSameBitsColdAndCompiledOnBothRoutes() throws Exception {
        FreshJvm.Output out = FreshJvm.run(StatisticsDeterminismTest.class, 400);
        List<String> lines = out.lines();
        // "compiled" must mean C2's code, on both routes
        out.assertCompiledByC2("LayerStatistics::observe", "LayerStatistics::momentsPlain",
                "LayerStatistics::countsPlain", "LayerStatistics::histogramsPlain", "LayerStatistics::histogramsJoint");
        assertThat(lines).hasSize(COLS.length + 1);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("vector true");
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(line).as("fields changed after compilation, or between the routes")
                    .matches("cols \\d+ vector 0 plain 0 routes 0");
        }
    }

    /**
     * The vector route's bits at the narrower widths other machines have (AVX2's 256-bit vectors,
     * where the order keys take another shift, and 128-bit ones), cold and compiled: the plain
     * route does not depend on the width, so "routes 0" at every width is the same bits everywhere.
     */
    @Test
    void theVectorRouteGivesThePlainBitsAtNarrowerWidths() throws Exception {
        for (String option : new String[] {"-XX:UseAVX=2", "-XX:MaxVectorSize=16"}) {
            FreshJvm.Output out = FreshJvm.run(StatisticsDeterminismTest.class, 400, option);
            List<String> lines = out.lines();
            assertThat(lines).as(option).hasSize(COLS.length + 1);
            assertThat(lines.get(lines.size() - 1)).as(option).isEqualTo("vector true");
            for (String line : lines.subList(0, lines.size() - 1)) {
                assertThat(line).as(option + ": fields changed after compilation, or between the routes")
                        .matches("cols \\d+ vector 0 plain 0 routes 0");
            }
        }
    }
}
