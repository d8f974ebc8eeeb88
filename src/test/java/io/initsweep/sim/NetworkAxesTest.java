package io.initsweep.sim;

import static io.initsweep.sim.Reference.K_SIGMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The network axes beyond init × activation: bias, an input width different from the width
 * (fan_in ≠ fan_out in layer 1), the uniform and data inputs, and float32. Expected values are
 * closed forms of the first layer's second moment, exact invariants, or the float64 run of the
 * same draws.
 */
class NetworkAxesTest {
    private static final long MASTER = 11L;
    private static final int SEEDS = 8;

    private static StatsConfig stats(Activation act) {
        return new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);
    }

    private static ChainParams params(long seed, int width, int batch, InputDistribution input, InitScheme init, double std,
            Activation act, int depth, int inputWidth, double biasStd, Dtype dtype, String data) {
        Initializer ip = init.bind(init == Constant.SCHEME ? java.util.Map.of("value", 1.0) : java.util.Map.of(), std);
        return new ChainParams(MASTER, seed, width, batch, input, ip, act, act.defaultParam(), depth, stats(act), inputWidth,
                biasStd, dtype, data);
    }

    private static ChainParams square(long seed, InitScheme init, double std, Activation act, int depth, double biasStd, Dtype dtype) {
        return params(seed, 100, 1000, InputDistribution.NORMAL, init, std, act, depth, 100, biasStd, dtype, null);
    }

    /** Relative sd of layer 1's E[A²] without bias (see ForwardPassTest#firstLayerRelativeSd), input width n. */
    private static double firstLayerRelativeSd(int batch, int fanIn, int width) {
        // Var ‖XG‖² / E² for X (B×n), G (n×W) iid N(0,1): 2(B + n + W + 1)/(B·n·W) to leading order
        return Math.sqrt(2.0 * (batch + fanIn + width + 1.0) / ((double) batch * fanIn * width));
    }

    // ------------------------------------------------------------------------------------ bias

    @Test
    void biasAddsItsVarianceToTheFirstLayersSecondMoment() {
        // E[A²] = fan_in · s² · E[X²] + σ_b² = 100 · (2/100) · 1 + σ_b² (kaiming, He et al. 2015)
        double sigmaB = 1.0;
        double expected = 2.0 + sigmaB * sigmaB;
        double[] q = new double[SEEDS];
        for (int seed = 0; seed < SEEDS; seed++) {
            q[seed] = new ForwardPass().run(square(seed, KaimingNormal.SCHEME, Double.NaN, Activation.TANH, 1, sigmaB, Dtype.FLOAT64))
                    .preSqMean[0];
        }
        // the bias part is mean_j b_j² over 100 units: variance 2σ_b⁴/100; the product part as without bias
        double sd = Math.hypot(2.0 * firstLayerRelativeSd(1000, 100, 100), Math.sqrt(2.0 / 100) * sigmaB * sigmaB);
        assertThat(Reference.mean(q)).as("per seed %s", Arrays.toString(q))
                .isCloseTo(expected, within(K_SIGMA * sd / Math.sqrt(SEEDS)));
    }

    @Test
    void withZeroWeightsEveryRowOfTheFirstLayerIsTheBias() {
        // A = X·0 + 1·bᵀ: all rows equal, so every histogram count is a multiple of the batch and a
        // unit is dead (ReLU) exactly when its bias is ≤ 0, i.e. saturation rate = dead-unit rate
        ChainResult r = new ForwardPass().run(square(3, Zeros.SCHEME, Double.NaN, Activation.RELU, 1, 0.5, Dtype.FLOAT64));
        for (long c : r.histCounts(0)) {
            assertThat(c % 1000).isZero();
        }
        assertThat(r.saturationRate[0]).isEqualTo(r.deadUnitRate[0]);
        assertThat(r.deadUnitRate[0]).isBetween(0.2, 0.8);
        assertThat(r.preStd[0]).isGreaterThan(0.3).isLessThan(0.7); // the spread of 100 N(0, 0.25) biases
        // and without bias, zero weights give A = 0 exactly
        ChainResult none = new ForwardPass().run(square(3, Zeros.SCHEME, Double.NaN, Activation.RELU, 1, 0.0, Dtype.FLOAT64));
        assertThat(none.preSqMean[0]).isZero();
    }

    // ------------------------------------------------------------------------------ input width

    @Test
    void firstLayerUsesTheInputWidthAsFanIn() {
        // xavier: s² = 2/(fan_in + fan_out) → E[A₁²] = 300 · 2/400 = 1.5; kaiming: 300 · 2/300 = 2,
        // and a ReLU network keeps E[A_l²] = 2 · E[A_{l-1}²]/2 in layer 2 (fan_in 100)
        double[] xavier = new double[SEEDS];
        double[] kaiming = new double[SEEDS];
        double[] kaiming2 = new double[SEEDS];
        for (int seed = 0; seed < SEEDS; seed++) {
            xavier[seed] = new ForwardPass().run(params(seed, 100, 1000, InputDistribution.NORMAL, XavierNormal.SCHEME,
                    Double.NaN, Activation.TANH, 1, 300, 0.0, Dtype.FLOAT64, null)).preSqMean[0];
            ChainResult r = new ForwardPass().run(params(seed, 100, 1000, InputDistribution.NORMAL, KaimingNormal.SCHEME,
                    Double.NaN, Activation.RELU, 2, 300, 0.0, Dtype.FLOAT64, null));
            kaiming[seed] = r.preSqMean[0];
            kaiming2[seed] = r.preSqMean[1];
        }
        double rel = firstLayerRelativeSd(1000, 300, 100);
        assertThat(Reference.mean(xavier)).isCloseTo(1.5, within(K_SIGMA * rel * 1.5 / Math.sqrt(SEEDS)));
        assertThat(Reference.mean(kaiming)).isCloseTo(2.0, within(K_SIGMA * rel * 2.0 / Math.sqrt(SEEDS)));
        // layer 2 compounds layer 1's fluctuation; the seed-to-seed spread gives its standard error
        assertThat(Reference.mean(kaiming2)).isCloseTo(2.0, within(K_SIGMA * Reference.sampleSd(kaiming2) / Math.sqrt(SEEDS)));
        ChainParams p = params(0, 100, 1000, InputDistribution.NORMAL, KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 3, 300, 0.0,
                Dtype.FLOAT64, null);
        assertThat(new int[] {p.fanIn(1), p.fanIn(2), p.fanIn(3)}).containsExactly(300, 100, 100);
        assertThat(p.cost()).isEqualTo(1000.0 * 100 * (300 + 2 * 100));
    }

    // ------------------------------------------------------------------------------ inputs

    @Test
    void uniformInputIsBoundedWithUnitVariance() {
        // width 1, constant weight 1: A = X exactly. U(−√3, √3): mean 0, E[X²] = 1, Var X² = 9/5 − 1
        int batch = 4000;
        ChainResult r = new ForwardPass().run(params(1, 1, batch, InputDistribution.UNIFORM, Constant.SCHEME, Double.NaN,
                Activation.TANH, 1, 1, 0.0, Dtype.FLOAT64, null));
        double root3 = Math.sqrt(3.0);
        assertThat(r.preMin[0]).isGreaterThanOrEqualTo(-root3).isLessThan(-root3 + 0.02);
        assertThat(r.preMax[0]).isLessThanOrEqualTo(root3).isGreaterThan(root3 - 0.02);
        assertThat(r.preSqMean[0]).isCloseTo(1.0, within(K_SIGMA * Math.sqrt(0.8 / batch)));
        assertThat(r.preMean[0]).isCloseTo(0.0, within(K_SIGMA * Math.sqrt(1.0 / batch)));
        // a normal input of the same shape is not bounded by √3 (P(|X| ≤ √3)^4000 ≈ 0)
        ChainResult n = new ForwardPass().run(params(1, 1, batch, InputDistribution.NORMAL, Constant.SCHEME, Double.NaN,
                Activation.TANH, 1, 1, 0.0, Dtype.FLOAT64, null));
        assertThat(Math.max(-n.preMin[0], n.preMax[0])).isGreaterThan(root3);
    }

    @Test
    void correlatedInputRowsHaveTheAskedCorrelationAndUnitVariance() {
        // x_i = √(1−c)·e_i + √c·s: E[x²] = (1−c)·mean(e²) + c·S and the mean cosine of two rows ≈ c·S/(1 − c + c·S)
        // with S = |s|²/n ~ 1 ± √(2/n): the shared row's own fluctuation dominates both, at slopes c and c(1−c)
        int n = 1000;
        int batch = 300;
        for (double c : new double[] {0.2, 0.5, 0.9}) {
            Initializer ip = Normal.SCHEME.bind(java.util.Map.of(), 0.01);
            ChainParams p = new ChainParams(MASTER, 3, n, batch, InputDistribution.NORMAL, ip, Activation.TANH, Double.NaN, 1,
                    stats(Activation.TANH), n, 0.0, Dtype.FLOAT64, null, c);
            ChainResult r = new ForwardPass().run(p);
            double sdS = Math.sqrt(2.0 / n);
            assertThat(r.inputSqMean).as("E[x²] at c⁰ = %s", c)
                    .isCloseTo(1.0, within(K_SIGMA * (c * sdS + Math.sqrt(2.0 / (n * batch)))));
            // pairs of rows: their own parts e_i·e_j/n average out over batch²/2 pairs to ~1/(n·batch)
            assertThat(r.inputCorrMean).as("c⁰ = %s", c)
                    .isCloseTo(c, within(K_SIGMA * (c * (1 - c) * sdS + 1.0 / Math.sqrt(n * (double) batch))));
        }
        // c⁰ = 0 draws exactly the independent input
        Initializer ip = Normal.SCHEME.bind(java.util.Map.of(), 0.01);
        ChainParams plain = new ChainParams(MASTER, 3, 50, 40, InputDistribution.NORMAL, ip, Activation.TANH, Double.NaN, 2,
                stats(Activation.TANH), 50, 0.0, Dtype.FLOAT64, null);
        ChainParams zero = new ChainParams(MASTER, 3, 50, 40, InputDistribution.NORMAL, ip, Activation.TANH, Double.NaN, 2,
                stats(Activation.TANH), 50, 0.0, Dtype.FLOAT64, null, 0.0);
        assertThat(new ForwardPass().run(zero).preSqMean).isEqualTo(new ForwardPass().run(plain).preSqMean);
    }

    @Test
    void dataInputGivesTheSameRowsAsTheDrawnInputItCopies() {
        // feed the normal input's own values as a data file: every statistic must be identical
        ChainParams drawn = params(2, 64, 500, InputDistribution.NORMAL, KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 4, 32,
                0.1, Dtype.FLOAT64, null);
        double[] values = new double[500 * 32];
        new RandomStreams().fillGaussian(RandomStreams.inputKey(MASTER, 2, 500, 32, InputDistribution.NORMAL), values,
                values.length);
        ChainParams data = params(2, 64, 500, InputDistribution.DATA, KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 4, 32, 0.1,
                Dtype.FLOAT64, "sha");
        ChainResult a = new ForwardPass().run(drawn);
        ChainResult b = new ForwardPass().run(data, values);
        assertThat(Reference.firstDifference(a, b)).isNull();
        // a data file with more rows than the batch: only the first batch rows are read
        double[] longer = Arrays.copyOf(values, values.length + 32 * 10);
        Arrays.fill(longer, values.length, longer.length, 1e6);
        assertThat(Reference.firstDifference(a, new ForwardPass().run(data, longer))).isNull();
    }

    // ------------------------------------------------------------------------------ float32

    @Test
    void float32AgreesWithFloat64WithinSinglePrecision() {
        for (Activation act : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.RELU}) {
            InitScheme init = act == Activation.RELU ? KaimingNormal.SCHEME : XavierNormal.SCHEME;
            ChainResult d = new ForwardPass().run(square(4, init, Double.NaN, act, 5, 0.1, Dtype.FLOAT64));
            ChainResult f = new ForwardPass().run(square(4, init, Double.NaN, act, 5, 0.1, Dtype.FLOAT32));
            for (int l = 0; l < 5; l++) {
                // float32 rounding (2^-24 relative) in X, W, b and a 100-term product, compounded over ≤ 5 layers
                double tol = 1e-5;
                assertThat(f.preSqMean[l]).as("%s layer %d", act.id(), l + 1).isCloseTo(d.preSqMean[l], within(tol * d.preSqMean[l]));
                assertThat(f.actStd[l]).isCloseTo(d.actStd[l], within(tol * d.actStd[l]));
                assertThat(f.actMean[l]).isCloseTo(d.actMean[l], within(tol * (Math.abs(d.actMean[l]) + d.actStd[l])));
                // only entries within ~1e-6 of a bin edge or the saturation band can change sides
                long moved = 0;
                for (int k = 0; k < 30; k++) {
                    moved += Math.abs(f.histCounts(l)[k] - d.histCounts(l)[k]);
                }
                assertThat(moved).as("%s layer %d histogram", act.id(), l + 1).isLessThanOrEqualTo(20);
                assertThat(f.saturationRate[l]).isCloseTo(d.saturationRate[l], within(20.0 / 100_000));
                // every output is a float32 value
                assertThat((double) (float) f.actMin[l]).isEqualTo(f.actMin[l]);
                assertThat((double) (float) f.actMax[l]).isEqualTo(f.actMax[l]);
                assertThat((double) (float) f.preMax[l]).isEqualTo(f.preMax[l]);
            }
        }
    }

    @Test
    void float32OverflowsWhereFloat64DoesNotAndCountsIt() {
        // normal std 1e19, width 100: |A₁| ~ 1e20, |A₂| ~ 1e20 · 1e19 · 10 ≈ 1e40 > Float.MAX_VALUE ≈ 3.4e38
        ChainResult d = new ForwardPass().run(square(1, Normal.SCHEME, 1e19, Activation.RELU, 2, 0.0, Dtype.FLOAT64));
        ChainResult f = new ForwardPass().run(square(1, Normal.SCHEME, 1e19, Activation.RELU, 2, 0.0, Dtype.FLOAT32));
        assertThat(d.preNonfinite[1]).isZero();
        assertThat(d.nonfinite[1]).isZero();
        assertThat(f.preNonfinite[0]).isZero();
        assertThat(f.preNonfinite[1]).isGreaterThan(1000);
        assertThat(f.nonfinite[1]).isGreaterThan(1000);
        assertThat(f.preSqMean[1]).isNaN();
    }

    @Test
    void workingMemoryCountsTheInputWidthAndTheFloat32Buffers() {
        ChainParams f64 = params(0, 64, 500, InputDistribution.NORMAL, KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 3, 128, 0.0,
                Dtype.FLOAT64, null);
        ChainParams f32 = params(0, 64, 500, InputDistribution.NORMAL, KaimingNormal.SCHEME, Double.NaN, Activation.RELU, 3, 128, 0.0,
                Dtype.FLOAT32, null);
        // doubles: input and output buffers of batch × max(fan_in, width), pre-activation, weights, bias
        long doubles = 2L * 500 * 128 + 500 * 64 + 128 * 64 + 64;
        // float32 adds float copies of the input/output buffers, the pre-activation and the weights
        long floats = 2L * 500 * 128 + 500 * 64 + 128 * 64;
        // a bias-free relu chain of kaiming weights rescales a unit network: one more batch × width product
        assertThat(f64.scalesUnitNetwork()).isTrue();
        assertThat(ForwardPass.workingBytes(f64)).isEqualTo(8 * (doubles + 500 * 64));
        assertThat(ForwardPass.workingBytes(f32)).isEqualTo(8 * doubles + 4 * floats);
        ChainParams tanh = params(0, 64, 500, InputDistribution.NORMAL, KaimingNormal.SCHEME, Double.NaN, Activation.TANH, 3, 128,
                0.0, Dtype.FLOAT64, null);
        assertThat(ForwardPass.workingBytes(tanh)).isEqualTo(8 * doubles);
    }
}
