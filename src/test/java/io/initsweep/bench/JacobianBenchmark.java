package io.initsweep.bench;

import io.initsweep.sim.Activation;
import io.initsweep.sim.Backward;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.JacobianSpectrum;
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
 * The input–output Jacobian as the job computes it ({@link JacobianSpectrum#computeFromPre}, 8
 * samples), against {@link LayerBenchmark}'s forward layer at the same width and batch 1000:
 * {@link #accumulate} carries J through {@code layers} layers and takes no SVD (the per-layer
 * cost, divided by {@code layers}), {@link #accumulateAndSvd} adds the SVDs at the last layer
 * (the per-grid-depth cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:PerMethodTrapLimit=100000", "-Xmx2g"})
public class JacobianBenchmark {
    @Param({"100", "512"})
    public int width;

    @Param({"8"})
    public int samples;

    /** Layers J is carried through per call. */
    public static final int LAYERS = 4;
    /** The forward pass's batch the Jacobian is compared with. */
    public static final int BATCH = 1000;

    private Backward.Network net;
    private double[][] pre;
    private final JacobianSpectrum spectra = new JacobianSpectrum();
    private double[] x;
    private double[] a;

    @Setup
    public void setUp() {
        BenchChains.requireSingleThreadedBlas();
        SplittableRandom r = new SplittableRandom(7);
        int[] widths = new int[LAYERS + 1];
        java.util.Arrays.fill(widths, width);
        double[][] w = new double[LAYERS][width * width];
        pre = new double[LAYERS][samples * width];
        for (int l = 0; l < LAYERS; l++) {
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = r.nextGaussian() / Math.sqrt(width);
            }
            for (int i = 0; i < pre[l].length; i++) {
                pre[l][i] = r.nextGaussian();
            }
        }
        net = new Backward.Network(Activation.TANH, Double.NaN, widths, w, null);
        x = new double[BATCH * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        a = new double[BATCH * width];
    }

    /** The forward layer's product at batch 1000, X·W alone: what a layer of J is held to. */
    @Benchmark
    public void gemmForward() {
        Gemm.multiply(x, net.weights()[0], a, BATCH, width, width, 1.0);
    }

    /** J through LAYERS layers at every sample, with the spectrum at the last layer (one SVD per sample). */
    @Benchmark
    public Object accumulate() {
        return spectra.computeFromPre(net, pre, samples, new int[] {LAYERS});
    }

    /**
     * J through LAYERS layers and its spectrum at layer 1 and at the last layer: its time less
     * {@link #accumulate}'s is one grid depth's SVDs, and 2·accumulate − accumulateAndSvd is the
     * carrying of J through LAYERS layers alone.
     */
    @Benchmark
    public Object accumulateAndSvd() {
        return spectra.computeFromPre(net, pre, samples, new int[] {1, LAYERS});
    }
}
