package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.theory.MeanField;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Schoenholz et al.'s trainable depth at the kernel level: deep tanh networks with σ_b² = 0.05 and
 * weights N(0, σ_w²/fan_in), trained by {@link Training} on the teacher task, learn when the depth
 * is within a few correlation depth scales ξ_c of mean-field theory ({@link MeanField}) and do not
 * when it is many of them. Far in the ordered phase (σ_w² = 1) a network 50 layers deep learns
 * measurably slower than one at the edge of chaos (χ₁ = 1); in the chaotic phase (σ_w² = 4) one
 * far deeper than 6·ξ_c learns nothing.
 *
 * <p>Every verdict is on r = final test loss / the trivial predictor's ({@link TrainingResult}'s
 * baselineTestLoss): 1 is nothing learned, ≤ {@value Training#TRAINED_FRACTION} is "trained". The
 * margins come from the size of the test set, not from runs of this code: a network that learned
 * nothing has a test loss whose estimate over {@link #TEST} rows fluctuates around the baseline by
 * a relative standard error of about √(2/TEST) (a mean of TEST squared, roughly Gaussian errors:
 * Var(e²) = 2σ⁴), {@link #NOISE} ≈ 0.088. Three of those (0.27) separate "learned" from "did not".
 */
class TrainableDepthTest {
    static final Activation TANH = Activation.TANH;
    static final double SIGMA_B2 = 0.05;
    static final int INPUTS = 16;
    static final int WIDTH = 32;
    static final int SAMPLES = 256;
    static final int TEST = 256;
    static final int STEPS = 500;
    static final int BATCH = 16;
    static final double LR = 0.05;
    static final int SEEDS = 4;
    /** The relative standard error of a test loss over {@link #TEST} rows: √(2/TEST). */
    static final double NOISE = Math.sqrt(2.0 / TEST);
    /** A difference in r bigger than this is not the test set's noise. */
    static final double MARGIN = 3 * NOISE;

    /** r = final test loss / baseline per seed, and whether each trained. */
    record Outcome(double[] ratio, boolean[] trained) {
        double mean() {
            return Arrays.stream(ratio).average().orElseThrow();
        }

        long trainedCount() {
            return java.util.stream.IntStream.range(0, trained.length).filter(i -> trained[i]).count();
        }
    }

    /** SEEDS training runs of a tanh network of {@code depth} layers, W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²). */
    static Outcome train(double sigmaW2, int depth) {
        double[] ratio = new double[SEEDS];
        boolean[] trained = new boolean[SEEDS];
        for (int s = 0; s < SEEDS; s++) {
            SplittableRandom rng = new SplittableRandom(1000 + s);
            int[] widths = new int[depth + 1];
            Arrays.fill(widths, WIDTH);
            widths[0] = INPUTS;
            double[][] w = new double[depth][];
            double[][] b = new double[depth][];
            for (int l = 0; l < depth; l++) {
                w[l] = gaussian(rng, widths[l] * widths[l + 1], Math.sqrt(sigmaW2 / widths[l]));
                b[l] = gaussian(rng, WIDTH, Math.sqrt(SIGMA_B2));
            }
            Backward.Network net = new Backward.Network(TANH, Double.NaN, widths, w, b);
            double[] readout = Training.gaussianReadout(WIDTH, 1, rng);
            // the data depend on the seed only: every σ_w² and depth of a seed learns the same task
            Training.Dataset data = Training.teacherTask(Training.Kind.REGRESSION, INPUTS, 1, SAMPLES, TEST, 77 + s);
            TrainingResult r = Training.train(net, readout, data,
                    Training.Config.of(Optimizer.Params.sgd(LR), STEPS, BATCH, 5 + s));
            assertThat(r.diverged).as("σ_w² %s, depth %s, seed %s diverged", sigmaW2, depth, s).isFalse();
            ratio[s] = r.finalTestLoss / r.baselineTestLoss;
            trained[s] = r.trained;
        }
        return new Outcome(ratio, trained);
    }

    private static double[] gaussian(SplittableRandom r, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * r.nextGaussian();
        }
        return v;
    }

    private static MeanField.FixedPoint theory(double sigmaW2) {
        // q¹ from N(0, 1) inputs: σ_w²·1 + σ_b²
        return new MeanField(TANH, Double.NaN, sigmaW2, SIGMA_B2).fixedPoint(sigmaW2 + SIGMA_B2);
    }

    @Test
    void orderedTrainsSlowerThanCritical() {
        int depth = 50;
        MeanField.FixedPoint ordered = theory(1.0);
        double criticalW2 = MeanField.criticalSigmaW2(TANH, Double.NaN, SIGMA_B2, 1.0, 1.0, 4.0);
        MeanField.FixedPoint critical = theory(criticalW2);
        // the premises, from theory: σ_w² = 1 is ordered and 50 layers are many times its 6·ξ_c; at the edge of
        // chaos ξ_c is far beyond 50 layers
        assertThat(ordered.phase()).isEqualTo(MeanField.Phase.ORDERED);
        assertThat(depth).isGreaterThan((int) (2 * 6 * ordered.xiC()));
        assertThat(critical.phase()).isEqualTo(MeanField.Phase.CRITICAL);
        assertThat(critical.xiC()).isGreaterThan(6 * depth);

        Outcome slow = train(1.0, depth);
        Outcome fast = train(criticalW2, depth);
        // the critical network learned (its mean r is well below 1) and the ordered one learned measurably less
        assertThat(fast.mean()).as("critical r %s", Arrays.toString(fast.ratio)).isLessThan(1 - MARGIN);
        assertThat(fast.mean()).as("critical r %s, ordered r %s", Arrays.toString(fast.ratio), Arrays.toString(slow.ratio))
                .isLessThan(slow.mean() - MARGIN);
        assertThat(fast.trainedCount()).isGreaterThan(slow.trainedCount());
    }

    @Test
    void chaoticFailsFarBeyondSixXiC() {
        double sigmaW2 = 4.0;
        int deep = 100;
        MeanField.FixedPoint chaos = theory(sigmaW2);
        // the premises, from theory: chaotic, and 100 layers are more than twice 6·ξ_c
        assertThat(chaos.phase()).isEqualTo(MeanField.Phase.CHAOTIC);
        assertThat((double) deep).isGreaterThan(2 * 6 * chaos.xiC());

        Outcome far = train(sigmaW2, deep);
        // no seed trained, and none learned anything beyond the test set's noise
        assertThat(far.trainedCount()).as("r %s", Arrays.toString(far.ratio)).isZero();
        assertThat(Arrays.stream(far.ratio).min().orElseThrow()).as("r %s", Arrays.toString(far.ratio)).isGreaterThan(1 - MARGIN);
    }
}
