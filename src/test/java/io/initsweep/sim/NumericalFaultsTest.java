package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Networks whose numbers leave the floating-point range finish without an exception, and say so:
 * non-finite outputs are counted (nonfinite_count, the histogram's non-finite cell), moments that
 * would include them are NaN rather than garbage, min/max cover the finite entries, and every
 * histogram still accounts for batch × width values.
 */
class NumericalFaultsTest {
    private static ChainResult run(InitScheme init, double std, Activation act, int depth, int width) {
        StatsConfig stats = new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);
        Initializer p = init.bind(Map.of(), init.usesStdAxis() ? std : Double.NaN);
        return new ForwardPass().run(new ChainParams(3L, 0L, width, 200, InputDistribution.NORMAL, p, act,
                act.defaultParam(), depth, stats));
    }

    private static void assertHonest(ChainResult r, int n) {
        for (int l = 0; l < r.depth; l++) {
            long counted = Arrays.stream(r.histCounts(l)).sum() + r.histUnderflow[l] + r.histOverflow[l] + r.nonfinite[l];
            assertThat(counted).as("layer %d histogram accounts for every value", l + 1).isEqualTo(n);
            long logCounted = Arrays.stream(r.logHistCounts(l)).sum() + r.logHistUnderflow[l] + r.logHistOverflow[l]
                    + r.nonfinite[l];
            assertThat(logCounted).isEqualTo(n);
            if (r.nonfinite[l] > 0) {
                assertThat(r.actMean[l]).isNaN();
                assertThat(r.actStd[l]).isNaN();
            } else {
                assertThat(r.actMean[l]).isFinite();
                assertThat(r.actStd[l]).isFinite();
            }
            if (r.preNonfinite[l] > 0) {
                assertThat(r.preMean[l]).isNaN();
                assertThat(r.preSqMean[l]).isNaN();
            }
            if (r.nonfinite[l] < n) {
                assertThat(r.actMin[l]).isFinite();
                assertThat(r.actMax[l]).isFinite();
            } else {
                assertThat(r.actMin[l]).isNaN();
                assertThat(r.actMax[l]).isNaN();
            }
            assertThat(r.saturationRate[l]).isBetween(0.0, 1.0);
            assertThat(r.deadUnitRate[l]).isBetween(0.0, 1.0);
        }
    }

    @Test
    void reluWithStd10AtDepth100StaysFiniteButItsSecondMomentDoesNot() {
        // E[A_l²] grows ×(width·std²/2) = ×5000 per layer: |A| ~ 10^(1.85 l) stays below 1.8e308 at
        // layer 100 (~1e185), but E[A²] ~ 10^370 does not fit a double: it is +Inf, not garbage
        ChainResult r = run(Normal.SCHEME, 10, Activation.RELU, 100, 100);
        assertHonest(r, 200 * 100);
        assertThat(Arrays.stream(r.nonfinite).sum()).isZero();
        assertThat(Math.log10(r.actMax[99])).isBetween(170.0, 200.0);
        assertThat(r.actStd[99]).isFinite().isPositive();
        assertThat(r.preStd[99]).isFinite().isPositive();
        assertThat(r.preSqMean[99]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.preSqMean[0]).isFinite();
    }

    @Test
    void reluWithStd10OverflowsNearLayer166AndCountsIt() {
        // |A| ~ 10^(1.85 l) passes 1.8e308 near l = 308 / 1.85 ≈ 166; then Inf·0 and Inf − Inf give NaN
        ChainResult r = run(Normal.SCHEME, 10, Activation.RELU, 200, 100);
        assertHonest(r, 200 * 100);
        int firstBad = 0;
        while (r.nonfinite[firstBad] == 0) {
            firstBad++;
        }
        assertThat(firstBad + 1).isBetween(155, 180);
        assertThat(r.nonfinite[199]).isEqualTo(200L * 100);
        assertThat(r.preNonfinite[199]).isEqualTo(200L * 100);
    }

    @Test
    void sigmoidWithStd100SaturatesWithoutNaN() {
        ChainResult r = run(Normal.SCHEME, 100, Activation.SIGMOID, 10, 100);
        assertHonest(r, 200 * 100);
        for (int l = 0; l < 10; l++) {
            assertThat(r.nonfinite[l]).isZero();
            assertThat(r.saturationRate[l]).isGreaterThan(0.95);
        }
    }

    @Test
    void aBiasFreeLinearNetworkAtDepth500OverflowsAndSaysSo() {
        // linear, normal std 1, width 100: |A| grows ×√100 = 10 per layer → past 1e308 near layer 308
        ChainResult r = run(Normal.SCHEME, 1, Activation.LINEAR, 500, 100);
        assertHonest(r, 200 * 100);
        assertThat(r.nonfinite[299]).isZero();
        assertThat(r.nonfinite[499]).isEqualTo(200L * 100);
        // and with Xavier's scale (variance 1/width here) the same network stays finite at depth 500
        ChainResult x = run(XavierNormal.SCHEME, Double.NaN, Activation.LINEAR, 500, 100);
        assertHonest(x, 200 * 100);
        assertThat(Arrays.stream(x.nonfinite).sum()).isZero();
    }
}
