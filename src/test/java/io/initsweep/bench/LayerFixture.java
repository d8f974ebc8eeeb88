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
 * <p>{@link F32} is the float32 route of {@code ForwardPass}: SGEMM on float32 X and W, φ in
 * double on the float32 A rounded once to float32, statistics over those values.
 */
abstract class LayerFixture {
    final ChainParams params;

    LayerFixture(ChainParams params) {
        this.params = params;
    }

    /** A fixture for {@code dtype}: "f64" or "f32". */
    static LayerFixture create(String dtype, String activation, int width, int batch) {
        BenchChains.requireAvailable(dtype);
        ChainParams p = BenchChains.chain(BenchChains.naturalInit(activation), 1.0, activation, width, batch, 1, 0);
        return switch (dtype) {
            case "f64" -> new F64(p);
            case "f32" -> new F32(p);
            default -> throw new IllegalStateException("no fixture for " + dtype);
        };
    }

    /** A = X · W alone. */
    abstract void gemm();

    /** The layer's weights drawn from their random stream alone. */
    abstract void weights();

    /** Z = φ(A) alone. */
    abstract void activation();

    /** Z = φ(A) alone on the plain-Java route ({@code Kernels.applyScalar}), the vector route's reference. */
    abstract void activationScalar();

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
        void activationScalar() {
            Kernels.applyScalar(params.activation(), params.activationParam(), pre, z, n);
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

    /** The float32 kernel: the body of {@code ForwardPass.runFloat}'s layer loop. */
    static final class F32 extends LayerFixture {
        private final int width;
        private final int batch;
        private final int n;
        private final RandomStreams streams = new RandomStreams();
        private final Weights weightDraws = new Weights();
        private final float[] x;
        private final double[] w;
        private final float[] wf;
        private final float[] pref;
        private final double[] pre;
        private final double[] z;
        private final float[] zf;
        private final LayerStatistics stats;
        private final ChainResult result;

        F32(ChainParams p) {
            super(p);
            width = p.width();
            batch = p.batch();
            n = batch * width;
            double[] xd = new double[n];
            streams.fillGaussian(RandomStreams.inputKey(p.masterSeed(), p.seed(), batch, width, p.input()), xd, n);
            x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) xd[i];
            }
            w = new double[width * width];
            wf = new float[width * width];
            pref = new float[n];
            pre = new double[n];
            z = new double[n];
            zf = new float[n];
            stats = new LayerStatistics(p.stats(), p.activation(), p.activationParam(), width);
            result = new ChainResult(1, p.stats().histogram().bins(), p.stats().logHistogram().bins());
            layer();
        }

        @Override
        void gemm() {
            Gemm.multiplyAdd(x, wf, pref, batch, width, width, 1.0f, 0.0f);
        }

        @Override
        void weights() {
            weightDraws.fill(params.init(), params.masterSeed(), params.seed(), 1, width, width, w);
            for (int i = 0; i < w.length; i++) {
                wf[i] = (float) w[i];
            }
        }

        @Override
        void activation() {
            Kernels.widen(pref, pre, n);
            Kernels.apply(params.activation(), params.activationParam(), pre, z, n);
            Kernels.roundToFloat(z, zf, n);
        }

        @Override
        void activationScalar() {
            Kernels.widen(pref, pre, n);
            Kernels.applyScalar(params.activation(), params.activationParam(), pre, z, n);
            Kernels.roundToFloat(z, zf, n);
        }

        @Override
        double statistics() {
            stats.observe(pre, z, batch, width, result, 0);
            return result.actMean[0];
        }

        @Override
        double layer() {
            weights();
            gemm();
            activation();
            return statistics();
        }
    }
}
