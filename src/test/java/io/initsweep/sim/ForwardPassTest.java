package io.initsweep.sim;

import static io.initsweep.sim.Reference.K_SIGMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forward pass against closed forms of mean-field theory (Glorot &amp; Bengio 2010; He et
 * al. 2015; Poole et al. 2016) and exact invariants. Sampled statistics are averaged over
 * several seeds; each tolerance is K_SIGMA standard errors of that average, the standard
 * error coming from a closed form where one is derived below and from the seed-to-seed
 * spread otherwise.
 */
class ForwardPassTest {
    private static final long MASTER = 7L;
    private static final int WIDTH = 100;
    private static final int BATCH = 2000;
    private static final int SEEDS = 8;

    private static StatsConfig stats(Activation act) {
        return new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);
    }

    private static ChainParams params(long seed, int width, int batch, InitScheme init, double std, double value, Activation act,
            int depth) {
        return params(seed, width, batch, init.bind(init == Constant.SCHEME ? Map.of("value", value) : Map.of(), std),
                act, depth);
    }

    private static ChainParams params(long seed, int width, int batch, Initializer init, Activation act, int depth) {
        return new ChainParams(MASTER, seed, width, batch, InputDistribution.NORMAL, init, act, act.defaultParam(), depth,
                stats(act));
    }

    private static long sum(long[] x) {
        return Arrays.stream(x).sum();
    }

    // ---------------------------------------------------------------- layer 1: E[A²] = width·s²·E[X²]

    /**
     * Relative sd of layer 1's E[A²] for A = s·X·G, X (B×W) and G (W×W) with iid N(0, 1)
     * entries: conditional on X, ‖XG‖² is a sum over the W columns of gᵀMg with M = XᵀX, mean
     * tr M and variance 2 tr M²; E tr M² = BW(B+W+1) (Wishart) and Var tr M = 2BW. Together
     * Var(E[A²]) / E[A²]² = 2(B + 2W + 1) / (B·W²). Unit-variance uniform G has kurtosis 9/5
     * &lt; 3, which only lowers the variance, so the Gaussian value bounds it.
     */
    private static double firstLayerRelativeSd(int batch, int width) {
        return Math.sqrt(2.0 * (batch + 2.0 * width + 1.0) / batch) / width;
    }

    /** E[w²]/std² of N(0, std²) truncated to ±c·std: 1 − 2cφ(c)/(Φ(c) − Φ(−c)). */
    private static double truncatedVarianceFactor(double c) {
        return 1.0 - 2.0 * c * Reference.normalPdf(c) / (1.0 - Reference.twoSidedNormalTail(c));
    }

    @Test
    void firstLayerSecondMomentIsWidthTimesWeightVariance() {
        double axisStd = 0.5;
        double value = 0.03;
        double sparsity = 0.3;
        int sparseZeros = (int) Math.ceil(sparsity * WIDTH); // per input unit, as torch.nn.init.sparse_
        for (InitScheme init : Initializer.values()) {
            // E[A²] = W·E[w²]·E[X²] with E[X²] = 1, E[w²] from the formulas (Glorot & Bengio; He et al.;
            // Keras/JAX variance scaling: scale/n), fan_in = fan_out = W
            double expected = switch (init.id()) {
                case "normal", "uniform" -> WIDTH * axisStd * axisStd;
                // trunc_normal_ defaults a = −2, b = 2: ±4 std at std 0.5
                case "truncated_normal" -> WIDTH * axisStd * axisStd * truncatedVarianceFactor(2.0 / axisStd);
                case "sparse" -> (WIDTH - sparseZeros) * axisStd * axisStd;
                case "xavier_normal", "xavier_uniform", "glorot_normal", "glorot_uniform" -> WIDTH * (2.0 / (WIDTH + WIDTH));
                case "kaiming_normal", "kaiming_uniform", "he_normal", "he_uniform" -> WIDTH * (2.0 / WIDTH);
                case "variance_scaling", "lecun_normal", "lecun_uniform" -> WIDTH * (1.0 / WIDTH);
                // A = X·Q with Q square orthogonal (or I): ‖A‖ = ‖X‖ row by row
                case "orthogonal", "identity", "lsuv" -> 1.0;
                // A = value · rowsum(X): every entry is value·N(0, W)
                case "constant" -> WIDTH * value * value;
                case "ones" -> WIDTH;
                case "zeros" -> 0.0;
                default -> throw new AssertionError("no expected E[A²] for " + init.id());
            };
            double relSd = switch (init.id()) {
                // rowsum²/W ~ χ²₁ (variance 2) per row
                case "constant", "ones" -> Math.sqrt(2.0 / BATCH);
                // the mean of B·W squared N(0, 1) inputs
                case "orthogonal", "identity", "lsuv" -> Math.sqrt(2.0 / (BATCH * WIDTH));
                // kurtosis κ = 3W/(W − z) > 3 adds (κ − 3)/W² to the Gaussian 2/W² (B ≫ W)
                case "sparse" -> firstLayerRelativeSd(BATCH, WIDTH)
                        * Math.sqrt((3.0 * WIDTH / (WIDTH - sparseZeros) - 1.0) / 2.0);
                case "normal", "uniform", "truncated_normal", "xavier_normal", "xavier_uniform", "glorot_normal",
                        "glorot_uniform", "kaiming_normal", "kaiming_uniform", "he_normal", "he_uniform", "variance_scaling",
                        "lecun_normal", "lecun_uniform", "zeros" -> firstLayerRelativeSd(BATCH, WIDTH);
                default -> throw new AssertionError("no expected spread for " + init.id());
            };
            Map<String, Object> given = init == Constant.SCHEME ? Map.of("value", value)
                    : init == Sparse.SCHEME ? Map.of("sparsity", sparsity) : Map.of();
            Initializer ip = init.bind(given, init.usesStdAxis() ? axisStd : Double.NaN);
            double[] q = new double[SEEDS];
            for (int seed = 0; seed < SEEDS; seed++) {
                q[seed] = new ForwardPass().run(params(seed, WIDTH, BATCH, ip, Activation.TANH, 1)).preSqMean[0];
            }
            if (init == Zeros.SCHEME) {
                assertThat(q).containsOnly(0.0);
                continue;
            }
            double tol = K_SIGMA * relSd * expected / Math.sqrt(SEEDS);
            assertThat(Reference.mean(q)).as("%s: mean over %d seeds of E[A²] (per-seed %s)", init.id(), SEEDS, Arrays.toString(q))
                    .isCloseTo(expected, within(tol));
        }
    }

    // ---------------------------------------------------------------- depth: He keeps q, Xavier halves it

    /**
     * For ReLU, E[q_(l+1) / q_l] = s²·W/2 exactly: E over layer l+1's weights gives
     * q_(l+1) = s²·W·mean(z_l²), and since A_l is symmetric in distribution (G → −G),
     * E[mean(relu(A)²) / mean(A²)] = 1/2. So He (s² = 2/W) has ratio 1 and Xavier (s² = 1/W) 1/2.
     * Returns per-seed ratios, [seed][layer−1].
     */
    private static double[][] reluRatios(InitScheme init, int seeds, int depth) {
        double[][] ratios = new double[seeds][depth - 1];
        ForwardPass pass = new ForwardPass();
        for (int seed = 0; seed < seeds; seed++) {
            ChainResult r = pass.run(params(100 + seed, WIDTH, BATCH, init, Double.NaN, Double.NaN, Activation.RELU, depth));
            for (int l = 1; l < depth; l++) {
                ratios[seed][l - 1] = r.preSqMean[l] / r.preSqMean[l - 1];
            }
        }
        return ratios;
    }

    private static void assertMeanRatio(InitScheme init, double expected) {
        int seeds = 16;
        int depth = 6;
        double[][] ratios = reluRatios(init, seeds, depth);
        for (int l = 0; l < depth - 1; l++) {
            double[] x = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                x[s] = ratios[s][l];
            }
            double sd = Reference.sampleSd(x);
            // guard against a vacuous tolerance: at W = 100 the per-layer ratio's spread is ~5-15%
            // (ReLU outputs share a mean direction, so q fluctuates like a χ² with ~W/π dof)
            assertThat(sd / expected).as("%s layer %d→%d: seed-to-seed relative sd", init.id(), l + 1, l + 2).isLessThan(0.3);
            assertThat(Reference.mean(x)).as("%s: E[A²] ratio layer %d→%d, per seed %s", init.id(), l + 1, l + 2,
                    Arrays.toString(x)).isCloseTo(expected, within(K_SIGMA * sd / Math.sqrt(seeds)));
        }
    }

    @Test
    void heReluKeepsTheSecondMomentAcrossLayers() {
        assertMeanRatio(KaimingNormal.SCHEME, 1.0);
        assertMeanRatio(KaimingUniform.SCHEME, 1.0);
    }

    @Test
    void xavierReluHalvesTheSecondMomentPerLayer() {
        assertMeanRatio(XavierNormal.SCHEME, 0.5);
    }

    // ---------------------------------------------------------------- exact cases

    @Test
    void zeroWeightsWithReluAreAllDeadZeros() {
        ChainResult r = new ForwardPass().run(params(1, 50, 300, Zeros.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 4));
        for (int l = 0; l < 4; l++) {
            assertThat(r.zeroRate[l]).isEqualTo(1.0);
            assertThat(r.saturationRate[l]).isEqualTo(1.0);
            assertThat(r.deadUnitRate[l]).isEqualTo(1.0);
            assertThat(r.preSqMean[l]).isZero();
            assertThat(r.actStd[l]).isZero();
            // z = 0 is the lowest edge: all in bin 0; |z| = 0 is log underflow
            assertThat(r.histCounts(l)[0]).isEqualTo(50L * 300);
            assertThat(r.logHistUnderflow[l]).isEqualTo(50L * 300);
        }
    }

    @Test
    void zeroWeightsWithSigmoidAndTanhSitAtTheCentre() {
        // σ(0) = 1/2 = edge 15 of 30 over [0, 1]; tanh(0) = 0 = edge 15 over [−1, 1]; φ'(0) is the
        // maximum, so nothing is saturated.
        ChainResult s = new ForwardPass().run(params(1, 50, 300, Zeros.SCHEME, Double.NaN, Double.NaN, Activation.SIGMOID, 3));
        ChainResult t = new ForwardPass().run(params(1, 50, 300, Zeros.SCHEME, Double.NaN, Double.NaN, Activation.TANH, 3));
        for (int l = 0; l < 3; l++) {
            assertThat(s.actMean[l]).isEqualTo(0.5);
            assertThat(s.zeroRate[l]).isZero();
            assertThat(s.saturationRate[l]).isZero();
            assertThat(s.histCounts(l)[15]).isEqualTo(50L * 300);
            assertThat(t.zeroRate[l]).isEqualTo(1.0);
            assertThat(t.saturationRate[l]).isZero();
            assertThat(t.deadUnitRate[l]).isZero();
            assertThat(t.histCounts(l)[15]).isEqualTo(50L * 300);
        }
    }

    @Test
    void constantWeightsGiveIdenticalColumns() {
        // A = value · rowsum(X) is the same in every column: each row is constant, so layer 2's
        // input rows are constant and A₂ = value·W·z exactly (up to the summation's rounding).
        double value = 0.02;
        ChainResult r = new ForwardPass().run(params(3, 40, 500, Constant.SCHEME, Double.NaN, value, Activation.TANH, 2));
        // E[A₂²] = value²·W²·E[tanh(a₁)²]; with z constant per row, E[z²] = act moments of layer 1
        double ez2 = r.actStd[0] * r.actStd[0] + r.actMean[0] * r.actMean[0];
        assertThat(r.preSqMean[1]).isCloseTo(value * value * 40 * 40 * ez2, within(1e-12 * r.preSqMean[1]));
    }

    @Test
    void countsAddUpOnEveryLayerIncludingOverflowToNonFinite() {
        // std 100 with ReLU multiplies E[A²] by W·s²/2 = 2.5·10⁵ per layer: near layer 114 the
        // values overflow to ∞ and then NaN (∞ − ∞ in the products).
        ChainParams exploding = params(5, 50, 200, Normal.SCHEME, 100.0, Double.NaN, Activation.RELU, 130);
        ChainParams vanishing = params(5, 50, 200, Normal.SCHEME, 0.01, Double.NaN, Activation.TANH, 40);
        ChainParams plain = params(5, 100, 1000, XavierUniform.SCHEME, Double.NaN, Double.NaN, Activation.SIGMOID, 5);
        boolean sawNonFinite = false;
        boolean sawLogUnderflow = false;
        for (ChainParams p : new ChainParams[] {exploding, vanishing, plain}) {
            ChainResult r = new ForwardPass().run(p);
            long n = (long) p.batch() * p.width();
            for (int l = 0; l < p.maxDepth(); l++) {
                assertThat(sum(r.histCounts(l)) + r.histUnderflow[l] + r.histOverflow[l] + r.nonfinite[l])
                        .as("%s layer %d histogram", p.init().label(), l + 1).isEqualTo(n);
                assertThat(sum(r.logHistCounts(l)) + r.logHistUnderflow[l] + r.logHistOverflow[l] + r.nonfinite[l])
                        .as("%s layer %d log histogram", p.init().label(), l + 1).isEqualTo(n);
                if (r.nonfinite[l] > 0) {
                    sawNonFinite = true;
                    assertThat(r.actMean[l]).isNaN();
                    assertThat(r.actStd[l]).isNaN();
                }
                sawLogUnderflow |= p == vanishing && r.logHistUnderflow[l] == n;
            }
        }
        assertThat(sawNonFinite).as("the exploding chain reached non-finite values").isTrue();
        assertThat(sawLogUnderflow).as("the vanishing chain fell below 1e-12 everywhere").isTrue();
    }

    // ---------------------------------------------------------------- sigmoid mean field at layer 1

    @Test
    void sigmoidSaturationAtLayerOneIsTheGaussianTailBeyondTheCut() {
        // Given X, a = x_r·w_j ~ N(0, s²‖x_r‖²) exactly, and ‖x_r‖² ~ χ²_W. So
        // E[saturation] = E_v[P(|N(0, s²v)| > cut)], v ~ χ²_W; as W → ∞ this is P(|a| > cut) with
        // a ~ N(0, W·s²). At W = 100 the two differ by ~2e-3 (std 1), as much as the sampling
        // error, so the test uses the exact scale mixture.
        double cut = Reference.sigmoidCut(StatsConfig.DEFAULT_SATURATION_THRESHOLD);
        for (double std : new double[] {1.0, 0.3}) {
            double expected = Reference.chiSquareExpectation(WIDTH, v -> Reference.twoSidedNormalTail(cut / (std * Math.sqrt(v))));
            double gaussianLimit = Reference.twoSidedNormalTail(cut / (std * Math.sqrt(WIDTH)));
            assertThat(Reference.chiSquareExpectation(WIDTH, v -> 1.0)).as("χ² density integrates to 1").isCloseTo(1.0, within(1e-12));
            assertThat(expected).as("mixture near its Gaussian limit").isCloseTo(gaussianLimit, within(5e-3));
            double[] rate = new double[SEEDS];
            for (int seed = 0; seed < SEEDS; seed++) {
                rate[seed] = new ForwardPass().run(params(200 + seed, WIDTH, BATCH, Normal.SCHEME, std, Double.NaN,
                        Activation.SIGMOID, 1)).saturationRate[0];
            }
            double sd = Reference.sampleSd(rate);
            // guard: per-seed spread is ~0.3% (column norms ‖w_j‖ shared by all rows), never 2%
            assertThat(sd).as("seed-to-seed sd of the saturation rate, std=" + std).isLessThan(0.02);
            assertThat(Reference.mean(rate)).as("std=%s: saturation rate per seed %s, expected %s", std, Arrays.toString(rate), expected)
                    .isCloseTo(expected, within(K_SIGMA * sd / Math.sqrt(SEEDS)));
        }
    }

    // ---------------------------------------------------------------- determinism and depth prefixes

    @Test
    void aChainIsBitIdenticalWhateverRanBeforeIt() {
        ChainParams p = params(9, 64, 300, KaimingUniform.SCHEME, Double.NaN, Double.NaN, Activation.TANH, 5);
        ChainResult fresh = new ForwardPass().run(p);
        ForwardPass reused = new ForwardPass();
        reused.run(params(1, 128, 700, Normal.SCHEME, 3.0, Double.NaN, Activation.RELU, 7)); // larger buffers, other values
        reused.run(params(2, 16, 50, Constant.SCHEME, Double.NaN, 1e200, Activation.RELU, 3)); // non-finite values
        ChainResult again = reused.run(p);
        assertThat(Reference.firstDifference(fresh, again)).isNull();
    }

    @Test
    void aKeptStatisticsPassGivesTheBitsOfAFreshOne() {
        // the same width, activation and statistics: the second chain gets the first one's pass, and
        // leaves it after the careful route (its layers overflow to non-finite values)
        ChainParams p = params(9, 64, 300, KaimingNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 5);
        ChainParams overflowing = params(2, 64, 300, Constant.SCHEME, Double.NaN, 1e200, Activation.RELU, 3);
        ChainResult fresh = new ForwardPass().run(p);
        ChainResult overflowFresh = new ForwardPass().run(overflowing);
        ForwardPass reused = new ForwardPass();
        reused.run(p);
        ChainResult overflowAfter = reused.run(overflowing);
        ChainResult again = reused.run(p);
        assertThat(reused.statsFor(overflowing)).isSameAs(reused.statsFor(p));
        assertThat(overflowFresh.nonfinite[2]).isPositive();
        assertThat(Reference.firstDifference(overflowFresh, overflowAfter)).isNull();
        assertThat(Reference.firstDifference(fresh, again)).isNull();
    }

    @Test
    void aShallowChainIsThePrefixOfADeepOne() {
        // docs/design.md §1: a depth-d network is the first d layers of a deeper one from the same seed.
        ChainResult shallow = new ForwardPass().run(params(4, 80, 400, XavierNormal.SCHEME, Double.NaN, Double.NaN, Activation.TANH, 3));
        ChainResult deep = new ForwardPass().run(params(4, 80, 400, XavierNormal.SCHEME, Double.NaN, Double.NaN, Activation.TANH, 8));
        assertThat(Arrays.copyOf(deep.preSqMean, 3)).isEqualTo(shallow.preSqMean);
        assertThat(Arrays.copyOf(deep.actMean, 3)).isEqualTo(shallow.actMean);
        assertThat(Arrays.copyOf(deep.actStd, 3)).isEqualTo(shallow.actStd);
        assertThat(Arrays.copyOf(deep.saturationRate, 3)).isEqualTo(shallow.saturationRate);
        assertThat(Arrays.copyOf(deep.histCounts, 3 * 30)).isEqualTo(shallow.histCounts);
        assertThat(Arrays.copyOf(deep.logHistCounts, 3 * 32)).isEqualTo(shallow.logHistCounts);
    }

    @Test
    void differentSeedsGiveDifferentChains() {
        ChainResult a = new ForwardPass().run(params(1, 50, 100, KaimingNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 2));
        ChainResult b = new ForwardPass().run(params(2, 50, 100, KaimingNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 2));
        assertThat(a.preSqMean[0]).isNotEqualTo(b.preSqMean[0]);
        assertThat(a.preSqMean[1]).isNotEqualTo(b.preSqMean[1]);
    }
}
