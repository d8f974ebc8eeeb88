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
 * its two GEMMs alone, float64, square layers. The layer's time over the two GEMMs' sum is the
 * backward pass's overhead beyond BLAS. Every call does identical work on the same buffers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class BackwardBenchmark {
    @Param({"tanh", "relu"})
    public String activation;

    @Param({"100", "512"})
    public int width;

    @Param({"1000"})
    public int batch;

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
        result = new GradientResult(1);
        layer();
    }

    @Benchmark
    public double layer() {
        Backward.layer(act, param, delta, prevPre, x, w, batch, width, width, weightGrad, biasGrad, next, result, 0);
        return result.weightGradNorm[0];
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
