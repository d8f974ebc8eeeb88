package io.initsweep.bench;

import io.initsweep.sim.Activation;
import io.initsweep.sim.Backward;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Optimizer;
import io.initsweep.sim.Training;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step ({@link Training#trainStep}: gather the minibatch, forward with the readout,
 * softmax cross-entropy, backward, Adam on every tensor) of a square two-layer network (input
 * width = width, two layers of width units, 10 classes) against the three GEMMs of one
 * width × width layer measured alone: the forward product X·W, δ·Wᵀ and Xᵀ·δ, float64. A step
 * makes two forward products, one δ·Wᵀ (the first layer needs none) and two Xᵀ·δ at that size
 * plus the readout's three small ones, so its time over 2·forward + δWᵀ + 2·XᵀΔ is the trainer's
 * overhead beyond BLAS (φ and φ' passes, the loss, the gather, the optimizer). The step changes the
 * weights (Adam at lr 1e-4 on a teacher task, which stays finite over any benchmark's length);
 * the GEMMs do identical work on the same buffers every call. Training set = one minibatch, so
 * every step also reshuffles its n indices (O(n), negligible).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class TrainingBenchmark {
    private static final int CLASSES = 10;

    @Param({"tanh", "relu"})
    public String activation;

    @Param({"100", "512"})
    public int width;

    @Param({"1000"})
    public int batch;

    private Training training;
    private double[] x;
    private double[] w;
    private double[] a;
    private double[] delta;
    private double[] next;
    private double[] weightGrad;

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        Activation act = Activation.byId(activation);
        SplittableRandom r = new SplittableRandom(42);
        double gain = activation.equals("relu") ? 2.0 : 1.0;
        int[] widths = {width, width, width};
        double[][] weights = new double[2][];
        double[][] biases = new double[2][];
        for (int l = 0; l < 2; l++) {
            weights[l] = gaussian(r, width * width, Math.sqrt(gain / width));
            biases[l] = new double[width];
        }
        Backward.Network net = new Backward.Network(act, act.defaultParam(), widths, weights, biases);
        Training.Dataset data = Training.teacherTask(Training.Kind.CLASSIFICATION, width, CLASSES, batch, 1, 7);
        training = new Training(net, Training.gaussianReadout(width, CLASSES, r), data,
                Training.Config.of(Optimizer.Params.adam(1e-4, 0.9, 0.999, 1e-8), 1, batch, 3));

        int n = batch * width;
        x = gaussian(r, n, 1.0);
        w = gaussian(r, width * width, Math.sqrt(1.0 / width));
        a = new double[n];
        delta = gaussian(r, n, 1.0);
        next = new double[n];
        weightGrad = new double[width * width];
        step();
    }

    private static double[] gaussian(SplittableRandom r, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * r.nextGaussian();
        }
        return v;
    }

    @Benchmark
    public double step() {
        return training.trainStep();
    }

    /** A_l = X_{l−1}·W_l alone. */
    @Benchmark
    public void gemmForward() {
        Gemm.multiply(x, w, a, batch, width, width, 1.0);
    }

    /** δ_{l−1} before φ': δ_l·W_lᵀ alone. */
    @Benchmark
    public void gemmDeltaWt() {
        Gemm.multiplyTransposedRight(delta, w, next, batch, width, width, 1.0, 0.0);
    }

    /** ∂L/∂W_l: X_{l−1}ᵀ·δ_l / batch alone. */
    @Benchmark
    public void gemmXtDelta() {
        Gemm.multiplyTransposedLeft(x, delta, weightGrad, width, batch, width, 1.0 / batch, 0.0);
    }
}
