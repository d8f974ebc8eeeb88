package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Training} and {@link Optimizer} against numbers from elsewhere: central differences of
 * the loss, the least-squares optimum in closed form, exact symmetry, closed-form optimizer steps.
 * The numpy reference runs are {@link TrainingReferenceTest}.
 */
class TrainingTest {

    private static double[] gaussian(SplittableRandom r, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * r.nextGaussian();
        }
        return v;
    }

    private static Backward.Network network(SplittableRandom r, Activation act, int[] widths, boolean biased) {
        int depth = widths.length - 1;
        double[][] w = new double[depth][];
        double[][] b = biased ? new double[depth][] : null;
        for (int l = 0; l < depth; l++) {
            w[l] = gaussian(r, widths[l] * widths[l + 1], Math.sqrt(1.0 / widths[l]));
            if (biased) {
                b[l] = gaussian(r, widths[l + 1], 0.3);
            }
        }
        return new Backward.Network(act, act.defaultParam(), widths, w, b);
    }

    // ------------------------------------------------------------ gradient against central differences

    /**
     * ∂L/∂θ of {@link Training#lossAndGradient} against (L(θ + h) − L(θ − h)) / 2h of
     * {@link Training#loss} for every W_l, b_l, R and r0 entry of a tanh network, both kinds. h =
     * 1e-5: the truncation error h²·L'''/6 ≈ 1e-11 and the rounding error ε·|L|/h ≈ 1e-11 are both
     * far below the 1e-7 relative tolerance on each tensor's difference norm, while a wrong factor
     * or a missing term errs by 1e-2 or more.
     */
    @Test
    void trainingGradientMatchesCentralDifferencesForBothKinds() {
        for (Training.Kind kind : Training.Kind.values()) {
            SplittableRandom r = new SplittableRandom(kind.ordinal() + 11);
            int[] widths = {4, 5, 6, 3};
            int outputs = 3;
            int n = 9;
            Training.Dataset data = Training.teacherTask(kind, 4, outputs, n, 5, 77 + kind.ordinal());
            Backward.Network net = network(r, Activation.TANH, widths, true);
            double[] readout = gaussian(r, 3 * outputs, 1.0);
            Training tr = new Training(net, readout, data, Training.Config.of(Optimizer.Params.sgd(0.1), 0, n, 1));
            // a non-zero readout bias, so that its gradient is exercised away from the start
            double[] r0 = tr.readoutBias();
            for (int o = 0; o < outputs; o++) {
                r0[o] = 0.2 * (o - 1);
            }
            double loss = tr.lossAndGradient(data.trainX(), data.trainTargets(), data.trainLabels(), n);
            assertThat(loss).isCloseTo(tr.loss(data.trainX(), data.trainTargets(), data.trainLabels(), n),
                    org.assertj.core.data.Offset.offset(1e-14 * loss));
            for (int l = 1; l <= 3; l++) {
                check(kind + " W" + l, tr, data, net.weights()[l - 1], tr.weightGradient(l).clone());
                check(kind + " b" + l, tr, data, net.biases()[l - 1], tr.biasGradient(l).clone());
            }
            check(kind + " R", tr, data, readout, tr.readoutGradient().clone());
            check(kind + " r0", tr, data, r0, tr.readoutBiasGradient().clone());
        }
    }

    private static void check(String what, Training tr, Training.Dataset data, double[] theta, double[] grad) {
        final double h = 1e-5;
        int n = data.nTrain();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < grad.length; i++) {
            double keep = theta[i];
            theta[i] = keep + h;
            double up = tr.loss(data.trainX(), data.trainTargets(), data.trainLabels(), n);
            theta[i] = keep - h;
            double down = tr.loss(data.trainX(), data.trainTargets(), data.trainLabels(), n);
            theta[i] = keep;
            double fd = (up - down) / (2 * h);
            diff += (fd - grad[i]) * (fd - grad[i]);
            norm += grad[i] * grad[i];
        }
        assertThat(norm).as(what + " gradient is not zero").isGreaterThan(1e-12);
        assertThat(Math.sqrt(diff / norm)).as(what + " relative error against central differences")
                .isLessThan(1e-7);
    }

    // ------------------------------------------------------------ linear network against least squares

    /**
     * A linear network (3 → 4 → 4 → 2 outputs, biases and readout bias: an affine map of full rank)
     * trained full-batch by small-step SGD on noisy linear targets reaches the least-squares loss
     * L* = (1/(2n))‖Y − X̃β*‖², β* from the normal equations X̃ᵀX̃β = X̃ᵀY (X̃ = [X 1]) solved by
     * Gaussian elimination here. Three checks:
     * <ul>
     *   <li>the final train loss is never below L* (up to 1e-12 relative rounding): no affine map
     *       fits better;
     *   <li>Pythagoras: the residual of β* is orthogonal to the columns of X̃, so for the network's
     *       own affine map β_net (W1·W2·R; intercept (b1·W2 + b2)·R + r0) the loss is exactly
     *       L* + (1/(2n))‖X̃(β_net − β*)‖²; Training's loss must equal that to 1e-10 relative;
     *   <li>convergence: deep linear networks from a generic init converge to the global minimum
     *       (no spurious local minima), linearly once near it, so with enough steps the excess
     *       L − L* reaches the rounding floor of L (~1e-16·L*); the test allows 1e-8·L*, far above
     *       that floor and far below the excess of a run stalled at a saddle or driven by a wrong
     *       gradient (the step-0 excess is ~L*, and a factor-2 error in one gradient tensor leaves
     *       a fixed point off the optimum).
     * </ul>
     */
    @Test
    void linearNetworkConvergesToTheLeastSquaresLoss() {
        SplittableRandom r = new SplittableRandom(5);
        int d = 3;
        int outputs = 2;
        int n = 40;
        double[] m = gaussian(r, d * outputs, 1.0);
        double[] c = {0.5, -0.3};
        double[] x = gaussian(r, n * d, 1.0);
        double[] y = new double[n * outputs];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < outputs; o++) {
                double v = c[o] + 0.1 * r.nextGaussian();
                for (int i = 0; i < d; i++) {
                    v += x[s * d + i] * m[i * outputs + o];
                }
                y[s * outputs + o] = v;
            }
        }
        double[] testX = gaussian(r, 10 * d, 1.0);
        double[] testY = gaussian(r, 10 * outputs, 1.0);
        Training.Dataset data = Training.Dataset.regression(d, outputs, x, y, testX, testY);
        Activation linear = Activation.byId("linear");
        int[] widths = {d, 4, 4};
        Backward.Network net = network(r, linear, widths, true);
        double[] readout = Training.gaussianReadout(4, outputs, r);
        int steps = 6000;
        Training tr = new Training(net, readout, data,
                new Training.Config(Optimizer.Params.sgd(0.05), steps, n, 3, new int[] {0, 200, steps}));
        TrainingResult res = tr.run();

        // least squares with intercept, by the normal equations
        int p = d + 1;
        double[][] a = new double[p][p + outputs];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < p; i++) {
                double xi = i < d ? x[s * d + i] : 1.0;
                for (int j = 0; j < p; j++) {
                    a[i][j] += xi * (j < d ? x[s * d + j] : 1.0);
                }
                for (int o = 0; o < outputs; o++) {
                    a[i][p + o] += xi * y[s * outputs + o];
                }
            }
        }
        double[][] beta = solve(a, p, outputs);
        double lStar = affineLoss(x, y, n, d, outputs, beta);

        // the network's affine map
        double[][] betaNet = new double[p][outputs];
        double[] w1 = net.weights()[0];
        double[] w2 = net.weights()[1];
        double[] b1 = net.biases()[0];
        double[] b2 = net.biases()[1];
        double[] r0 = tr.readoutBias();
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i < d; i++) {
                double v = 0;
                for (int j = 0; j < 4; j++) {
                    for (int k = 0; k < 4; k++) {
                        v += w1[i * 4 + j] * w2[j * 4 + k] * readout[k * outputs + o];
                    }
                }
                betaNet[i][o] = v;
            }
            double v = r0[o];
            for (int k = 0; k < 4; k++) {
                double h = b2[k];
                for (int j = 0; j < 4; j++) {
                    h += b1[j] * w2[j * 4 + k];
                }
                v += h * readout[k * outputs + o];
            }
            betaNet[d][o] = v;
        }
        double excess = 0;
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < outputs; o++) {
                double v = 0;
                for (int i = 0; i < p; i++) {
                    v += (i < d ? x[s * d + i] : 1.0) * (betaNet[i][o] - beta[i][o]);
                }
                excess += v * v;
            }
        }
        excess /= 2.0 * n;
        double finalLoss = res.finalTrainLoss;
        assertThat(res.diverged).isFalse();
        assertThat(finalLoss).isGreaterThanOrEqualTo(lStar * (1 - 1e-12));
        assertThat(Math.abs(finalLoss - (lStar + excess)) / lStar).as("Pythagoras").isLessThan(1e-10);
        assertThat((finalLoss - lStar) / lStar).as("excess over least squares").isLessThan(1e-8);
        assertThat(res.trainLoss[0] - lStar).as("the run starts far from the optimum").isGreaterThan(1e-3 * lStar);
        System.out.printf("least squares: L* = %.12g, excess at steps %s: %.3g, %.3g, %.3g%n", lStar,
                Arrays.toString(res.step), res.trainLoss[0] - lStar, res.trainLoss[1] - lStar, finalLoss - lStar);
    }

    /** Gaussian elimination with partial pivoting of the p × p system with {@code rhs} right-hand sides in a[·][p..]. */
    private static double[][] solve(double[][] a, int p, int rhs) {
        for (int col = 0; col < p; col++) {
            int piv = col;
            for (int i = col + 1; i < p; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
                    piv = i;
                }
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            for (int i = col + 1; i < p; i++) {
                double f = a[i][col] / a[col][col];
                for (int j = col; j < p + rhs; j++) {
                    a[i][j] -= f * a[col][j];
                }
            }
        }
        double[][] x = new double[p][rhs];
        for (int o = 0; o < rhs; o++) {
            for (int i = p - 1; i >= 0; i--) {
                double v = a[i][p + o];
                for (int j = i + 1; j < p; j++) {
                    v -= a[i][j] * x[j][o];
                }
                x[i][o] = v / a[i][i];
            }
        }
        return x;
    }

    private static double affineLoss(double[] x, double[] y, int n, int d, int outputs, double[][] beta) {
        double ss = 0;
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < outputs; o++) {
                double v = beta[d][o] - y[s * outputs + o];
                for (int i = 0; i < d; i++) {
                    v += x[s * d + i] * beta[i][o];
                }
                ss += v * v;
            }
        }
        return ss / (2.0 * n);
    }

    // ------------------------------------------------------------ symmetry

    /**
     * Every weight and bias 0.1 and a readout whose rows are equal (R[j, o] = c_o): the units of a
     * layer receive equal inputs and send equal errors, so their columns stay equal bit for bit
     * under every update rule (each acts entry-wise on equal gradients), distinct_units 1 in every
     * layer at every step, while the loss still moves (the readout and the shared weights train).
     *
     * <p>The hidden widths are multiples of 4: OpenBLAS's Xᵀ·δ (dgemm "N","T") computes the
     * columns beyond the last multiple of 4 in an edge kernel that rounds differently, so at widths
     * 5, 6 or 7 two mathematically equal gradient columns can differ in the last bit and the count
     * reads 2 after a step or two (checked: a product with equal columns gives 2 or 3 distinct
     * columns at 5–7 columns, 1 at 8 and 12). That is the BLAS's rounding, not the trainer's.
     */
    @Test
    void constantInitKeepsOneDistinctUnitPerLayer() {
        for (Optimizer.Kind kind : Optimizer.Kind.values()) {
            for (Activation act : new Activation[] {Activation.TANH, Activation.RELU}) {
                int[] widths = {5, 8, 4, 12};
                double[][] w = new double[3][];
                double[][] b = new double[3][];
                for (int l = 0; l < 3; l++) {
                    w[l] = new double[widths[l] * widths[l + 1]];
                    b[l] = new double[widths[l + 1]];
                    Arrays.fill(w[l], 0.1);
                    Arrays.fill(b[l], 0.1);
                }
                Backward.Network net = new Backward.Network(act, act.defaultParam(), widths, w, b);
                int outputs = 3;
                double[] readout = new double[12 * outputs];
                for (int j = 0; j < 12; j++) {
                    readout[j * outputs] = 0.3;
                    readout[j * outputs + 1] = -0.2;
                    readout[j * outputs + 2] = 0.05;
                }
                Training.Dataset data = Training.teacherTask(Training.Kind.CLASSIFICATION, 5, outputs, 50, 20, 9);
                int steps = 30;
                double lr = kind == Optimizer.Kind.ADAM ? 0.01 : 0.1;
                TrainingResult res = Training.train(net, readout, data, new Training.Config(Optimizer.Params.of(kind, lr),
                        steps, 10, 4, IntStream.rangeClosed(0, steps).toArray()));
                String at = kind.id() + " " + act.id();
                assertThat(res.diverged).as(at).isFalse();
                assertThat(res.records()).as(at).isEqualTo(steps + 1);
                for (int t = 0; t <= steps; t++) {
                    assertThat(res.distinctUnits[t]).as(at + " step " + t).containsOnly(1);
                }
                assertThat(res.finalTrainLoss).as(at).isNotEqualTo(res.trainLoss[0]);
            }
        }
    }

    /** Random init: (almost surely) every unit distinct, so the symmetry count does see distinct units. */
    @Test
    void randomInitHasEveryUnitDistinct() {
        SplittableRandom r = new SplittableRandom(3);
        int[] widths = {5, 7, 6};
        Backward.Network net = network(r, Activation.TANH, widths, false);
        Training.Dataset data = Training.teacherTask(Training.Kind.REGRESSION, 5, 2, 30, 10, 1);
        TrainingResult res = Training.train(net, Training.gaussianReadout(6, 2, r), data,
                Training.Config.of(Optimizer.Params.sgd(0.05), 5, 10, 1));
        assertThat(res.distinctUnits[0]).containsExactly(7, 6);
    }

    // ------------------------------------------------------------ divergence

    @Test
    void hugeLearningRateDivergesAndStopsEarlyWithoutThrowing() {
        for (Optimizer.Kind kind : Optimizer.Kind.values()) {
            for (Training.Kind task : Training.Kind.values()) {
                SplittableRandom r = new SplittableRandom(8);
                int[] widths = {6, 16, 16};
                Backward.Network net = network(r, Activation.RELU, widths, true);
                Training.Dataset data = Training.teacherTask(task, 6, 3, 64, 32, 2);
                int steps = 200;
                Training.Config config = Training.Config.of(Optimizer.Params.of(kind, 1e4), steps, 16, 7);
                TrainingResult[] res = new TrainingResult[1];
                assertThatCode(() -> res[0] = Training.train(net, Training.gaussianReadout(16, 3, r), data, config))
                        .doesNotThrowAnyException();
                TrainingResult t = res[0];
                String at = kind.id() + " " + task.id();
                assertThat(t.diverged).as(at).isTrue();
                assertThat(t.divergedAt).as(at).isGreaterThan(0).isLessThan(steps);
                assertThat(t.lastStep()).as(at).isEqualTo(t.divergedAt);
                assertThat(t.trained).as(at).isFalse();
                boolean exploded = !Double.isFinite(t.finalTrainLoss) || t.nonfinite[t.records() - 1]
                        || t.finalTrainLoss > Training.DIVERGENCE_FACTOR * t.trainLoss[0];
                assertThat(exploded).as(at + ": the last record shows the divergence").isTrue();
                for (int i = 0; i < t.records() - 1; i++) {
                    assertThat(t.step[i]).as(at).isLessThan(t.divergedAt);
                }
            }
        }
    }

    @Test
    void nonFiniteInitDivergesAtStepZero() {
        SplittableRandom r = new SplittableRandom(1);
        Backward.Network net = network(r, Activation.TANH, new int[] {3, 4}, true);
        net.weights()[0][2] = Double.NaN;
        Training.Dataset data = Training.teacherTask(Training.Kind.CLASSIFICATION, 3, 2, 8, 4, 1);
        TrainingResult t = Training.train(net, Training.gaussianReadout(4, 2, r), data,
                Training.Config.of(Optimizer.Params.adam(0.01, 0.9, 0.999, 1e-8), 10, 4, 1));
        assertThat(t.diverged).isTrue();
        assertThat(t.divergedAt).isZero();
        assertThat(t.step).containsExactly(0);
        assertThat(t.nonfinite[0]).isTrue();
        assertThat(t.stepsToHalfLoss).isEqualTo(-1);
        assertThat(t.bestTestLoss).isNaN();
    }

    // ------------------------------------------------------------ summaries and helpers

    /**
     * A learnable teacher task trained with Adam: the baseline is the constant mean predictor's
     * test loss, computed here from its definition; stepsToHalfLoss is the first record at or under
     * half the initial train loss, bestTestLoss the records' minimum.
     */
    @Test
    void summariesFollowTheirDefinitions() {
        SplittableRandom r = new SplittableRandom(21);
        int[] widths = {4, 32, 32};
        Backward.Network net = network(r, Activation.TANH, widths, true);
        Training.Dataset data = Training.teacherTask(Training.Kind.REGRESSION, 4, 2, 256, 128, 3);
        int steps = 400;
        TrainingResult t = Training.train(net, Training.gaussianReadout(32, 2, r), data,
                Training.Config.of(Optimizer.Params.adam(0.01, 0.9, 0.999, 1e-8), steps, 32, 5));
        double[] mean = new double[2];
        for (int s = 0; s < 256; s++) {
            mean[0] += data.trainTargets()[2 * s] / 256;
            mean[1] += data.trainTargets()[2 * s + 1] / 256;
        }
        double base = 0;
        for (int s = 0; s < 128; s++) {
            for (int o = 0; o < 2; o++) {
                double v = mean[o] - data.testTargets()[2 * s + o];
                base += v * v;
            }
        }
        base /= 2.0 * 128;
        assertThat(t.baselineTestLoss).isCloseTo(base, org.assertj.core.data.Offset.offset(1e-12 * base));
        assertThat(t.step).containsExactly(Training.defaultRecord(steps));
        int half = -1;
        for (int i = 0; i < t.records() && half < 0; i++) {
            if (t.trainLoss[i] <= 0.5 * t.trainLoss[0]) {
                half = t.step[i];
            }
        }
        assertThat(t.stepsToHalfLoss).isEqualTo(half).isGreaterThan(0);
        assertThat(t.bestTestLoss).isEqualTo(Arrays.stream(t.testLoss).min().orElseThrow());
        assertThat(t.trained).isEqualTo(t.finalTestLoss <= 0.5 * base).isTrue();
        assertThat(t.updateRatio[0]).containsOnly(Double.NaN);
        for (double v : t.updateRatio[1]) {
            assertThat(v).isPositive().isFinite();
        }
    }

    /** Classification baseline: −mean log of the training class frequencies of the test labels. */
    @Test
    void classificationBaselineIsTheCrossEntropyOfTheClassFrequencies() {
        double[] x = new double[6];
        Training.Dataset data = Training.Dataset.classification(1, 3, x, new int[] {0, 0, 1, 2, 2, 2}, new double[3],
                new int[] {0, 1, 2});
        Backward.Network net = new Backward.Network(Activation.TANH, Double.NaN, new int[] {1, 2},
                new double[][] {{0.5, -0.5}}, null);
        TrainingResult t = Training.train(net, new double[6], data, Training.Config.of(Optimizer.Params.sgd(0.1), 0, 2, 1));
        double expected = -(Math.log(2.0 / 6) + Math.log(1.0 / 6) + Math.log(3.0 / 6)) / 3;
        assertThat(t.baselineTestLoss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        // zero readout: uniform softmax, loss ln 3 on every sample
        assertThat(t.trainLoss[0]).isCloseTo(Math.log(3), org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void defaultRecordIsLogSpacedFromZeroToSteps() {
        assertThat(Training.defaultRecord(0)).containsExactly(0);
        assertThat(Training.defaultRecord(1)).containsExactly(0, 1);
        assertThat(Training.defaultRecord(5)).containsExactly(0, 1, 2, 3, 4, 5);
        int[] rec = Training.defaultRecord(10000);
        assertThat(rec).hasSize(21);
        assertThat(rec[0]).isZero();
        assertThat(rec[1]).isEqualTo(1);
        assertThat(rec[20]).isEqualTo(10000);
        for (int k = 1; k < 20; k++) {
            assertThat(rec[k]).isEqualTo((int) Math.round(Math.pow(10000, (k - 1) / 19.0)));
        }
    }

    /**
     * The teacher by plain loops from the documented draw order: W1, W2, V, training inputs, test
     * inputs, y = tanh(tanh(x·W1)·W2)·V, labels the first argmax.
     */
    @Test
    void teacherTaskFollowsItsDocumentedDraws() {
        int d = 3;
        int k = 4;
        Training.Dataset reg = Training.teacherTask(Training.Kind.REGRESSION, d, k, 7, 5, 42);
        Training.Dataset cls = Training.teacherTask(Training.Kind.CLASSIFICATION, d, k, 7, 5, 42);
        SplittableRandom r = new SplittableRandom(42);
        double sd = Math.sqrt(1.0 / d);
        double[] w1 = gaussian(r, d * d, sd);
        double[] w2 = gaussian(r, d * d, sd);
        double[] v = gaussian(r, d * k, sd);
        double[] x = gaussian(r, 7 * d, 1.0);
        double[] testX = gaussian(r, 5 * d, 1.0);
        assertThat(reg.trainX()).containsExactly(x);
        assertThat(reg.testX()).containsExactly(testX);
        for (int s = 0; s < 7; s++) {
            double[] h1 = new double[d];
            double[] h2 = new double[d];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    h1[j] += x[s * d + i] * w1[i * d + j];
                }
                h1[j] = StrictMath.tanh(h1[j]);
            }
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    h2[j] += h1[i] * w2[i * d + j];
                }
                h2[j] = StrictMath.tanh(h2[j]);
            }
            for (int o = 0; o < k; o++) {
                double y = 0;
                for (int j = 0; j < d; j++) {
                    y += h2[j] * v[j * k + o];
                }
                assertThat(reg.trainTargets()[s * k + o]).isCloseTo(y, org.assertj.core.data.Offset.offset(1e-13));
            }
            assertThat(cls.trainLabels()[s]).isEqualTo(argmax(reg.trainTargets(), s * k, k));
        }
    }

    private static int argmax(double[] y, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (y[off + j] > y[off + best]) {
                best = j;
            }
        }
        return best;
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherOrder() {
        double[] first = null;
        for (long seed : new long[] {17, 17, 18}) {
            SplittableRandom r = new SplittableRandom(2);
            Backward.Network net = network(r, Activation.RELU, new int[] {4, 6, 5}, true);
            Training.Dataset data = Training.teacherTask(Training.Kind.CLASSIFICATION, 4, 3, 40, 10, 6);
            TrainingResult t = Training.train(net, Training.gaussianReadout(5, 3, r), data,
                    Training.Config.of(Optimizer.Params.momentum(0.05, 0.9), 25, 8, seed));
            if (first == null) {
                first = t.trainLoss;
            } else if (seed == 17) {
                assertThat(t.trainLoss).containsExactly(first);
            } else {
                assertThat(t.trainLoss[0]).isEqualTo(first[0]);
                assertThat(t.trainLoss).isNotEqualTo(first);
            }
        }
    }

    /** trainStep() makes run()'s steps: five of them leave the weights run(5) leaves, bit for bit. */
    @Test
    void trainStepsMatchRun() {
        double[] losses = new double[2];
        for (int variant = 0; variant < 2; variant++) {
            SplittableRandom r = new SplittableRandom(4);
            Backward.Network net = network(r, Activation.TANH, new int[] {3, 5, 4}, true);
            Training.Dataset data = Training.teacherTask(Training.Kind.REGRESSION, 3, 2, 20, 5, 8);
            Training tr = new Training(net, Training.gaussianReadout(4, 2, r), data,
                    Training.Config.of(Optimizer.Params.adam(0.01, 0.9, 0.999, 1e-8), 5, 6, 12));
            if (variant == 0) {
                losses[0] = tr.run().finalTrainLoss;
            } else {
                for (int t = 0; t < 5; t++) {
                    tr.trainStep();
                }
                losses[1] = tr.loss(data.trainX(), data.trainTargets(), null, 20);
                assertThatThrownBy(tr::run).isInstanceOf(IllegalStateException.class);
            }
        }
        assertThat(losses[1]).isEqualTo(losses[0]);
    }

    /**
     * A step allocates nothing, in float64 or float32: the thread's allocated bytes (HotSpot's per-thread counter) over
     * 200 steps, once compiled, stay below 1 KB (what the counter's own reads may allocate); one boxed
     * argument or array per step would already be 3.2 KB or more.
     */
    @Test
    void stepsAllocateNothing() {
        for (boolean float32 : new boolean[] {false, true}) {
            for (Optimizer.Kind kind : Optimizer.Kind.values()) {
                for (Training.Kind task : Training.Kind.values()) {
                    SplittableRandom r = new SplittableRandom(6);
                    Backward.Network net = network(r, Activation.TANH, new int[] {4, 8, 8}, true);
                    Training.Dataset data = Training.teacherTask(task, 4, 3, 40, 5, 2);
                    double[] readout = Training.gaussianReadout(8, 3, r);
                    Training.Config config = Training.Config.of(Optimizer.Params.of(kind, 1e-3), 1, 8, 1);
                    Runnable step = float32 ? new Training32(net, readout, data, config)::trainStep
                            : new Training(net, readout, data, config)::trainStep;
                    assertStepsAllocateNothing((float32 ? "float32 " : "float64 ") + kind.id() + " " + task.id(), step);
                }
            }
        }
    }

    /**
     * relu's float32 kernels (φ and φ' in float32, nothing widened) give the float64 route's bits
     * rounded once: the same float32 run either way, bit for bit — every recorded loss, accuracy,
     * norm and distinct-unit count and the trained weights — for every optimizer and both kinds,
     * at widths whose minibatch products end in a partial tile.
     */
    @Test
    void reluFloat32KernelsGiveTheFloat64RoutesBits() {
        for (Optimizer.Kind kind : Optimizer.Kind.values()) {
            for (Training.Kind task : Training.Kind.values()) {
                TrainingResult[] results = new TrainingResult[2];
                float[][][] weights = new float[2][][];
                for (int route = 0; route < 2; route++) {
                    SplittableRandom r = new SplittableRandom(33);
                    Backward.Network net = network(r, Activation.RELU, new int[] {8, 37, 37, 37}, true);
                    double[] readout = Training.gaussianReadout(37, 3, r);
                    Training.Dataset data = Training.teacherTask(task, 8, 3, 256, 64, 4);
                    Training.Config config = new Training.Config(Optimizer.Params.of(kind,
                            kind == Optimizer.Kind.ADAM ? 1e-3 : 0.05), 40, 24, 9, new int[] {0, 1, 5, 20, 40});
                    Training32 t = new Training32(net, readout, data, config, route == 0);
                    results[route] = t.run();
                    weights[route] = new float[][] {t.weights(1).clone(), t.weights(2).clone(), t.weights(3).clone(), t.readout().clone()};
                }
                String what = kind.id() + " " + task.id();
                assertThat(results[0].trainLoss[results[0].trainLoss.length - 1]).as(what).isNotEqualTo(results[0].trainLoss[0]);
                assertThat(results[0]).as(what).usingRecursiveComparison()
                        .withComparatorForType(Double::compare, Double.class).isEqualTo(results[1]);
                for (int k = 0; k < weights[0].length; k++) {
                    assertThat(weights[0][k]).as(what + " weights " + k).containsExactly(weights[1][k]);
                }
            }
        }
    }

    /**
     * Every activation that says its φ and φ' are exact in float32 (relu) against the float64 route
     * rounded once, value by value, at the values where bits could part: ±0, the smallest
     * subnormals, ±∞ and NaN, on tiles and on a tail; the others refuse the float32 kernels.
     */
    @Test
    void float32ExactKernelsMatchTheFloat64RouteAtSpecialValues() {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -1.5f, 2.25f,
                Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        int n = special.length * special.length;
        float[] a = new float[n];
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = special[i / special.length];
            p[i] = special[i % special.length];
        }
        List<String> exact = new ArrayList<>();
        for (Activation act : Activation.values()) {
            double param = act.defaultParam();
            if (!act.exactInFloat32(param)) {
                assertThatThrownBy(() -> act.applyFloat32(param, a, new float[n], n)).as(act.id())
                        .isInstanceOf(UnsupportedOperationException.class);
                continue;
            }
            exact.add(act.id());
            for (int len : new int[] {n, n - 3}) {
                float[] x = new float[len];
                act.applyFloat32(param, a, x, len);
                double[] wa = new double[len];
                double[] wz = new double[len];
                Kernels.widen(a, wa, len);
                Kernels.apply(act, param, wa, wz, len);
                float[] d = new float[len];
                act.multiplyDerivativeFloat32(param, x, p, d, len);
                double[] wd = new double[len];
                Kernels.widen(p, wd, len);
                act.multiplyDerivative(param, wa, wz, wd, len);
                for (int i = 0; i < len; i++) {
                    assertThat(Float.floatToRawIntBits(x[i])).as("%s(%s)", act.id(), a[i]).isEqualTo(Float.floatToRawIntBits((float) wz[i]));
                    assertThat(Float.floatToRawIntBits(d[i])).as("%s · %s'(%s)", p[i], act.id(), a[i])
                            .isEqualTo(Float.floatToRawIntBits((float) wd[i]));
                }
            }
        }
        assertThat(exact).containsExactly("relu");
    }

    /**
     * The same network trained in float32 and in float64 (from its float32 values, so that both
     * start at the same point) stays close early on: over the first 50 steps the float32 losses
     * differ from the float64 ones by float32 rounding carried through the steps (largest seen
     * 2.9·10⁻⁷ relative, printed), under {@value #FLOAT32_EARLY}, for both activations, every
     * optimizer and both kinds; and they differ at step 0, so the float32 run did not compute in
     * float64.
     */
    @Test
    void float32TrainingStaysCloseToFloat64EarlyOn() {
        double worst = 0;
        for (Activation act : new Activation[] {Activation.TANH, Activation.RELU}) {
            for (Optimizer.Kind kind : Optimizer.Kind.values()) {
                for (Training.Kind task : Training.Kind.values()) {
                    double[] losses64 = null;
                    TrainingResult[] results = new TrainingResult[2];
                    for (int precision = 0; precision < 2; precision++) {
                        SplittableRandom r = new SplittableRandom(21);
                        Backward.Network net = roundedToFloat(network(r, act, new int[] {8, 32, 32, 32}, true));
                        double[] readout = Training.gaussianReadout(32, 3, r);
                        for (int i = 0; i < readout.length; i++) {
                            readout[i] = (float) readout[i];
                        }
                        Training.Dataset data = roundedToFloat(Training.teacherTask(task, 8, 3, 256, 64, 4));
                        Training.Config config = new Training.Config(Optimizer.Params.of(kind,
                                kind == Optimizer.Kind.ADAM ? 1e-3 : 0.05), 50, 16, 9, new int[] {0, 1, 5, 20, 50});
                        results[precision] = precision == 0 ? Training.train(net, readout, data, config)
                                : Training32.train(net, readout, data, config);
                    }
                    String what = act.id() + " " + kind.id() + " " + task.id();
                    TrainingResult a = results[0];
                    TrainingResult b = results[1];
                    assertThat(b.step).as(what).containsExactly(a.step);
                    assertThat(b.trainLoss[0]).as(what).isNotEqualTo(a.trainLoss[0]);
                    for (int k = 0; k < a.step.length; k++) {
                        assertThat(Math.abs(b.trainLoss[k] - a.trainLoss[k]) / a.trainLoss[k]).as(what + " step " + a.step[k])
                                .isLessThan(FLOAT32_EARLY);
                        assertThat(Math.abs(b.testLoss[k] - a.testLoss[k]) / a.testLoss[k]).as(what + " step " + a.step[k])
                                .isLessThan(FLOAT32_EARLY);
                        worst = Math.max(worst, Math.abs(b.trainLoss[k] - a.trainLoss[k]) / a.trainLoss[k]);
                        worst = Math.max(worst, Math.abs(b.testLoss[k] - a.testLoss[k]) / a.testLoss[k]);
                    }
                }
            }
        }
        System.out.printf("float32 against float64 training, 50 steps: largest relative loss difference %.3g%n", worst);
    }

    private static final double FLOAT32_EARLY = 1e-5;

    private static Backward.Network roundedToFloat(Backward.Network net) {
        for (double[] w : net.weights()) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) w[i];
            }
        }
        for (double[] b : net.biases() == null ? new double[0][] : net.biases()) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) b[i];
            }
        }
        return net;
    }

    private static Training.Dataset roundedToFloat(Training.Dataset d) {
        for (double[] v : new double[][] {d.trainX(), d.testX(), d.trainTargets(), d.testTargets()}) {
            for (int i = 0; v != null && i < v.length; i++) {
                v[i] = (float) v[i];
            }
        }
        return d;
    }

    /** float32 SGD and momentum in float32 arithmetic: w − lr·g and v·β + g rounded to float32. */
    @Test
    void float32OptimizerStepsRoundToFloat() {
        Optimizer sgd = Optimizer.float32(Optimizer.Params.sgd(0.1), 2);
        float[] w = {1f, 1e-3f};
        sgd.beginStep();
        double ss = sgd.update(0, w, new float[] {1f / 3, 1f});
        assertThat(w).containsExactly(1f - 0.1f * (1f / 3), 1e-3f - 0.1f);
        assertThat(ss).isEqualTo(Math.pow((double) w[0] - 1f, 2) + Math.pow((double) w[1] - 1e-3f, 2));
        Optimizer mom = Optimizer.float32(Optimizer.Params.momentum(0.1, 0.9), 1);
        float[] u = {1f};
        for (int t = 0; t < 2; t++) {
            mom.beginStep();
            mom.update(0, u, new float[] {0.5f});
        }
        float v2 = 0.5f * 0.9f + 0.5f;
        assertThat(u[0]).isEqualTo((1f - 0.1f * 0.5f) - 0.1f * v2);
        // Adam's first step: m̂ = g, v̂ = g², so each weight moves by lr·g/(|g| + ε) ≈ lr
        Optimizer adam = Optimizer.float32(Optimizer.Params.adam(0.01, 0.9, 0.999, 1e-8), 2);
        float[] x = {2f, -3f};
        adam.beginStep();
        adam.update(0, x, new float[] {0.25f, -4f});
        assertThat((double) x[0]).isCloseTo(1.99, org.assertj.core.data.Offset.offset(2e-6));
        assertThat((double) x[1]).isCloseTo(-2.99, org.assertj.core.data.Offset.offset(2e-6));
    }

    /**
     * Runs {@code step} until warm, then asserts that the median of five windows of 200 steps
     * allocates less than 1 KB. Warm: the φ kernels' Vector API route boxes its vectors until C2
     * compiles it (about 100 KB a step for these small networks under the interpreter and C1, for
     * thousands of steps), so the warm-up runs windows of 500 steps until one allocates under 1 KB
     * (at most 60 of them). Then five windows of 200 steps; a step that allocates (≥ 16 bytes: 3200
     * a window) shows in every window, while the JVM's own allocations on this thread around a C2
     * compilation (seen once here: 5480 bytes; InitCatalogueTest shows the same for a weight fill)
     * land in one: the median window is the steps' own allocation.
     */
    static void assertStepsAllocateNothing(String what, Runnable step) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        long id = Thread.currentThread().getId();
        // Until C2 has compiled the step, its vector code boxes vectors (allocates); under load the
        // compiler threads can take far longer than any fixed number of steps (30 000 were seen not
        // to be enough). So windows of 200 steps are measured until the median of the last five
        // allocates nothing, or until a limit of JVM starts measured in this run: a step that
        // allocates once compiled allocates in every window and fails, however long it runs.
        long deadline = System.nanoTime() + io.initsweep.TimeLimits.jvmStarts(300).toNanos();
        long[] windows = new long[5];
        long median;
        int measured = 0;
        do {
            long before = mx.getThreadAllocatedBytes(id);
            for (int t = 0; t < 200; t++) {
                step.run();
            }
            windows[measured++ % windows.length] = mx.getThreadAllocatedBytes(id) - before;
            long[] sorted = windows.clone();
            java.util.Arrays.sort(sorted);
            median = measured < windows.length ? Long.MAX_VALUE : sorted[2];
        } while (median >= 1024 && System.nanoTime() < deadline);
        assertThat(median).as(what + " bytes allocated by 200 steps, median of the last five windows "
                + java.util.Arrays.toString(windows) + " after " + measured + " windows").isLessThan(1024);
    }

    // ------------------------------------------------------------ optimizer closed forms

    /** Momentum with a constant gradient g: v1 = g, v2 = (1 + β)g, so w2 = w0 − lr·(2 + β)·g. */
    @Test
    void momentumAccumulatesAsPyTorchsBuffer() {
        Optimizer opt = new Optimizer(Optimizer.Params.momentum(0.1, 0.9), 2);
        double[] w = {1.0, -2.0};
        double[] g = {0.5, 0.25};
        for (int t = 0; t < 2; t++) {
            opt.beginStep();
            opt.update(0, w, g);
        }
        assertThat(w[0]).isCloseTo(1.0 - 0.1 * 2.9 * 0.5, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(w[1]).isCloseTo(-2.0 - 0.1 * 2.9 * 0.25, org.assertj.core.data.Offset.offset(1e-15));
    }

    /**
     * Adam with a constant gradient g: m̂_t = g and v̂_t = g² at every t (the bias corrections undo
     * the zero start exactly), so every step moves w by −lr·g/(|g| + ε); and with g = 0 nothing moves.
     */
    @Test
    void adamBiasCorrectionMakesConstantGradientStepsLrSized() {
        Optimizer opt = new Optimizer(Optimizer.Params.adam(0.01, 0.9, 0.999, 1e-8), 3);
        double[] w = {0.0, 0.0, 0.0};
        double[] g = {3.0, -1e-3, 0.0};
        double ss = 0;
        for (int t = 0; t < 5; t++) {
            opt.beginStep();
            ss = opt.update(0, w, g);
        }
        assertThat(w[0]).isCloseTo(-5 * 0.01 * 3.0 / (3.0 + 1e-8), org.assertj.core.data.Offset.offset(1e-14));
        assertThat(w[1]).isCloseTo(5 * 0.01 * 1e-3 / (1e-3 + 1e-8), org.assertj.core.data.Offset.offset(1e-14));
        assertThat(w[2]).isZero();
        assertThat(opt.step()).isEqualTo(5);
        double d0 = 0.01 * 3.0 / (3.0 + 1e-8);
        double d1 = 0.01 * 1e-3 / (1e-3 + 1e-8);
        assertThat(ss).isCloseTo(d0 * d0 + d1 * d1, org.assertj.core.data.Offset.offset(1e-18));
    }

    /**
     * Adam's β^t = e^(t·ln β) against StrictMath.pow (fdlibm, within 1 ulp): the rounding of ln β
     * and of t·ln β moves the exponent by about |t·ln β|·ε, so the two may differ by
     * (|t·ln β| + 4) ulps, no more.
     */
    @Test
    void adamPowersMatchStrictMath() {
        for (double beta : new double[] {0.9, 0.999, 0.5, 0.0, 0.99999}) {
            for (long t : new long[] {0, 1, 2, 3, 10, 1000, 12345, 10_000_000}) {
                double expected = StrictMath.pow(beta, t);
                if (beta == 0 || t == 0) {
                    assertThat(Optimizer.power(beta, t)).as("%s^%s", beta, t).isEqualTo(expected);
                    continue;
                }
                assertThat(Optimizer.power(beta, t)).as("%s^%s", beta, t)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(
                                (Math.abs(t * Math.log(beta)) + 4) * Math.ulp(expected)));
            }
        }
    }

    @Test
    void sgdStepIsLrTimesGradient() {
        Optimizer opt = new Optimizer(Optimizer.Params.sgd(0.5), 2);
        double[] w = {1.0, 2.0};
        opt.beginStep();
        double ss = opt.update(0, w, new double[] {1.0, -2.0});
        assertThat(w).containsExactly(0.5, 3.0);
        assertThat(ss).isEqualTo(0.25 + 1.0);
    }

    // ------------------------------------------------------------ validation

    @Test
    void badHyperParametersAreRefusedWithOneLineMessages() {
        assertRefused(() -> Optimizer.Params.sgd(-0.1), "optimizer.lr must be a finite number >= 0, found -0.1");
        assertRefused(() -> Optimizer.Params.sgd(Double.NaN), "optimizer.lr must be a finite number >= 0, found NaN");
        assertRefused(() -> Optimizer.Params.momentum(0.1, 1.0), "optimizer.momentum must be in [0, 1), found 1.0");
        assertRefused(() -> Optimizer.Params.adam(0.1, -0.5, 0.999, 1e-8), "optimizer.beta1 must be in [0, 1), found -0.5");
        assertRefused(() -> Optimizer.Params.adam(0.1, 0.9, 1.5, 1e-8), "optimizer.beta2 must be in [0, 1), found 1.5");
        assertRefused(() -> Optimizer.Params.adam(0.1, 0.9, 0.999, 0.0), "optimizer.eps must be a finite number > 0, found 0.0");
        Optimizer.Params ok = Optimizer.Params.sgd(0.1);
        assertRefused(() -> new Training.Config(ok, -1, 4, 1, new int[] {0}), "steps must be >= 0, found -1");
        assertRefused(() -> new Training.Config(ok, 10, 0, 1, new int[] {0, 10}), "batch must be >= 1, found 0");
        assertRefused(() -> new Training.Config(ok, 10, 4, 1, new int[] {1, 10}),
                "record must start at 0 and end at steps = 10, found [1, 10]");
        assertRefused(() -> new Training.Config(ok, 10, 4, 1, new int[] {0, 5, 5, 10}),
                "record must be strictly increasing, found 5 after 5");
        Training.Dataset data = Training.teacherTask(Training.Kind.REGRESSION, 3, 2, 8, 4, 1);
        Backward.Network net = network(new SplittableRandom(1), Activation.TANH, new int[] {3, 4}, false);
        assertRefused(() -> new Training(net, new double[8], data, Training.Config.of(ok, 5, 9, 1)),
                "batch must be in [1, n = 8], found 9");
        assertRefused(() -> new Training(net, new double[7], data, Training.Config.of(ok, 5, 4, 1)),
                "readout must hold width_L × outputs = 8 values, found 7");
        assertRefused(() -> Training.Dataset.classification(1, 3, new double[2], new int[] {0, 3}, new double[1],
                new int[] {0}), "train labels[1] must be in [0, 3), found 3");
        assertThat(Optimizer.Kind.byId("adam")).isEqualTo(Optimizer.Kind.ADAM);
        assertThat(Optimizer.Kind.byId("rmsprop")).isNull();
        assertThat(SpecName.ids(Optimizer.Kind.values())).isEqualTo("sgd, momentum, adam");
        assertThat(Training.Kind.byId("classification")).isEqualTo(Training.Kind.CLASSIFICATION);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(message).doesNotContain("\n");
    }
}
