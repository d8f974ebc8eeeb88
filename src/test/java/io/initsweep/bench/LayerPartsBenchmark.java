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
 * Where a layer's time beyond the GEMM goes: the activation pass and the statistics pass, each
 * alone on a real layer's A and Z. Diagnostic only (no target of its own).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class LayerPartsBenchmark {
    /** Add "f32" once the kernel has a float32 route (see LayerFixture). */
    @Param({"f64"})
    public String dtype;

    @Param({"sigmoid", "tanh", "relu", "leaky_relu"})
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
    public void activation() {
        fixture.activation();
    }

    @Benchmark
    public double statistics() {
        return fixture.statistics();
    }
}
