package io.initsweep.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.sim.Activation;
import io.initsweep.sim.ChainParams;
import io.initsweep.sim.Constant;
import io.initsweep.sim.Dtype;
import io.initsweep.sim.HistogramSpec;
import io.initsweep.sim.Identity;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.Initializer;
import io.initsweep.sim.InputDistribution;
import io.initsweep.sim.KaimingNormal;
import io.initsweep.sim.LecunNormal;
import io.initsweep.sim.Lsuv;
import io.initsweep.sim.Normal;
import io.initsweep.sim.Ones;
import io.initsweep.sim.Orthogonal;
import io.initsweep.sim.Sparse;
import io.initsweep.sim.StatsConfig;
import io.initsweep.sim.XavierUniform;
import io.initsweep.sim.Zeros;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The theory beside a chain: σ_w² from the init as used, the ReLU closed forms, and null where it does not apply. */
class ChainTheoryTest {
    private static final StatsConfig STATS = new StatsConfig(new HistogramSpec(-2, 2, 30),
            StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);

    private static ChainParams chain(InitScheme init, double std, Activation act, int width, int inputWidth, double biasStd,
            int depth) {
        Initializer p = init.bind(init == Constant.SCHEME ? Map.of("value", 0.5) : init == Sparse.SCHEME ? Map.of("sparsity", 0.1) : Map.of(), init.usesStdAxis() ? std : Double.NaN);
        return new ChainParams(1L, 0L, width, 32, InputDistribution.NORMAL, p, act, Double.NaN, depth, STATS, inputWidth,
                biasStd, Dtype.FLOAT64, null);
    }

    @Test
    void reluUnderHeFollowsItsClosedFormLayerByLayer() {
        // kaiming_normal (fan_in, gain √2): σ_w² = 2 on every layer, so q^l = q^(l−1) + σ_b² and χ₁ = 1
        ChainParams p = chain(KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 100, 100, 0.1, 6);
        double inputSq = 0.97;
        ChainTheory t = ChainTheory.of(p, inputSq, 0.0);
        double q = 2 * inputSq + 0.01;
        for (int l = 0; l < 6; l++) {
            assertThat(t.q()[l]).as("q at layer %d", l + 1).isCloseTo(q, within(1e-12 * q));
            assertThat(t.chi1()[l]).isCloseTo(1.0, within(1e-12));
            assertThat(t.zeroRate()[l]).isCloseTo(0.5, within(1e-12));
            q = q + 0.01;
        }
        // with a bias q grows without bound: q* = ∞, χ₁ = 1 in the limit
        assertThat(t.fixedPoint().qStar()).isInfinite();
        assertThat(t.fixedPoint().chi1()).isCloseTo(1.0, within(1e-12));
        assertThat(t.qRelError(0, 2 * (2 * inputSq + 0.01))).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theFirstLayerUsesItsOwnFanIn() {
        // normal with std s: σ_w² = fan_in·s², 50·0.04 = 2 for layer 1 and 200·0.04 = 8 after it
        ChainParams p = chain(Normal.SCHEME, 0.2, Activation.RELU, 200, 50, 0.0, 3);
        assertThat(ChainTheory.sigmaW2(p, 1)).isCloseTo(2.0, within(1e-12));
        assertThat(ChainTheory.sigmaW2(p, 2)).isCloseTo(8.0, within(1e-12));
        ChainTheory t = ChainTheory.of(p, 1.0, 0.0);
        assertThat(t.q()).containsExactly(new double[] {2.0, 8.0, 32.0}, within(1e-12));
        assertThat(t.chi1()[0]).isCloseTo(1.0, within(1e-12));
        assertThat(t.chi1()[1]).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void theCorrelationStartsFromTheInputsAndFollowsTheArccosMap() {
        ChainParams p = chain(KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 100, 100, 0.0, 4);
        ChainTheory t = ChainTheory.of(p, 1.0, 0.3);
        double c = 0.3;
        assertThat(t.c()[0]).isCloseTo(c, within(1e-12));
        for (int l = 1; l < 4; l++) {
            c = (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / Math.PI;
            assertThat(t.c()[l]).as("c at layer %d", l + 1).isCloseTo(c, within(1e-9));
        }
    }

    @Test
    void theTheoryIsNullWhereTheWeightsAreNotIndependentZeroMeanAndOfOneVariance() {
        for (InitScheme init : new InitScheme[] {Zeros.SCHEME, Ones.SCHEME, Constant.SCHEME, Identity.SCHEME, Sparse.SCHEME, Lsuv.SCHEME}) {
            ChainParams p = chain(init, 0.1, Activation.TANH, 20, 20, 0.0, 3);
            assertThat(ChainTheory.of(p, 1.0, 0.0)).as(init.id()).isNull();
        }
        for (InitScheme init : new InitScheme[] {Normal.SCHEME, XavierUniform.SCHEME, Orthogonal.SCHEME, LecunNormal.SCHEME}) {
            ChainParams p = chain(init, 0.1, Activation.TANH, 20, 20, 0.0, 3);
            assertThat(ChainTheory.of(p, 1.0, 0.0)).as(init.id()).isNotNull();
        }
    }
}
