package io.initsweep.bench;

import io.initsweep.sim.Activation;
import io.initsweep.theory.MeanField;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the theory beside a row costs: one per-layer trace (q, c, χ₁ for 50 layers) and one
 * fixed-point analysis (q*, c*, χ_c, depth scales), smooth, kinked and costly activations, in the
 * chaotic phase (where c* needs the two-dimensional expectations). By hand:
 * {@code java -cp <test classpath> org.openjdk.jmh.Main MeanFieldBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class MeanFieldBenchmark {
    @Param({"tanh", "relu", "gelu"})
    public String activation;

    private MeanField field() {
        Activation a = Activation.byId(activation);
        return new MeanField(a, a.defaultParam(), activation.equals("relu") ? 1.9 : 2.5, 0.05);
    }

    @Benchmark
    public MeanField.Trace trace50() {
        return field().trace(1.0, 0.2, 50);
    }

    @Benchmark
    public MeanField.FixedPoint fixedPoint() {
        return field().fixedPoint(1.0);
    }
}
