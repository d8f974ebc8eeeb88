package io.initsweep.sim;

import static io.initsweep.sim.Reference.K_SIGMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keyed random streams (docs/design.md §4): reproducible per key, distinct across keys, with the
 * moments of their distributions, and shared across schemes of one family (common random
 * numbers), which makes layer-1 pre-activations of two Gaussian schemes exact multiples.
 */
class RandomStreamsTest {
    private static final int N = 1 << 20;
    private static final long MASTER = 20240601L;

    // ---------------------------------------------------------------- keys and reproducibility

    @Test
    void sameKeyGivesTheSameDraws() {
        long key = RandomStreams.weightKey(MASTER, 3, 2, 100, 100, Initializer.Family.GAUSSIAN);
        RandomStreams one = new RandomStreams();
        RandomStreams two = new RandomStreams();
        double[] first = new double[10_000];
        double[] second = new double[10_000];
        double[] scratch = new double[777];
        one.fillGaussian(key, first, first.length);
        two.fillUniformUnitVariance(key + 1, scratch, scratch.length); // unrelated use of the instance first
        two.fillGaussian(RandomStreams.inputKey(MASTER, 3, 10, 10, InputDistribution.NORMAL), scratch, scratch.length);
        two.fillGaussian(key, second, second.length);
        assertThat(second).isEqualTo(first);
        one.fillGaussian(key, second, 5000); // reseeding restarts the stream: a prefix of the same draws
        assertThat(java.util.Arrays.copyOf(second, 5000)).isEqualTo(java.util.Arrays.copyOf(first, 5000));
    }

    @Test
    void fillWritesOnlyTheFirstN() {
        RandomStreams streams = new RandomStreams();
        double[] out = new double[20];
        java.util.Arrays.fill(out, 9.0);
        streams.fillGaussian(1L, out, 7);
        streams.fillUniformUnitVariance(2L, out, 3);
        for (int i = 7; i < out.length; i++) {
            assertThat(out[i]).isEqualTo(9.0);
        }
        streams.fillBase(Initializer.Family.NONE, 3L, out, 11);
        for (int i = 0; i < 11; i++) {
            assertThat(out[i]).isEqualTo(1.0);
        }
        assertThat(out[11]).isEqualTo(9.0);
    }

    @Test
    void fillBaseDispatchesToTheFamilysDraws() {
        RandomStreams streams = new RandomStreams();
        double[] viaBase = new double[1000];
        double[] direct = new double[1000];
        streams.fillBase(Initializer.Family.GAUSSIAN, 42L, viaBase, 1000);
        streams.fillGaussian(42L, direct, 1000);
        assertThat(viaBase).isEqualTo(direct);
        streams.fillBase(Initializer.Family.UNIFORM, 42L, viaBase, 1000);
        streams.fillUniformUnitVariance(42L, direct, 1000);
        assertThat(viaBase).isEqualTo(direct);
        streams.fillBase(Initializer.Family.TRUNCATED_GAUSSIAN, 42L, viaBase, 1000);
        streams.fillTruncatedUnitVariance(42L, direct, 1000);
        assertThat(viaBase).isEqualTo(direct);
        assertThatThrownBy(() -> streams.fillBase(Initializer.Family.TRUNCATED_ABSOLUTE, 42L, viaBase, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fillTruncatedNormal");
    }

    /** The keys spelled out without varargs are the fold that defined them (so earlier sweeps keep their draws). */
    @Test
    void keysAreTheFoldOfTheirCoordinates() {
        long weigh = 0x5745494748L; // "WEIGH"
        long input = 0x494e505554L; // "INPUT"
        long sparse = 0x5350415253L; // "SPARS"
        java.util.Random random = new java.util.Random(345);
        for (int i = 0; i < 1000; i++) {
            long master = random.nextLong();
            long seed = random.nextLong();
            int layer = 1 + random.nextInt(1000);
            int a = 1 + random.nextInt(5000);
            int b = 1 + random.nextInt(5000);
            for (Initializer.Family family : Initializer.Family.values()) {
                assertThat(RandomStreams.weightKey(master, seed, layer, a, b, family))
                        .isEqualTo(RandomStreams.hash(master, seed, weigh, layer, ((long) a << 32) | b, family.ordinal()));
            }
            assertThat(RandomStreams.inputKey(master, seed, a, b, InputDistribution.NORMAL))
                    .isEqualTo(RandomStreams.hash(master, seed, input, a, b, InputDistribution.NORMAL.ordinal()));
            assertThat(RandomStreams.sparseKey(master, seed, layer, a, b))
                    .isEqualTo(RandomStreams.hash(master, seed, sparse, layer, ((long) a << 32) | b));
        }
    }

    @Test
    void keysDependOnEveryCoordinate() {
        Set<Long> keys = new HashSet<>();
        int count = 0;
        for (long master : new long[] {0, 1, MASTER}) {
            for (long seed : new long[] {0, 1, 2, -1}) {
                for (int layer = 1; layer <= 4; layer++) {
                    for (int[] shape : new int[][] {{100, 100}, {100, 200}, {200, 100}, {64, 64}}) {
                        for (Initializer.Family family : Initializer.Family.values()) {
                            keys.add(RandomStreams.weightKey(master, seed, layer, shape[0], shape[1], family));
                            count++;
                        }
                        keys.add(RandomStreams.sparseKey(master, seed, layer, shape[0], shape[1]));
                        count++;
                    }
                }
                for (int[] shape : new int[][] {{1000, 100}, {100, 1000}, {1000, 200}}) {
                    keys.add(RandomStreams.inputKey(master, seed, shape[0], shape[1], InputDistribution.NORMAL));
                    count++;
                }
            }
        }
        assertThat(keys).as("distinct keys for distinct coordinates").hasSize(count);
    }

    @Test
    void differentLayersAndSeedsDrawDifferentNumbers() {
        RandomStreams streams = new RandomStreams();
        int n = 100_000;
        double[] base = new double[n];
        streams.fillGaussian(RandomStreams.weightKey(MASTER, 0, 1, 100, 100, Initializer.Family.GAUSSIAN), base, n);
        long[][] others = {{0, 2}, {1, 1}, {2, 1}};
        for (long[] o : others) {
            double[] other = new double[n];
            streams.fillGaussian(RandomStreams.weightKey(MASTER, o[0], (int) o[1], 100, 100, Initializer.Family.GAUSSIAN), other, n);
            int equal = 0;
            double dot = 0;
            for (int i = 0; i < n; i++) {
                equal += base[i] == other[i] ? 1 : 0;
                dot += base[i] * other[i];
            }
            assertThat(equal).as("seed %d layer %d: equal draws", o[0], o[1]).isZero();
            // independent unit-variance streams: the sample correlation has sd 1/√n
            assertThat(dot / n).as("seed %d layer %d: correlation with seed 0 layer 1", o[0], o[1])
                    .isCloseTo(0.0, within(K_SIGMA / Math.sqrt(n)));
        }
    }

    // ---------------------------------------------------------------- distributions

    @Test
    void gaussianDrawsHaveStandardNormalMoments() {
        double[] x = new double[N];
        new RandomStreams().fillGaussian(RandomStreams.inputKey(MASTER, 7, 1024, 1024, InputDistribution.NORMAL), x, N);
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        long above1 = 0;
        long above3 = 0;
        long above4 = 0;
        for (double v : x) {
            s1 += v;
            s2 += v * v;
            s4 += v * v * v * v;
            double m = Math.abs(v);
            above1 += m > 1 ? 1 : 0;
            above3 += m > 3 ? 1 : 0;
            above4 += m > 4 ? 1 : 0;
        }
        // standard errors of N(0,1) sample moments: Var x = 1, Var x² = 2, Var x⁴ = E x⁸ − 9 = 96
        assertThat(s1 / N).as("mean").isCloseTo(0.0, within(K_SIGMA * Math.sqrt(1.0 / N)));
        assertThat(s2 / N).as("E[x²]").isCloseTo(1.0, within(K_SIGMA * Math.sqrt(2.0 / N)));
        assertThat(s4 / N).as("E[x⁴]").isCloseTo(3.0, within(K_SIGMA * Math.sqrt(96.0 / N)));
        // tail shares against quadrature of the normal density (the ziggurat's tail branch included)
        for (long[] c : new long[][] {{1, above1}, {3, above3}, {4, above4}}) {
            double p = Reference.twoSidedNormalTail(c[0]);
            assertThat((double) c[1] / N).as("P(|x| > %d)", c[0])
                    .isCloseTo(p, within(K_SIGMA * Math.sqrt(p * (1 - p) / N)));
        }
    }

    @Test
    void uniformDrawsHaveUnitVarianceAndTheRightRange() {
        double[] x = new double[N];
        new RandomStreams().fillUniformUnitVariance(RandomStreams.weightKey(MASTER, 7, 1, 1024, 1024, Initializer.Family.UNIFORM), x, N);
        double b = Math.sqrt(3.0);
        double s1 = 0;
        double s2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] cuts = {-1.5, 0.0, 1.0};
        long[] below = new long[cuts.length];
        for (double v : x) {
            s1 += v;
            s2 += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            for (int k = 0; k < cuts.length; k++) {
                below[k] += v < cuts[k] ? 1 : 0;
            }
        }
        // U(−√3, √3): Var x = 1, E x⁴ = 9/5, so Var x² = 4/5
        assertThat(s1 / N).as("mean").isCloseTo(0.0, within(K_SIGMA * Math.sqrt(1.0 / N)));
        assertThat(s2 / N).as("E[x²]").isCloseTo(1.0, within(K_SIGMA * Math.sqrt(0.8 / N)));
        assertThat(min).isGreaterThanOrEqualTo(-b);
        assertThat(max).isLessThan(b);
        // the largest of 2^20 draws misses √3 by more than 1e-4 with probability e^(−30)
        assertThat(min).isLessThan(-b + 1e-4);
        assertThat(max).isGreaterThan(b - 1e-4);
        for (int k = 0; k < cuts.length; k++) {
            double p = (cuts[k] + b) / (2 * b);
            assertThat((double) below[k] / N).as("P(x < %s)", cuts[k]).isCloseTo(p, within(K_SIGMA * Math.sqrt(p * (1 - p) / N)));
        }
    }

    @Test
    void truncatedUnitVarianceDrawsStayInsideTwoSigmaWithUnitVariance() {
        double[] x = new double[N];
        new RandomStreams().fillTruncatedUnitVariance(RandomStreams.weightKey(MASTER, 7, 1, 1024, 1024,
                Initializer.Family.TRUNCATED_GAUSSIAN), x, N);
        double c = RandomStreams.TRUNCATED_UNIT_STD;
        // Z ~ N(0, 1) on (−2, 2): with Z₂ = Φ(2) − Φ(−2), E[Z²] = 1 − 4φ(2)/Z₂, E[Z⁴] = 3E[Z²] − 16φ(2)/Z₂
        double mass = 1.0 - Reference.twoSidedNormalTail(2.0);
        double ez2 = 1.0 - 4.0 * Reference.normalPdf(2.0) / mass;
        double ez4 = 3.0 * ez2 - 16.0 * Reference.normalPdf(2.0) / mass;
        double s1 = 0;
        double s2 = 0;
        double maxAbs = 0;
        long inner = 0;
        for (double v : x) {
            s1 += v;
            s2 += v * v;
            maxAbs = Math.max(maxAbs, Math.abs(v));
            inner += Math.abs(v * c) < 1 ? 1 : 0;
        }
        assertThat(maxAbs).as("max |Z|").isLessThan(2.0 / c);
        assertThat(maxAbs).as("the draws reach near the cutoff").isGreaterThan(1.99 / c);
        assertThat(s1 / N).as("mean").isCloseTo(0.0, within(K_SIGMA * Math.sqrt(ez2 / (c * c) / N)));
        double m2 = ez2 / (c * c);
        double m4 = ez4 / (c * c * c * c);
        assertThat(m2).as("the constant makes the variance 1").isCloseTo(1.0, within(1e-12));
        assertThat(s2 / N).as("E[x²]").isCloseTo(m2, within(K_SIGMA * Math.sqrt((m4 - m2 * m2) / N)));
        // P(|Z| < 1 | |Z| < 2) = (Φ(1) − Φ(−1)) / Z₂
        double p = (1.0 - Reference.twoSidedNormalTail(1.0)) / mass;
        assertThat((double) inner / N).as("P(|Z| < 1)").isCloseTo(p, within(K_SIGMA * Math.sqrt(p * (1 - p) / N)));
    }

    @Test
    void truncatedNormalDrawsAreReproducibleAcrossParameterChanges() {
        RandomStreams streams = new RandomStreams();
        double[] first = new double[5000];
        double[] again = new double[5000];
        double[] other = new double[5000];
        streams.fillTruncatedNormal(11L, 0.1, 1.0, 1.5, first, first.length); // 10 to 15 std above the mean
        streams.fillTruncatedNormal(11L, 1.0, -2.0, 2.0, other, other.length);
        streams.fillTruncatedNormal(12L, 0.1, 1.0, 1.5, other, other.length);
        streams.fillTruncatedNormal(11L, 0.1, 1.0, 1.5, again, again.length);
        assertThat(again).isEqualTo(first);
        double[] fresh = new double[5000];
        new RandomStreams().fillTruncatedNormal(11L, 0.1, 1.0, 1.5, fresh, fresh.length);
        assertThat(fresh).isEqualTo(first);
        // far in the upper tail the draws still spread over [a, b] rather than piling up at b
        assertThat(java.util.Arrays.stream(first).min().orElseThrow()).isGreaterThanOrEqualTo(1.0).isLessThan(1.0001);
        assertThat(java.util.Arrays.stream(first).max().orElseThrow()).isLessThanOrEqualTo(1.5);
        assertThat(java.util.Arrays.stream(first).distinct().count()).isEqualTo(first.length);
    }

    @Test
    void zeroPerRowChoosesUniformSubsets() {
        int rows = 40_000;
        int cols = 10;
        int zeros = 3;
        double[] w = new double[rows * cols];
        java.util.Arrays.fill(w, 1.0);
        new RandomStreams().zeroPerRow(5L, w, rows, cols, zeros);
        long[] perColumn = new long[cols];
        long pair01 = 0;
        for (int r = 0; r < rows; r++) {
            int count = 0;
            for (int j = 0; j < cols; j++) {
                if (w[r * cols + j] == 0.0) {
                    count++;
                    perColumn[j]++;
                } else {
                    assertThat(w[r * cols + j]).isEqualTo(1.0);
                }
            }
            assertThat(count).isEqualTo(zeros);
            pair01 += w[r * cols] == 0.0 && w[r * cols + 1] == 0.0 ? 1 : 0;
        }
        // a uniform 3-subset of 10: each position with p = 3/10, a given pair with 3·2/(10·9)
        double p = (double) zeros / cols;
        for (int j = 0; j < cols; j++) {
            assertThat((double) perColumn[j] / rows).as("column %d", j).isCloseTo(p, within(K_SIGMA * Math.sqrt(p * (1 - p) / rows)));
        }
        double q = zeros * (zeros - 1.0) / (cols * (cols - 1.0));
        assertThat((double) pair01 / rows).as("pair (0, 1)").isCloseTo(q, within(K_SIGMA * Math.sqrt(q * (1 - q) / rows)));
        double[] again = new double[rows * cols];
        java.util.Arrays.fill(again, 1.0);
        new RandomStreams().zeroPerRow(5L, again, rows, cols, zeros);
        assertThat(again).isEqualTo(w);
        assertThatThrownBy(() -> new RandomStreams().zeroPerRow(5L, w, rows, cols, cols + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- common random numbers in a chain

    private static final int WIDTH = 100;
    private static final int BATCH = 1000;

    /**
     * Summation-order bound for a mean over n = batch·width terms whose inputs differ by a few
     * ulps: at most n·ε relative in the worst case (Higham, recursive summation), times 4.
     */
    private static final double SUM_TOL = 4.0 * BATCH * WIDTH * Math.ulp(1.0);

    /** Min and max of layer 1 are single products s·S of one shared dot product S: a few ulps. */
    private static final double EXTREME_TOL = 4 * Math.ulp(1.0);

    /**
     * Deeper ReLU layers: each layer's dot products re-round inputs that differ by a few ulps,
     * amplified by Σ|z·g| / |Σ z·g| (≲ 10³ for the entries that dominate max and sums) per layer.
     */
    private static final double DEEP_TOL = 1e-9;

    private static ChainResult run(InitScheme init, double std, Activation act, int depth) {
        StatsConfig stats = new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                StatsConfig.DEFAULT_LOG_HISTOGRAM, 0.05);
        return new ForwardPass().run(new ChainParams(MASTER, 11, WIDTH, BATCH, InputDistribution.NORMAL,
                init.defaults(std), act, act.defaultParam(), depth, stats));
    }

    private static void assertRel(double actual, double expected, double tol, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(tol * Math.abs(expected)));
    }

    @Test
    void gaussianSchemesShareDrawsSoLayerOnePreActivationsScale() {
        ChainResult normal = run(Normal.SCHEME, 1.0, Activation.TANH, 1);
        // He: s = √2/√fan_in; normal with std 0.25 and Xavier (s = √(2/(2·width))) share the same G
        double[][] schemes = {{0, Math.sqrt(2.0 / WIDTH)}, {1, 0.25}, {2, Math.sqrt(1.0 / WIDTH)}};
        for (double[] sc : schemes) {
            ChainResult r = switch ((int) sc[0]) {
                case 0 -> run(KaimingNormal.SCHEME, Double.NaN, Activation.TANH, 1);
                case 1 -> run(Normal.SCHEME, 0.25, Activation.TANH, 1);
                default -> run(XavierNormal.SCHEME, Double.NaN, Activation.TANH, 1);
            };
            double ratio = sc[1];
            String what = "scheme " + (int) sc[0];
            assertRel(r.preMax[0], ratio * normal.preMax[0], EXTREME_TOL, what + " max A");
            assertRel(r.preMin[0], ratio * normal.preMin[0], EXTREME_TOL, what + " min A");
            assertRel(r.preStd[0], ratio * normal.preStd[0], SUM_TOL, what + " std A");
            assertRel(r.preSqMean[0], ratio * ratio * normal.preSqMean[0], SUM_TOL, what + " E[A²]");
            assertThat(r.preMean[0]).as(what + " mean A")
                    .isCloseTo(ratio * normal.preMean[0], within(SUM_TOL * ratio * normal.preStd[0]));
        }
    }

    @Test
    void uniformSchemesShareDrawsAndFamiliesDoNot() {
        ChainResult uniform = run(Uniform.SCHEME, 1.0, Activation.RELU, 1);
        ChainResult xavier = run(XavierUniform.SCHEME, Double.NaN, Activation.RELU, 1);
        double ratio = Math.sqrt(1.0 / WIDTH);
        assertRel(xavier.preMax[0], ratio * uniform.preMax[0], EXTREME_TOL, "max A");
        assertRel(xavier.preMin[0], ratio * uniform.preMin[0], EXTREME_TOL, "min A");
        assertRel(xavier.preSqMean[0], ratio * ratio * uniform.preSqMean[0], SUM_TOL, "E[A²]");
        assertThat(xavier.zeroRate[0]).isEqualTo(uniform.zeroRate[0]);

        // Gaussian and uniform bases are different draws: max and min do not scale together.
        ChainResult normal = run(Normal.SCHEME, 1.0, Activation.RELU, 1);
        double maxRatio = normal.preMax[0] / uniform.preMax[0];
        double minRatio = normal.preMin[0] / uniform.preMin[0];
        assertThat(Math.abs(maxRatio - minRatio)).as("normal vs uniform: not one multiple of the other").isGreaterThan(1e-3);
    }

    @Test
    void reluChainsOfOneFamilyScaleLayerByLayer() {
        // relu(c·a) = c·relu(a) for c > 0, and every layer shares its base draws: with weight
        // scales s and s' the layer-l pre-activations differ by (s'/s)^l exactly, up to rounding.
        int depth = 4;
        ChainResult normal = run(Normal.SCHEME, 1.0, Activation.RELU, depth);
        ChainResult he = run(KaimingNormal.SCHEME, Double.NaN, Activation.RELU, depth);
        double r = Math.sqrt(2.0 / WIDTH);
        for (int l = 0; l < depth; l++) {
            double c = Math.pow(r, l + 1);
            double tol = l == 0 ? EXTREME_TOL : DEEP_TOL;
            assertRel(he.preMax[l], c * normal.preMax[l], tol, "layer " + (l + 1) + " max A");
            assertRel(he.preMin[l], c * normal.preMin[l], tol, "layer " + (l + 1) + " min A");
            assertRel(he.actMax[l], c * normal.actMax[l], tol, "layer " + (l + 1) + " max Z");
            assertRel(he.preSqMean[l], c * c * normal.preSqMean[l], l == 0 ? SUM_TOL : DEEP_TOL, "layer " + (l + 1) + " E[A²]");
            assertRel(he.actMean[l], c * normal.actMean[l], l == 0 ? SUM_TOL : DEEP_TOL, "layer " + (l + 1) + " mean Z");
        }
        assertThat(he.zeroRate[0]).isEqualTo(normal.zeroRate[0]);
        assertThat(he.saturationRate[0]).isEqualTo(normal.saturationRate[0]);
        assertThat(he.deadUnitRate).isEqualTo(normal.deadUnitRate);
    }
}
