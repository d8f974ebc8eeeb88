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
 * The floor of the layer benchmark: X (batch × width) · W (width × width) through {@code Gemm.multiply}
 * (netlib BLAS dgemm), and the per-layer weight draw on its own. Run by bench/run.sh; by hand:
 * {@code OPENBLAS_NUM_THREADS=1 java -cp <test classpath> org.openjdk.jmh.Main GemmBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:PerMethodTrapLimit=100000", "-Xmx2g"})
public class GemmBenchmark {
    @Param({"f64", "f32"})
    public String dtype;

    @Param({"100", "512"})
    public int width;

    @Param({"1000"})
    public int batch;

    private LayerFixture fixture;

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        fixture = LayerFixture.create(dtype, "relu", width, batch);
    }

    @Benchmark
    public void gemm() {
        fixture.gemm();
    }

    @Benchmark
    public void weights() {
        fixture.weights();
    }
}
