package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backward pass the job runs ({@link ForwardPass#backward}, from the forward pass's tape) is
 * {@link Backward}'s — itself checked against finite differences and mean-field χ₁ in
 * {@link BackwardTest} — on the network the forward pass simulated: same weights, biases, input and
 * error draws, rebuilt here from the random streams alone.
 */
class GradientPassTest {
    private static final long MASTER = 5;

    private static StatsConfig stats(Activation act, Gradients g) {
        return new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD, g);
    }

    private static ChainParams chain(InitScheme init, double std, double value, Activation act, int width, int inputWidth,
            int batch, int depth, double biasStd, Dtype dtype, Gradients g) {
        Initializer ip = init.bind(init == Constant.SCHEME ? Map.of("value", value) : Map.of(), std);
        return new ChainParams(MASTER, 3, width, batch, InputDistribution.NORMAL, ip, act, act.defaultParam(), depth,
                stats(act, g), inputWidth, biasStd, dtype, null);
    }

    /** The network of chain p's first {@code depth} layers, drawn again from its streams. */
    private static Backward.Network network(ChainParams p, int depth) {
        Weights draws = new Weights();
        RandomStreams streams = new RandomStreams();
        int[] widths = new int[depth + 1];
        widths[0] = p.inputWidth();
        double[][] w = new double[depth][];
        double[][] b = p.biasStd() == 0 ? null : new double[depth][];
        for (int l = 1; l <= depth; l++) {
            widths[l] = p.width();
            w[l - 1] = new double[p.fanIn(l) * p.width()];
            draws.fill(p.init(), p.masterSeed(), p.seed(), l, p.fanIn(l), p.width(), w[l - 1]);
            if (b != null) {
                b[l - 1] = new double[p.width()];
                streams.fillGaussian(RandomStreams.biasKey(p.masterSeed(), p.seed(), l, p.width()), b[l - 1], p.width());
                for (int j = 0; j < p.width(); j++) {
                    b[l - 1][j] *= p.biasStd();
                }
            }
        }
        return new Backward.Network(p.activation(), p.activationParam(), widths, w, b);
    }

    private static double[] input(ChainParams p) {
        double[] x = new double[p.batch() * p.inputWidth()];
        new RandomStreams().fillGaussian(RandomStreams.inputKey(p.masterSeed(), p.seed(), p.batch(), p.inputWidth(),
                p.input()), x, x.length);
        return x;
    }

    private static double[] errors(ChainParams p, int depth) {
        double[] e = new double[p.batch() * p.width()];
        new RandomStreams().fillGaussian(RandomStreams.errorKey(p.masterSeed(), p.seed(), depth, p.batch(), p.width()), e,
                e.length);
        return e;
    }

    private static void assertSameBits(GradientResult got, GradientResult want, boolean biased) {
        assertThat(got.gradSqMean).containsExactly(want.gradSqMean);
        assertThat(got.gradRatio).containsExactly(want.gradRatio);
        assertThat(got.weightGradNorm).containsExactly(want.weightGradNorm);
        assertThat(got.weightGradRatio).containsExactly(want.weightGradRatio);
        if (biased) {
            assertThat(got.biasGradNorm).containsExactly(want.biasGradNorm);
        } else {
            assertThat(java.util.Arrays.stream(got.biasGradNorm).allMatch(Double::isNaN)).isTrue();
        }
        assertThat(got.logHistCounts).containsExactly(want.logHistCounts);
        assertThat(got.gradNonfinite).containsExactly(want.gradNonfinite);
        assertThat(Double.doubleToLongBits(got.loss)).isEqualTo(Double.doubleToLongBits(want.loss));
        assertThat(Double.doubleToLongBits(got.gradFirstOverLast)).isEqualTo(Double.doubleToLongBits(want.gradFirstOverLast));
        assertThat(Double.doubleToLongBits(got.chi1Measured)).isEqualTo(Double.doubleToLongBits(want.chi1Measured));
    }

    @Test
    void everyDepthOfAChainGetsTheBackwardPassOfTheSimulatedNetworkUnderNormalErrors() {
        // tanh with a bias and a first layer of its own fan-in: the plain float64 route
        ChainParams p = chain(Normal.SCHEME, 0.3, Double.NaN, Activation.TANH, 12, 7, 20, 5, 0.2, Dtype.FLOAT64,
                Gradients.NORMAL);
        ForwardPass pass = new ForwardPass();
        pass.run(p);
        for (int depth : new int[] {1, 2, 5}) {
            GradientResult got = pass.backward(p, depth);
            GradientResult want = new Backward().runNormal(network(p, depth), input(p), p.batch(), errors(p, depth), null,
                    null);
            assertSameBits(got, want, true);
        }
    }

    @Test
    void mseBackpropagatesAReadoutAgainstTheTeachersTargets() {
        int outputs = 3;
        ChainParams p = chain(XavierNormal.SCHEME, Double.NaN, Double.NaN, Activation.SIGMOID, 10, 6, 16, 4, 0.1,
                Dtype.FLOAT64, new Gradients(Backward.ErrorMode.MSE, outputs));
        ForwardPass pass = new ForwardPass();
        pass.run(p);
        RandomStreams streams = new RandomStreams();
        double[] readout = new double[p.width() * outputs];
        streams.fillGaussian(RandomStreams.readoutKey(MASTER, p.seed(), 4, p.width(), outputs), readout, readout.length);
        for (int i = 0; i < readout.length; i++) {
            readout[i] /= Math.sqrt(p.width());
        }
        double[] teacher = new double[p.inputWidth() * outputs];
        streams.fillGaussian(RandomStreams.teacherKey(MASTER, p.inputWidth(), outputs), teacher, teacher.length);
        double[] x0 = input(p);
        double[] targets = new double[p.batch() * outputs];
        for (int s = 0; s < p.batch(); s++) {
            for (int o = 0; o < outputs; o++) {
                double t = 0;
                for (int i = 0; i < p.inputWidth(); i++) {
                    t += x0[s * p.inputWidth() + i] * teacher[i * outputs + o] / Math.sqrt(p.inputWidth());
                }
                targets[s * outputs + o] = t;
            }
        }
        GradientResult got = pass.backward(p, 4);
        GradientResult want = new Backward().runMse(network(p, 4), x0, p.batch(), readout, outputs, targets, null, null);
        // the targets are summed in another order here than by the GEMM: equal to rounding, not to the bit
        assertThat(got.loss).isCloseTo(want.loss, within(1e-12 * Math.abs(want.loss)));
        for (int l = 0; l < 4; l++) {
            assertThat(got.gradSqMean[l]).isCloseTo(want.gradSqMean[l], within(1e-9 * want.gradSqMean[l]));
            assertThat(got.weightGradNorm[l]).isCloseTo(want.weightGradNorm[l], within(1e-9 * want.weightGradNorm[l]));
        }
        assertThat(got.loss).isPositive();
    }

    @Test
    void theUnitNetworkRouteRecordsTheScaledWeights() {
        // relu, no bias, kaiming: A_l = fl(C_l·U_l) instead of X·W, so equal to rounding only
        ChainParams p = chain(KaimingNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 16, 16, 24, 6, 0,
                Dtype.FLOAT64, Gradients.NORMAL);
        assertThat(p.scalesUnitNetwork()).isTrue();
        assertThat(p.unitKey()).as("a chain with gradients runs alone").isNull();
        ForwardPass pass = new ForwardPass();
        pass.run(p);
        GradientResult got = pass.backward(p, 6);
        GradientResult want = new Backward().runNormal(network(p, 6), input(p), p.batch(), errors(p, 6), null, null);
        for (int l = 0; l < 6; l++) {
            assertThat(got.gradSqMean[l]).isCloseTo(want.gradSqMean[l], within(1e-12 * want.gradSqMean[l]));
            assertThat(got.weightGradNorm[l]).isCloseTo(want.weightGradNorm[l], within(1e-12 * want.weightGradNorm[l]));
            assertThat(got.weightGradRatio[l]).isCloseTo(want.weightGradRatio[l], within(1e-12 * want.weightGradRatio[l]));
        }
    }

    @Test
    void xavierHalvesEveryReluGradientRatioOfHeExactly() {
        // relu is positively homogeneous and both inits scale one base draw: φ' has the same pattern,
        // so δ_l/δ_(l+1) scales with σ_w² = 1 (Xavier, fan_in = fan_out) against 2 (He)
        ChainParams he = chain(KaimingNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 32, 32, 40, 8, 0,
                Dtype.FLOAT64, Gradients.NORMAL);
        ChainParams xavier = chain(XavierNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 32, 32, 40, 8, 0,
                Dtype.FLOAT64, Gradients.NORMAL);
        ForwardPass pass = new ForwardPass();
        pass.run(he);
        GradientResult h = pass.backward(he, 8);
        pass.run(xavier);
        GradientResult x = pass.backward(xavier, 8);
        for (int l = 0; l < 7; l++) {
            assertThat(x.gradRatio[l] / h.gradRatio[l]).isCloseTo(0.5, within(1e-12));
        }
        assertThat(x.chi1Measured / h.chi1Measured).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void float32ChainsBackpropagateTheirFloat32Network() {
        ChainParams p = chain(Normal.SCHEME, 0.25, Double.NaN, Activation.TANH, 12, 12, 20, 4, 0.1, Dtype.FLOAT32,
                Gradients.NORMAL);
        ForwardPass pass = new ForwardPass();
        pass.run(p);
        GradientResult got = pass.backward(p, 4);
        Backward.Network net = network(p, 4);
        for (double[] w : net.weights()) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) w[i];
            }
        }
        for (double[] b : net.biases()) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) b[i];
            }
        }
        double[] x0 = input(p);
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (float) x0[i];
        }
        GradientResult want = new Backward().runNormal(net, x0, p.batch(), errors(p, 4), null, null);
        // float32 products against float64 ones: about 1e-7 relative per layer
        for (int l = 0; l < 4; l++) {
            assertThat(got.gradSqMean[l]).isCloseTo(want.gradSqMean[l], within(1e-4 * want.gradSqMean[l]));
            assertThat(got.weightGradNorm[l]).isCloseTo(want.weightGradNorm[l], within(1e-4 * want.weightGradNorm[l]));
        }
    }

    @Test
    void theForwardRowsOfAChainWithGradientsAreTheBitsOfOneWithout() {
        for (ChainParams with : new ChainParams[] {
                chain(Normal.SCHEME, 0.3, Double.NaN, Activation.TANH, 12, 7, 20, 5, 0.2, Dtype.FLOAT64, Gradients.NORMAL),
                chain(KaimingNormal.SCHEME, Double.NaN, Double.NaN, Activation.RELU, 16, 16, 24, 6, 0, Dtype.FLOAT64,
                        Gradients.NORMAL),
                chain(Normal.SCHEME, 0.25, Double.NaN, Activation.TANH, 12, 12, 20, 4, 0.1, Dtype.FLOAT32, Gradients.NORMAL),
                chain(Lsuv.SCHEME, Double.NaN, Double.NaN, Activation.TANH, 12, 12, 20, 4, 0, Dtype.FLOAT64,
                        Gradients.NORMAL)}) {
            ChainParams without = new ChainParams(with.masterSeed(), with.seed(), with.width(), with.batch(), with.input(),
                    with.init(), with.activation(), with.activationParam(), with.maxDepth(), with.stats().withGradients(null),
                    with.inputWidth(), with.biasStd(), with.dtype(), null);
            ChainResult a = new ForwardPass().run(with);
            ChainResult b = new ForwardPass().run(without);
            assertThat(a.preSqMean).containsExactly(b.preSqMean);
            assertThat(a.actStd).containsExactly(b.actStd);
            assertThat(a.histCounts).containsExactly(b.histCounts);
            assertThat(a.weightRms).containsExactly(b.weightRms);
            assertThat(a.preCorrMean).containsExactly(b.preCorrMean);
        }
    }

    @Test
    void aConstantInitLeavesOneDistinctUnitAndANormalOneLeavesThemAll() {
        ForwardPass pass = new ForwardPass();
        ChainResult constant = pass.run(chain(Constant.SCHEME, Double.NaN, 0.05, Activation.SIGMOID, 20, 20, 30, 4, 0,
                Dtype.FLOAT64, Gradients.NORMAL));
        assertThat(constant.distinctUnits).containsOnly(1);
        ChainResult normal = pass.run(chain(Normal.SCHEME, 0.2, Double.NaN, Activation.SIGMOID, 20, 20, 30, 4, 0,
                Dtype.FLOAT64, Gradients.NORMAL));
        assertThat(normal.distinctUnits).containsOnly(20);
        // a bias breaks the symmetry of a constant init in every layer
        ChainResult biased = pass.run(chain(Constant.SCHEME, Double.NaN, 0.05, Activation.SIGMOID, 20, 20, 30, 4, 0.1,
                Dtype.FLOAT64, Gradients.NORMAL));
        assertThat(biased.distinctUnits).containsOnly(20);
    }

    @Test
    void distinctColumnsCountsColumnsEqualWithinTheTolerance() {
        int batch = 5;
        int width = 9;
        double[][] patterns = {{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5 * (1 + 3e-10)}, {1, 2, 3, 4, 5 * (1 + 3e-9)},
            {0.0, Double.NaN, -1, 2, 3}, {-0.0, Double.NaN, -1, 2, 3}, {1, 2, 3, 4, -5}};
        // 0 and 1 agree within 1e-9, 2 does not; 3 and 4 are equal (−0.0 = 0.0, NaN = NaN); 5 has 0's sum − 10
        int[] columnPattern = {0, 1, 2, 3, 4, 0, 1, 5, 2};
        double[] z = new double[batch * width];
        for (int j = 0; j < width; j++) {
            for (int s = 0; s < batch; s++) {
                z[s * width + j] = patterns[columnPattern[j]][s];
            }
        }
        double[] scratch = new double[2 * width];
        assertThat(Symmetry.distinctColumns(z, batch, width, scratch, Symmetry.tolerance(Dtype.FLOAT64))).isEqualTo(4);
        assertThat(Symmetry.distinctColumns(z, batch, width, scratch, Symmetry.tolerance(Dtype.FLOAT32))).isEqualTo(3);
        assertThat(Symmetry.distinctColumns(z, batch, width, scratch, 0.0)).isEqualTo(5);
        assertThat(Symmetry.distinctColumns(new double[batch * width], batch, width, scratch, 1e-9)).isEqualTo(1);
    }

    /**
     * Columns that differ only in their last bits, as X·W's edge columns do under OpenBLAS's AVX-512
     * kernels when W's columns are equal, count as one unit; columns of a random draw stay apart.
     */
    @Test
    void distinctColumnsIgnoresRoundingAndKeepsRandomColumnsApart() {
        int batch = 64;
        int width = 37;
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double[] base = r.doubles(batch, -3, 3).toArray();
        double[] z = new double[batch * width];
        double[] random = new double[batch * width];
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < width; j++) {
                z[s * width + j] = j % 8 == 7 ? Math.nextUp(base[s]) : j % 5 == 0 ? Math.nextDown(base[s]) : base[s];
                random[s * width + j] = r.nextGaussian();
            }
        }
        double[] scratch = new double[2 * width];
        assertThat(Symmetry.distinctColumns(z, batch, width, scratch, Symmetry.tolerance(Dtype.FLOAT64))).isEqualTo(1);
        assertThat(Symmetry.distinctColumns(z, batch, width, scratch, 0.0)).isEqualTo(3);
        assertThat(Symmetry.distinctColumns(random, batch, width, scratch, Symmetry.tolerance(Dtype.FLOAT64))).isEqualTo(width);
    }

    @Test
    void theJacobianFromTheTapeIsTheJacobianOfTheRedrawnNetwork() {
        // a biased tanh chain with its own first fan-in: the tape's A rows against rows recomputed one by one
        ChainParams p = chain(Normal.SCHEME, 0.3, Double.NaN, Activation.TANH, 12, 7, 20, 5, 0.2, Dtype.FLOAT64,
                new Gradients(Backward.ErrorMode.NORMAL, 1, 3));
        ForwardPass pass = new ForwardPass();
        pass.run(p);
        int[] layers = {2, 5};
        java.util.List<JacobianSpectrum.Spectrum> got = pass.jacobian(p, layers);
        java.util.List<JacobianSpectrum.Spectrum> want = new JacobianSpectrum().compute(network(p, 5), input(p), 3, layers);
        assertThat(got).hasSize(3 * 2);
        for (int i = 0; i < got.size(); i++) {
            JacobianSpectrum.Spectrum g = got.get(i);
            JacobianSpectrum.Spectrum w = want.get(i);
            assertThat(g.sample()).isEqualTo(w.sample());
            assertThat(g.layer()).isEqualTo(w.layer());
            assertThat(g.singularValues()).hasSize(7); // min(width 12, input width 7)
            for (int k = 0; k < 7; k++) {
                assertThat(g.singularValues()[k]).isCloseTo(w.singularValues()[k], within(1e-12 * w.singularValues()[0]));
            }
        }
        // more samples than rows: the batch
        ChainParams small = chain(Normal.SCHEME, 0.3, Double.NaN, Activation.TANH, 6, 6, 4, 2, 0, Dtype.FLOAT64,
                Gradients.NORMAL);
        pass.run(small);
        assertThat(pass.jacobian(small, new int[] {2})).hasSize(4);
    }

    @Test
    void aBackwardPassNeedsItsChainsTape() {
        ChainParams p = chain(Normal.SCHEME, 0.3, Double.NaN, Activation.TANH, 12, 12, 20, 3, 0, Dtype.FLOAT64,
                Gradients.NORMAL);
        ChainParams q = p.withSeed(9);
        ForwardPass pass = new ForwardPass();
        pass.run(p);
        pass.run(q);
        assertThatThrownBy(() -> pass.backward(p, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was not the last one run");
        assertThatThrownBy(() -> pass.backward(q, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depth must be in 1..3");
    }
}
