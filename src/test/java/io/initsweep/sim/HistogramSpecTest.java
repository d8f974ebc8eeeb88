package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The small value records of the kernel: bin edges and the validation of their inputs. */
class HistogramSpecTest {
    @Test
    void edgesAreTheEquallySpacedPointsUpToRounding() {
        for (HistogramSpec spec : new HistogramSpec[] {
            new HistogramSpec(0, 1, 30), new HistogramSpec(-1, 1, 30), new HistogramSpec(0, 5, 30),
            new HistogramSpec(-12, 4, 32), new HistogramSpec(-3.7, 11.3, 17)}) {
            double[] e = spec.edges();
            assertThat(e).hasSize(spec.bins() + 1);
            assertThat(e[0]).isEqualTo(spec.lo());
            assertThat(e[spec.bins()]).isEqualTo(spec.hi());
            BigDecimal lo = new BigDecimal(spec.lo());
            BigDecimal width = new BigDecimal(spec.hi()).subtract(lo);
            for (int k = 0; k <= spec.bins(); k++) {
                if (k > 0) {
                    assertThat(e[k]).isGreaterThan(e[k - 1]);
                }
                // lo + (hi − lo)·k/bins in exact arithmetic; the double formula rounds the product
                // and the sum, each by half an ulp of at most max(|lo|, |hi|)
                double exact = lo.add(width.multiply(BigDecimal.valueOf(k)).divide(BigDecimal.valueOf(spec.bins()),
                        MathContext.DECIMAL128)).doubleValue();
                double scale = Math.max(Math.abs(spec.lo()), Math.abs(spec.hi()));
                assertThat(Math.abs(e[k] - exact)).as("%s edge %d", spec, k).isLessThanOrEqualTo(2 * Math.ulp(scale));
            }
        }
    }

    @Test
    void invalidSpecsAreRejectedWithTheValueFound() {
        assertThatThrownBy(() -> new HistogramSpec(0, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
        assertThatThrownBy(() -> new HistogramSpec(1, 1, 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1.0, 1.0]");
        assertThatThrownBy(() -> new HistogramSpec(Double.NaN, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistogramSpec(0, Double.POSITIVE_INFINITY, 5)).isInstanceOf(IllegalArgumentException.class);
        HistogramSpec h = new HistogramSpec(0, 1, 4);
        assertThatThrownBy(() -> new StatsConfig(h, h, 0.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0.0");
        assertThatThrownBy(() -> new StatsConfig(h, h, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StatsConfig(h, h, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new StatsConfig(h, h, 1.0).saturationThreshold()).isEqualTo(1.0);
        StatsConfig ok = new StatsConfig(h, h, 0.05);
        assertThatThrownBy(() -> new ChainParams(0, 0, 0, 10, InputDistribution.NORMAL,
                Zeros.SCHEME.defaults(Double.NaN), Activation.RELU, Double.NaN, 1, ok)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0, 10, 1");
    }

    @Test
    void chainCostAndWorkingMemory() {
        StatsConfig ok = new StatsConfig(new HistogramSpec(0, 1, 4), StatsConfig.DEFAULT_LOG_HISTOGRAM, 0.05);
        ChainParams p = new ChainParams(0, 0, 100, 1000, InputDistribution.NORMAL,
                KaimingNormal.SCHEME.defaults(Double.NaN), Activation.RELU, Double.NaN, 5, ok);
        assertThat(p.cost()).isEqualTo(5.0 * 1000 * 100 * 100);
        assertThat(p.weightStd()).isEqualTo(Math.sqrt(2.0) / 10.0);
        assertThat(ForwardPass.workingBytes(1000, 100)).isEqualTo(8L * (3 * 1000 * 100 + 100 * 100 + 100));
    }
}
