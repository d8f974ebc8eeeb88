package io.initsweep.bench;

import io.initsweep.sim.Activation;
import io.initsweep.sim.Backward;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Kernels;
import io.initsweep.sim.Optimizer;
import io.initsweep.sim.Training;
import io.initsweep.sim.Training32;
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
 *
 * <p>{@code dtype=float32}: the step of {@link Training32} (SGEMMs, φ and φ' in float64 rounded
 * once to float32, float32 Adam) against the three products as SGEMMs on float32 buffers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:PerMethodTrapLimit=100000", "-Xmx2g"})
public class TrainingBenchmark {
    private static final int CLASSES = 10;

    @Param({"tanh", "relu"})
    public String activation;

    @Param({"100", "512"})
    public int width;

    @Param({"1000"})
    public int batch;

    @Param({"float64", "float32"})
    public String dtype;

    private boolean float32;
    private Activation act;
    private Training training;
    private Training32 training32;
    private double[] x;
    private double[] w;
    private double[] a;
    private double[] delta;
    private double[] next;
    private double[] weightGrad;
    private float[] xf;
    private float[] wf;
    private float[] af;
    private float[] deltaf;
    private float[] nextf;
    private float[] weightGradf;

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        act = Activation.byId(activation);
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
        float32 = dtype.equals("float32");
        double[] readout = Training.gaussianReadout(width, CLASSES, r);
        Training.Config config = Training.Config.of(Optimizer.Params.adam(1e-4, 0.9, 0.999, 1e-8), 1, batch, 3);
        if (float32) {
            training32 = new Training32(net, readout, data, config);
        } else {
            training = new Training(net, readout, data, config);
        }

        int n = batch * width;
        x = gaussian(r, n, 1.0);
        w = gaussian(r, width * width, Math.sqrt(1.0 / width));
        a = new double[n];
        delta = gaussian(r, n, 1.0);
        next = new double[n];
        weightGrad = new double[width * width];
        xf = toFloat(x);
        wf = toFloat(w);
        af = new float[n];
        deltaf = toFloat(delta);
        nextf = new float[n];
        weightGradf = new float[width * width];
        step();
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
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
        return float32 ? training32.trainStep() : training.trainStep();
    }

    /** A_l = X_{l−1}·W_l alone. */
    @Benchmark
    public void gemmForward() {
        if (float32) {
            Gemm.multiplyAdd(xf, wf, af, batch, width, width, 1f, 0f);
        } else {
            Gemm.multiply(x, w, a, batch, width, width, 1.0);
        }
    }

    /** δ_{l−1} before φ': δ_l·W_lᵀ alone. */
    @Benchmark
    public void gemmDeltaWt() {
        if (float32) {
            Gemm.multiplyTransposedRight(deltaf, wf, nextf, batch, width, width, 1f, 0f);
        } else {
            Gemm.multiplyTransposedRight(delta, w, next, batch, width, width, 1.0, 0.0);
        }
    }

    /** ∂L/∂W_l: X_{l−1}ᵀ·δ_l / batch alone. */
    @Benchmark
    public void gemmXtDelta() {
        if (float32) {
            Gemm.multiplyTransposedLeft(xf, deltaf, weightGradf, width, batch, width, (float) (1.0 / batch), 0f);
        } else {
            Gemm.multiplyTransposedLeft(x, delta, weightGrad, width, batch, width, 1.0 / batch, 0.0);
        }
    }

    /**
     * φ of the step's two hidden layers alone, as the step computes it (float64 from A, for float32
     * rounded once; in float32 where φ is exact there): the part of a step that is neither a product nor avoidable.
     */
    @Benchmark
    public void phi() {
        int n = batch * width;
        for (int l = 0; l < 2; l++) {
            if (float32 && act.exactInFloat32(act.defaultParam())) {
                act.applyFloat32(act.defaultParam(), xf, nextf, n);
                continue;
            }
            Kernels.apply(act, act.defaultParam(), x, next, n);
            if (float32) {
                Kernels.roundToFloat(next, nextf, n);
            }
        }
    }
}
