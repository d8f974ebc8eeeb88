package io.initsweep.bench;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Kernels;
import io.initsweep.sim.LayerStatistics;
import io.initsweep.sim.RandomStreams;
import io.initsweep.sim.Weights;

/**
 * One layer of the forward pass on fixed buffers, through the public sim API, in one precision.
 * {@link #layer} is the body of {@code ForwardPass.run}'s layer loop (draw the layer's
 * weights, GEMM, activation, fused statistics); the other methods are its parts. The input is
 * the chain's real first-layer input (X ~ N(0, 1)) and every call overwrites the same output
 * buffers, so each invocation does identical work.
 *
 * <p>A float32 kernel slots in as a second subclass returned by {@link #create} for "f32".
 */
abstract class LayerFixture {
    final ChainParams params;

    LayerFixture(ChainParams params) {
        this.params = params;
    }

    /** A fixture for {@code dtype} ("f64"; "f32" once the kernel has it). */
    static LayerFixture create(String dtype, String activation, int width, int batch) {
        BenchChains.requireAvailable(dtype);
        ChainParams p = BenchChains.chain(BenchChains.naturalInit(activation), 1.0, activation, width, batch, 1, 0);
        return switch (dtype) {
            case "f64" -> new F64(p);
            default -> throw new IllegalStateException("no fixture for " + dtype);
        };
    }

    /** A = X · W alone. */
    abstract void gemm();

    /** The layer's weights drawn from their random stream alone. */
    abstract void weights();

    /** Z = φ(A) alone. */
    abstract void activation();

    /** The fused statistics pass over (A, Z) alone; returns a statistic so nothing is dead code. */
    abstract double statistics();

    /** The whole layer as ForwardPass runs it; returns a statistic so nothing is dead code. */
    abstract double layer();

    /** The float64 kernel of today. */
    static final class F64 extends LayerFixture {
        private final int width;
        private final int batch;
        private final int n;
        private final RandomStreams streams = new RandomStreams();
        private final Weights weightDraws = new Weights();
        private final double[] x;
        private final double[] w;
        private final double[] pre;
        private final double[] z;
        private final LayerStatistics stats;
        private final ChainResult result;

        F64(ChainParams p) {
            super(p);
            width = p.width();
            batch = p.batch();
            n = batch * width;
            x = new double[n];
            w = new double[width * width];
            pre = new double[n];
            z = new double[n];
            streams.fillGaussian(RandomStreams.inputKey(p.masterSeed(), p.seed(), batch, width, p.input()), x, n);
            stats = new LayerStatistics(p.stats(), p.activation(), p.activationParam(), width);
            result = new ChainResult(1, p.stats().histogram().bins(), p.stats().logHistogram().bins());
            layer(); // realistic A and Z for the part benchmarks
        }

        @Override
        void gemm() {
            Gemm.multiply(x, w, pre, batch, width, width, 1.0);
        }

        @Override
        void weights() {
            weightDraws.fill(params.init(), params.masterSeed(), params.seed(), 1, width, width, w);
        }

        @Override
        void activation() {
            Kernels.apply(params.activation(), params.activationParam(), pre, z, n);
        }

        @Override
        double statistics() {
            stats.observe(pre, z, batch, width, result, 0);
            return result.actMean[0];
        }

        @Override
        double layer() {
            weightDraws.fill(params.init(), params.masterSeed(), params.seed(), 1, width, width, w);
            Gemm.multiply(x, w, pre, batch, width, width, 1.0);
            Kernels.apply(params.activation(), params.activationParam(), pre, z, n);
            stats.observe(pre, z, batch, width, result, 0);
            return result.actMean[0];
        }
    }
}
