package io.initsweep.bench;

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
 * One whole layer (weight draw, GEMM, activation, fused statistics with both
 * histograms, saturation and dead units) as {@code ForwardPass} runs it. bench/run.sh divides
 * its time by {@link GemmBenchmark#gemm}'s at the same width (target ≤ 1.3); the activation and
 * statistics passes alone show where the time beyond the GEMM goes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:PerMethodTrapLimit=100000", "-Xmx2g"})
public class LayerBenchmark {
    @Param({"f64", "f32"})
    public String dtype;

    @Param({"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "gelu_tanh", "silu", "mish", "softplus",
        "softsign", "hardtanh", "linear"})
    public String activation;

    @Param({"100", "512"})
    public int width;

    @Param({"1000"})
    public int batch;

    private LayerFixture fixture;

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        fixture = LayerFixture.create(dtype, activation, width, batch);
    }

    @Benchmark
    public double layer() {
        return fixture.layer();
    }

    /** Diagnostic: the activation pass alone on a real layer's A. */
    @Benchmark
    public void activation() {
        fixture.activation();
    }

    /**
     * Diagnostic: the activation pass alone on the plain-Java route, {@link #activation}'s
     * reference (the same bits); their ratio is what the activation's vector kernel gains.
     */
    @Benchmark
    public void activationScalar() {
        fixture.activationScalar();
    }

    /** Diagnostic: the statistics pass alone on a real layer's A and Z. */
    @Benchmark
    public double statistics() {
        return fixture.statistics();
    }
}
