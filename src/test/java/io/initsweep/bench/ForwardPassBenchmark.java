package io.initsweep.bench;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
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
 * A cross-check of {@link LayerBenchmark} on the production loop itself: {@code ForwardPass.run}
 * at depth 1 and 11; (t₁₁ − t₁) / 10 is the marginal cost of one layer inside a real chain
 * (input draw and per-chain setup cancel). bench/run.sh prints it beside the composed layer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:PerMethodTrapLimit=100000", "-Xmx2g"})
public class ForwardPassBenchmark {
    @Param({"f64", "f32"})
    public String dtype;

    @Param({"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "gelu_tanh", "silu", "mish", "softplus",
        "softsign", "hardtanh", "linear"})
    public String activation;

    @Param({"100"})
    public int width;

    @Param({"1000"})
    public int batch;

    @Param({"1", "11"})
    public int depth;

    private ChainParams params;
    private final ForwardPass pass = new ForwardPass();

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        params = BenchChains.chain(dtype, BenchChains.naturalInit(activation), 1.0, activation, width, batch, depth, 0);
    }

    @Benchmark
    public double chain() {
        ChainResult r = pass.run(params);
        return r.actMean[r.depth - 1];
    }
}
