package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bias-free relu, leaky_relu and linear networks whose weights are a multiple of base draws are
 * computed as rescaled copies of one unit-scale network ({@link ForwardPass#runGroup}). What must
 * hold: a group gives every chain the bits it gets alone (so sharing is exact); the rescaled route
 * agrees with multiplying by the scaled weights layer by layer (the plain route) to rounding; and
 * where the numbers leave the floating-point range, the chain overflows as the plain route does.
 */
class UnitNetworkTest {
    private static final StatsConfig STATS = new StatsConfig(new HistogramSpec(-2, 2, 30),
            StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);

    private static ChainParams chain(InitScheme init, double std, Activation act, double param, int depth, int width,
            int inputWidth, long seed) {
        Initializer p = init.bind(Map.of(), init.usesStdAxis() ? std : Double.NaN);
        return new ChainParams(9L, seed, width, 64, InputDistribution.NORMAL, p, act, param, depth, STATS, inputWidth, 0.0,
                Dtype.FLOAT64, null);
    }

    /** Gaussian-family chains of one unit network: four stds of normal, xavier and kaiming. */
    private static List<ChainParams> gaussianGroup(Activation act, double param, int depth, int width, int inputWidth) {
        List<ChainParams> g = new ArrayList<>();
        for (double std : new double[] {0.01, 0.1, 0.5, 1.0}) {
            g.add(chain(Normal.SCHEME, std, act, param, depth, width, inputWidth, 2));
        }
        g.add(chain(XavierNormal.SCHEME, Double.NaN, act, param, depth, width, inputWidth, 2));
        g.add(chain(KaimingNormal.SCHEME, Double.NaN, act, param, depth, width, inputWidth, 2));
        return g;
    }

    @Test
    void aGroupGivesEveryChainTheBitsItGetsAlone() {
        for (Activation act : List.of(Activation.RELU, Activation.LEAKY_RELU, Activation.LINEAR)) {
            double param = act == Activation.LEAKY_RELU ? 0.2 : act.defaultParam();
            List<ChainParams> group = gaussianGroup(act, param, 12, 24, 40);
            ChainResult[] together = new ForwardPass().runGroup(group, null);
            for (int m = 0; m < group.size(); m++) {
                ChainResult alone = new ForwardPass().run(group.get(m));
                assertSameBits(together[m], alone, act + " " + group.get(m).init().label());
            }
            // and the order of the group does not matter
            List<ChainParams> reversed = new ArrayList<>(group);
            java.util.Collections.reverse(reversed);
            ChainResult[] back = new ForwardPass().runGroup(reversed, null);
            for (int m = 0; m < group.size(); m++) {
                assertSameBits(back[group.size() - 1 - m], together[m], "reversed " + act);
            }
        }
    }

    @Test
    void theRescaledRouteAgreesWithThePlainRouteToRounding() {
        List<ChainParams> chains = new ArrayList<>(gaussianGroup(Activation.RELU, Double.NaN, 20, 50, 50));
        chains.add(chain(Uniform.SCHEME, 0.2, Activation.LEAKY_RELU, 0.1, 20, 50, 30, 4));
        chains.add(chain(KaimingUniform.SCHEME, Double.NaN, Activation.LEAKY_RELU, 0.1, 20, 50, 30, 4));
        chains.add(chain(HeNormal.SCHEME, Double.NaN, Activation.LINEAR, Double.NaN, 20, 50, 50, 5));
        chains.add(chain(LecunUniform.SCHEME, Double.NaN, Activation.LINEAR, Double.NaN, 20, 50, 50, 5));
        for (ChainParams p : chains) {
            assertThat(p.scalesUnitNetwork()).isTrue();
            ChainResult scaled = new ForwardPass().run(p);
            ChainResult plain = new ForwardPass().runDirect(p, null);
            String what = p.activation().id() + " " + p.init().label();
            int n = p.batch() * p.width();
            for (int l = 0; l < p.maxDepth(); l++) {
                // per-layer products accumulate rounding in either route: 1e-12 relative is ~5000 ulps
                assertClose(scaled.preStd[l], plain.preStd[l], 1e-12, what + " pre_std " + l);
                assertClose(scaled.actStd[l], plain.actStd[l], 1e-12, what + " act_std " + l);
                assertClose(scaled.preSqMean[l], plain.preSqMean[l], 1e-12, what + " pre_sq_mean " + l);
                assertClose(scaled.actMax[l], plain.actMax[l], 1e-12, what + " act_max " + l);
                assertClose(scaled.preMin[l], plain.preMin[l], 1e-12, what + " pre_min " + l);
                assertThat(Math.abs(scaled.preMean[l] - plain.preMean[l])).as(what + " pre_mean " + l)
                        .isLessThanOrEqualTo(1e-12 * plain.preStd[l]);
                assertClose(scaled.weightRms[l], plain.weightRms[l], 1e-14, what + " weight_rms " + l);
                // a value may land on the other side of a bin edge or of zero by rounding: a handful at most
                long moved = 0;
                for (int b = 0; b < scaled.bins; b++) {
                    moved += Math.abs(scaled.histCounts[l * scaled.bins + b] - plain.histCounts[l * plain.bins + b]);
                }
                assertThat(moved).as(what + " histogram " + l).isLessThanOrEqualTo(4);
                assertThat(Math.abs(scaled.saturationRate[l] - plain.saturationRate[l]) * n).as(what + " saturation " + l)
                        .isLessThanOrEqualTo(2.0);
                assertThat(scaled.deadUnitRate[l]).isEqualTo(plain.deadUnitRate[l]);
                assertThat(scaled.nonfinite[l]).isZero();
            }
        }
    }

    @Test
    void chainsOutOfRangeOverflowAsThePlainRouteDoes() {
        // relu, std 10, width 100: ×~70 a layer, past 1.8e308 near layer 166; a linear network of
        // std 0.02 shrinks ×~0.2 a layer and underflows
        for (ChainParams p : List.of(chain(Normal.SCHEME, 10, Activation.RELU, Double.NaN, 200, 100, 100, 0),
                chain(Normal.SCHEME, 0.02, Activation.LINEAR, Double.NaN, 500, 100, 100, 0))) {
            ChainResult scaled = new ForwardPass().run(p);
            ChainResult plain = new ForwardPass().runDirect(p, null);
            assertThat(firstNonfinite(scaled)).as(p.init().label()).isEqualTo(firstNonfinite(plain));
            for (int l = 0; l < p.maxDepth(); l++) {
                assertThat(scaled.nonfinite[l]).as("layer %d", l + 1).isEqualTo(plain.nonfinite[l]);
                // below the normal range the plain route loses digits product after product while
                // the rescaled one rounds once: zero rates agree only while values are normal
                if (Math.abs(plain.preMax[l]) >= Double.MIN_NORMAL || Math.abs(plain.preMin[l]) >= Double.MIN_NORMAL) {
                    assertThat(Math.abs(scaled.zeroRate[l] - plain.zeroRate[l])).as("zero rate, layer %d", l + 1)
                            .isLessThanOrEqualTo(0.01);
                }
            }
            int last = p.maxDepth() - 1;
            assertThat(scaled.zeroRate[last]).isEqualTo(plain.zeroRate[last]);
            // and in a group with a chain that stays in range, each still gets its own bits
            ChainParams tame = chain(KaimingNormal.SCHEME, Double.NaN, p.activation(), Double.NaN, p.maxDepth(), 100, 100, 0);
            ChainResult[] both = new ForwardPass().runGroup(List.of(p, tame), null);
            assertSameBits(both[0], scaled, "diverging chain in a group");
            assertSameBits(both[1], new ForwardPass().run(tame), "tame chain in a group");
        }
        assertThat(firstNonfinite(new ForwardPass().run(chain(Normal.SCHEME, 10, Activation.RELU, Double.NaN, 200, 100, 100, 0))))
                .isBetween(150, 185);
    }

    @Test
    void onlyBiasFreeHomogeneousFloat64ChainsWithScaledBaseDrawsShareAUnitNetwork() {
        assertThat(chain(Normal.SCHEME, 1, Activation.RELU, Double.NaN, 3, 8, 8, 0).scalesUnitNetwork()).isTrue();
        assertThat(chain(Normal.SCHEME, 1, Activation.TANH, Double.NaN, 3, 8, 8, 0).scalesUnitNetwork()).isFalse();
        assertThat(chain(Orthogonal.SCHEME, Double.NaN, Activation.RELU, Double.NaN, 3, 8, 8, 0).scalesUnitNetwork()).isFalse();
        assertThat(chain(Lsuv.SCHEME, Double.NaN, Activation.RELU, Double.NaN, 3, 8, 8, 0).scalesUnitNetwork()).isFalse();
        assertThat(chain(Zeros.SCHEME, Double.NaN, Activation.RELU, Double.NaN, 3, 8, 8, 0).scalesUnitNetwork()).isFalse();
        ChainParams relu = chain(Normal.SCHEME, 1, Activation.RELU, Double.NaN, 3, 8, 8, 0);
        ChainParams biased = new ChainParams(9L, 0, 8, 64, InputDistribution.NORMAL, relu.init(), Activation.RELU, Double.NaN,
                3, STATS, 8, 0.1, Dtype.FLOAT64, null);
        ChainParams f32 = new ChainParams(9L, 0, 8, 64, InputDistribution.NORMAL, relu.init(), Activation.RELU, Double.NaN,
                3, STATS, 8, 0.0, Dtype.FLOAT32, null);
        assertThat(biased.scalesUnitNetwork()).isFalse();
        assertThat(f32.scalesUnitNetwork()).isFalse();
        // normal and kaiming_normal share Gaussian draws; uniform has its own
        assertThat(relu.unitKey()).isEqualTo(chain(KaimingNormal.SCHEME, Double.NaN, Activation.RELU, Double.NaN, 3, 8, 8, 0)
                .unitKey());
        assertThat(relu.unitKey()).isNotEqualTo(chain(Uniform.SCHEME, 1, Activation.RELU, Double.NaN, 3, 8, 8, 0).unitKey());
        assertThatThrownBy(() -> new ForwardPass().runGroup(List.of(relu,
                chain(Uniform.SCHEME, 1, Activation.RELU, Double.NaN, 3, 8, 8, 0)), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int firstNonfinite(ChainResult r) {
        for (int l = 0; l < r.depth; l++) {
            if (r.nonfinite[l] > 0) {
                return l + 1;
            }
        }
        return -1;
    }

    private static void assertClose(double actual, double expected, double rel, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(rel * Math.abs(expected));
    }

    static void assertSameBits(ChainResult a, ChainResult b, String what) {
        double[][] da = {a.actMean, a.actStd, a.actMin, a.actMax, a.preMean, a.preStd, a.preMin, a.preMax, a.preSqMean,
            a.saturationRate, a.deadUnitRate, a.zeroRate, a.weightRms};
        double[][] db = {b.actMean, b.actStd, b.actMin, b.actMax, b.preMean, b.preStd, b.preMin, b.preMax, b.preSqMean,
            b.saturationRate, b.deadUnitRate, b.zeroRate, b.weightRms};
        for (int i = 0; i < da.length; i++) {
            for (int l = 0; l < da[i].length; l++) {
                assertThat(Double.doubleToRawLongBits(da[i][l])).as("%s: field %d layer %d: %s vs %s", what, i, l + 1,
                        da[i][l], db[i][l]).isEqualTo(Double.doubleToRawLongBits(db[i][l]));
            }
        }
        long[][] la = {a.nonfinite, a.preNonfinite, a.histCounts, a.histUnderflow, a.histOverflow, a.logHistCounts,
            a.logHistUnderflow, a.logHistOverflow};
        long[][] lb = {b.nonfinite, b.preNonfinite, b.histCounts, b.histUnderflow, b.histOverflow, b.logHistCounts,
            b.logHistUnderflow, b.logHistOverflow};
        for (int i = 0; i < la.length; i++) {
            assertThat(la[i]).as("%s: counts %d", what, i).isEqualTo(lb[i]);
        }
        assertThat(a.lsuvIterations).isEqualTo(b.lsuvIterations);
    }
}
