package io.initsweep.bench;

import io.initsweep.sim.Activation;
import io.initsweep.sim.Backward;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.GradientResult;
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
 * One hidden layer of the backward pass ({@link Backward#layer}: δ statistics and log histogram,
 * X_{l−1} = φ(A_{l−1}) again, ∂L/∂W = X_{l−1}ᵀ·δ/batch, ∂L/∂b, δ·Wᵀ and the φ' product) against
 * its two GEMMs alone, square layers, float64 ({@link Backward#layer}, DGEMMs) and float32
 * ({@link Backward#layer32}, SGEMMs). The layer's time over its two GEMMs' sum (of the same dtype) is
 * the backward pass's overhead beyond BLAS. Every call does identical work on the same buffers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:PerMethodTrapLimit=100000", "-Xmx2g"})
public class BackwardBenchmark {
    @Param({"tanh", "relu"})
    public String activation;

    @Param({"100", "512"})
    public int width;

    @Param({"1000"})
    public int batch;

    @Param({"float64", "float32"})
    public String dtype;

    private Activation act;
    private double param;
    private double[] prevPre;
    private double[] x;
    private double[] w;
    private double[] delta;
    private double[] next;
    private double[] weightGrad;
    private double[] biasGrad;
    private GradientResult result;
    private float[] xf;
    private float[] wf;
    private float[] deltaf;
    private float[] nextf;
    private float[] weightGradf;
    private double[] z;
    private double[] d;

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        act = Activation.byId(activation);
        param = act.defaultParam();
        SplittableRandom r = new SplittableRandom(42);
        int n = batch * width;
        prevPre = new double[n];
        x = new double[n];
        w = new double[width * width];
        delta = new double[n];
        next = new double[n];
        weightGrad = new double[width * width];
        biasGrad = new double[width];
        for (int i = 0; i < n; i++) {
            prevPre[i] = r.nextGaussian();
            delta[i] = r.nextGaussian();
        }
        double sd = Math.sqrt((activation.equals("relu") ? 2.0 : 1.0) / width);
        for (int i = 0; i < w.length; i++) {
            w[i] = sd * r.nextGaussian();
        }
        xf = new float[n];
        wf = new float[w.length];
        deltaf = new float[n];
        nextf = new float[n];
        weightGradf = new float[width * width];
        for (int i = 0; i < n; i++) {
            prevPre[i] = (float) prevPre[i];
            deltaf[i] = (float) delta[i];
            xf[i] = (float) x[i];
        }
        for (int i = 0; i < w.length; i++) {
            wf[i] = (float) w[i];
        }
        z = new double[n];
        d = new double[n];
        result = new GradientResult(1);
        layer();
    }

    @Benchmark
    public double layer() {
        if (dtype.equals("float32")) {
            Backward.layer32(act, param, deltaf, prevPre, xf, wf, batch, width, width, weightGradf, biasGrad, nextf, result, 0,
                    z, d);
        } else {
            Backward.layer(act, param, delta, prevPre, x, w, batch, width, width, weightGrad, biasGrad, next, result, 0);
        }
        return result.weightGradNorm[0];
    }

    /** δ_{l−1} before φ': δ_l·W_lᵀ alone. */
    @Benchmark
    public void gemmDeltaWt() {
        if (dtype.equals("float32")) {
            Gemm.multiplyTransposedRight(deltaf, wf, nextf, batch, width, width, 1f, 0f);
        } else {
            Gemm.multiplyTransposedRight(delta, w, next, batch, width, width, 1.0, 0.0);
        }
    }

    /** ∂L/∂W_l: X_{l−1}ᵀ·δ_l / batch alone. */
    @Benchmark
    public void gemmXtDelta() {
        if (dtype.equals("float32")) {
            Gemm.multiplyTransposedLeft(xf, deltaf, weightGradf, width, batch, width, 1f / batch, 0f);
        } else {
            Gemm.multiplyTransposedLeft(x, delta, weightGrad, width, batch, width, 1.0 / batch, 0.0);
        }
    }
}
