package io.initsweep.sim;

/**
 * The forward-pass simulation of one chain: X ~ input(seed); for l = 1..maxDepth:
 * A = X · W_l, Z = φ(A), observe(A, Z), X ← Z. W_l holds layer l's weights (see
 * {@link Weights}). Buffers are allocated once per
 * instance and reused by every chain and layer it runs; an instance is not thread-safe (one
 * per task).
 */
public final class ForwardPass {
    private final RandomStreams streams = new RandomStreams();
    private final Weights weightDraws = new Weights();
    private double[] x = new double[0];
    private double[] z = new double[0];
    private double[] pre = new double[0];
    private double[] weights = new double[0];

    /** Simulates a chain to its maximum depth and returns the per-layer statistics. */
    public ChainResult run(ChainParams p) {
        final int width = p.width();
        final int batch = p.batch();
        final int n = batch * width;
        ensureCapacity(n, width * width);
        ChainResult result = new ChainResult(p.maxDepth(), p.stats().histogram().bins(), p.stats().logHistogram().bins());
        LayerStatistics stats = new LayerStatistics(p.stats(), p.activation(), p.activationParam(), width);

        fillInput(p, x, n);
        double[] in = x;
        double[] out = z;
        for (int layer = 1; layer <= p.maxDepth(); layer++) {
            weightDraws.fill(p.init(), p.masterSeed(), p.seed(), layer, width, width, weights);
            Gemm.multiply(in, weights, pre, batch, width, width, 1.0);
            Kernels.apply(p.activation(), p.activationParam(), pre, out, n);
            stats.observe(pre, out, batch, width, result, layer - 1);
            double[] t = in;
            in = out;
            out = t;
        }
        return result;
    }

    private void fillInput(ChainParams p, double[] buffer, int n) {
        long key = RandomStreams.inputKey(p.masterSeed(), p.seed(), p.batch(), p.width(), p.input());
        switch (p.input()) {
            case NORMAL -> streams.fillGaussian(key, buffer, n);
        }
    }

    private void ensureCapacity(int n, int weightCount) {
        if (x.length < n) {
            x = new double[n];
            z = new double[n];
            pre = new double[n];
        }
        if (weights.length < weightCount) {
            weights = new double[weightCount];
        }
    }

    /** Bytes of working memory a chain of this shape needs: three batch × width buffers and one width² buffer. */
    public static long workingBytes(int batch, int width) {
        return 8L * (3L * batch * width + (long) width * width);
    }
}
