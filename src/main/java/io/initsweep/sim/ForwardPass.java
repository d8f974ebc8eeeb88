package io.initsweep.sim;

/**
 * The forward-pass simulation of one chain: X ~ input(seed); for l = 1..maxDepth:
 * A = X · W_l + 1·b_lᵀ, Z = φ(A), observe(A, Z), X ← Z. W_l (fan_in × width) holds layer l's
 * weights drawn by {@link Weights}; b_l ~ N(0, bias_std²) comes from its own stream (absent when
 * bias_std = 0). Layer 1's fan_in is the input width, every later layer's the width.
 *
 * <p>LSUV (Mishkin &amp; Matas 2015) rescales each layer's weights in place before the layer is
 * observed: while |Var(A) − 1| ≥ tol and fewer than max_iter rescalings were made,
 * W ← W / √Var(A) and A is recomputed; the rescalings made are recorded per layer.
 *
 * <p>float32 chains keep X, W, b and A in float32 and multiply with SGEMM; φ is evaluated in double
 * on the float32 A and rounded once to float32, and the statistics read those float32 values.
 *
 * <p>Buffers are allocated once per instance and reused by every chain and layer it runs; an
 * instance is not thread-safe (one per task).
 */
public final class ForwardPass {
    private final RandomStreams streams = new RandomStreams();
    private final Weights weightDraws = new Weights();
    private final RowCorrelation correlation = new RowCorrelation();
    /** The tape of the last chain with gradients, and its backward pass; created by the first such chain. */
    private GradientPass tape;
    private double[] symmetryScratch = new double[0];
    private double[] x = new double[0];
    private double[] z = new double[0];
    private double[] pre = new double[0];
    private double[] weights = new double[0];
    private double[] bias = new double[0];
    private double[] unit = new double[0];
    private float[] xf = new float[0];
    private float[] zf = new float[0];
    private float[] pref = new float[0];
    private float[] weightsF = new float[0];
    /**
     * Statistics passes kept for the chains that follow, by what they are built from: building one
     * (its log-cell table above all) costs about as much as a width-100 layer's activation, and a
     * task's chains share a few. Each {@link LayerStatistics#observe} starts afresh, so sharing one
     * between chains, even the members of a group, changes nothing in the results.
     */
    private final java.util.Map<StatsKey, LayerStatistics> statsPasses =
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<StatsKey, LayerStatistics> eldest) {
                    return size() > MAX_STATS_PASSES;
                }
            };
    private static final int MAX_STATS_PASSES = 32;

    private record StatsKey(StatsConfig config, Activation activation, double activationParam, int width) {}

    /** Simulates a chain whose input is drawn (not a data file) to its maximum depth. */
    public ChainResult run(ChainParams p) {
        return run(p, null);
    }

    /**
     * Simulates a chain to its maximum depth and returns the per-layer statistics.
     *
     * @param data for a {@link InputDistribution#DATA} input, the file's values row-major with
     *     {@code p.inputWidth()} columns and at least {@code p.batch()} rows; ignored otherwise
     */
    public ChainResult run(ChainParams p, double[] data) {
        if (p.scalesUnitNetwork()) {
            return runGroup(java.util.List.of(p), data)[0];
        }
        return runDirect(p, data);
    }

    /** The statistics pass for a chain's layers: a kept one when an earlier chain had the same. */
    LayerStatistics statsFor(ChainParams p) {
        return statsPasses.computeIfAbsent(new StatsKey(p.stats(), p.activation(), p.activationParam(), p.width()),
                k -> new LayerStatistics(k.config(), k.activation(), k.activationParam(), k.width()));
    }

    /** The plain product-by-product route, also for chains that {@link ChainParams#scalesUnitNetwork} (tests). */
    ChainResult runDirect(ChainParams p, double[] data) {
        ensureCapacity(p.dtype(), p.batch(), p.width(), Math.max(p.width(), p.inputWidth()));
        ChainResult result = new ChainResult(p.maxDepth(), p.stats().histogram().bins(), p.stats().logHistogram().bins());
        LayerStatistics stats = statsFor(p);
        fillInput(p, data, x);
        observeInput(p, result);
        if (tapes(p) && p.dtype() == Dtype.FLOAT64) {
            tape.begin(p, x);
        }
        if (p.dtype() == Dtype.FLOAT32) {
            runFloat(p, stats, result);
        } else {
            runDouble(p, stats, result, 1, x);
        }
        return result;
    }

    /**
     * Chains with one {@link ChainParams#unitKey} (they differ only in their weights' scale),
     * simulated together; results in the order given, each bit-identical to {@link #run} of that
     * chain alone. The unit network U runs once: U_l = φ(U_{l−1})·G_l with the base draws G_l,
     * renormalized after each product by an exact power of two 2^−e_l so that max |U_l| is in
     * [1, 2). A chain whose layer-l weights are s_l·G_l has A_l = C_l·U_l exactly in real
     * arithmetic, with C_l = s_1⋯s_l·2^(e_1+⋯+e_l) (φ is positively homogeneous, there is no bias);
     * it is computed as fl(C_l·U_l), one rounding, C_l carried as mantissa and exponent so that it
     * cannot overflow. Then Z_l = φ(A_l) and the statistics, as for any chain. A chain whose A_l
     * could overflow (C_l ≥ 2^1022) continues from that layer as a plain network (weights s_l·G_l)
     * from fl(C_{l−1}·φ(U_{l−1})), its Z_{l−1} (to the last bit for relu and linear): it overflows
     * and turns NaN as float64 arithmetic does.
     */
    public ChainResult[] runGroup(java.util.List<ChainParams> members, double[] data) {
        final ChainParams p0 = members.get(0);
        final ChainParams.UnitKey key = p0.unitKey();
        for (ChainParams m : members) {
            if (!m.scalesUnitNetwork() || (members.size() > 1 && (key == null || !key.equals(m.unitKey())))) {
                throw new IllegalArgumentException("chains of a group must share one unit network");
            }
        }
        Check.argument(members.size() == 1 || !p0.stats().tapes(),
                "chains with gradients or training run alone, not as a group of %s", members.size());
        final int k = members.size();
        final int width = p0.width();
        final int batch = p0.batch();
        final int n = batch * width;
        ensureCapacity(Dtype.FLOAT64, batch, width, Math.max(width, p0.inputWidth()));
        if (unit.length < n) {
            unit = new double[n];
        }
        ChainResult[] results = new ChainResult[k];
        LayerStatistics[] stats = new LayerStatistics[k];
        for (int m = 0; m < k; m++) {
            ChainParams p = members.get(m);
            results[m] = new ChainResult(p.maxDepth(), p.stats().histogram().bins(), p.stats().logHistogram().bins());
            stats[m] = statsFor(p);
        }
        double[] mant = new double[k];
        long[] exp = new long[k];
        java.util.Arrays.fill(mant, 1.0);
        boolean[] diverged = new boolean[k];
        fillInput(p0, data, x);
        for (ChainResult r : results) {
            observeInput(p0, r);
        }
        if (tapes(p0)) {
            tape.begin(p0, x);
        }
        for (int layer = 1; layer <= p0.maxDepth(); layer++) {
            final int fanIn = p0.fanIn(layer);
            final int wn = fanIn * width;
            weightDraws.fillBase(p0.init(), p0.masterSeed(), p0.seed(), layer, fanIn, width, weights);
            final double baseRms = rms(weights, wn);
            Gemm.multiplyAdd(x, weights, unit, batch, fanIn, width, 1.0, 0.0);
            final int e = normalize(unit, n);
            for (int m = 0; m < k; m++) {
                if (diverged[m]) {
                    continue;
                }
                ChainParams p = members.get(m);
                double s = p.init().baseScale(fanIn, width);
                double scaled = mant[m] * s;
                int se = Math.getExponent(scaled);
                long nextExp = exp[m] + se + e;
                if (nextExp >= Double.MAX_EXPONENT - 1) {
                    // A_l may overflow: from here on, this chain is a plain float64 network
                    diverged[m] = true;
                    if (k == 1) {
                        scaleInto(mant[m], exp[m], x, z, batch * fanIn);
                        runDouble(p, stats[m], results[m], layer, z);
                        return results;
                    }
                    continue;
                }
                double nextMant = Math.scalb(scaled, -se);
                scaleInto(nextMant, nextExp, unit, pre, n);
                results[m].weightRms[layer - 1] = s * baseRms;
                Kernels.apply(p.activation(), p.activationParam(), pre, z, n);
                stats[m].observe(pre, z, batch, width, results[m], layer - 1);
                observeCorrelation(pre, batch, width, results[m], layer - 1);
                if (tapes(p)) {
                    tape.record(layer, pre, weights, s, null);
                    observeSymmetry(z, batch, width, results[m], layer - 1, p.dtype());
                }
                mant[m] = nextMant;
                exp[m] = nextExp;
            }
            // the unit network's next input: φ(U_l), over the product's input (no longer needed)
            Kernels.apply(p0.activation(), p0.activationParam(), unit, x, n);
        }
        for (int m = 0; m < k; m++) {
            if (diverged[m]) {
                results[m] = runGroup(java.util.List.of(members.get(m)), data)[0];
            }
        }
        return results;
    }

    /** Scales u[0..n) by 2^−e so that its largest magnitude is in [1, 2) (exact); returns e (0 when all zero or not finite). */
    private static int normalize(double[] u, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(u[i]));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return 0;
        }
        int e = Math.getExponent(max);
        if (e == 0) {
            return 0;
        }
        if (e >= Double.MIN_EXPONENT && -e >= Double.MIN_EXPONENT && -e <= Double.MAX_EXPONENT) {
            double f = Math.scalb(1.0, -e);
            for (int i = 0; i < n; i++) {
                u[i] *= f;
            }
        } else {
            for (int i = 0; i < n; i++) {
                u[i] = Math.scalb(u[i], -e);
            }
        }
        return e;
    }

    /** out[i] = fl(m·2^k·u[i]): one rounding while m·2^k is a normal double, else scalb per entry. */
    private static void scaleInto(double m, long k, double[] u, double[] out, int n) {
        if (k >= Double.MIN_EXPONENT && k <= Double.MAX_EXPONENT) {
            double c = Math.scalb(m, (int) k);
            for (int i = 0; i < n; i++) {
                out[i] = c * u[i];
            }
        } else {
            int kk = (int) Math.max(Math.min(k, 4 * Double.MAX_EXPONENT), 4 * Double.MIN_EXPONENT);
            for (int i = 0; i < n; i++) {
                out[i] = Math.scalb(m * u[i], kk);
            }
        }
    }

    /**
     * The plain route from layer {@code fromLayer} on, its input (Z of the layer before) in
     * {@code in}, which is {@link #x} or {@link #z}; the other one is the first output.
     */
    private void runDouble(ChainParams p, LayerStatistics stats, ChainResult result, int fromLayer, double[] in) {
        final int width = p.width();
        final int batch = p.batch();
        final int n = batch * width;
        final Lsuv lsuv = p.init() instanceof Lsuv l ? l : null;
        double[] out = in == x ? z : x;
        for (int layer = fromLayer; layer <= p.maxDepth(); layer++) {
            final int fanIn = p.fanIn(layer);
            final int wn = fanIn * width;
            weightDraws.fill(p.init(), p.masterSeed(), p.seed(), layer, fanIn, width, weights);
            boolean biased = fillBias(p, layer);
            productDouble(in, batch, fanIn, width, biased);
            int rescalings = 0;
            if (lsuv != null) {
                double v;
                while (rescalings < lsuv.maxIter() && needsRescaling(v = variance(pre, n), lsuv.tol())) {
                    double s = 1.0 / Math.sqrt(v);
                    for (int i = 0; i < wn; i++) {
                        weights[i] *= s;
                    }
                    productDouble(in, batch, fanIn, width, biased);
                    rescalings++;
                }
                result.lsuvIterations[layer - 1] = rescalings;
            }
            result.weightRms[layer - 1] = rms(weights, wn);
            Kernels.apply(p.activation(), p.activationParam(), pre, out, n);
            stats.observe(pre, out, batch, width, result, layer - 1);
            observeCorrelation(pre, batch, width, result, layer - 1);
            if (tapes(p)) {
                tape.record(layer, pre, weights, 1.0, biased ? bias : null);
                observeSymmetry(out, batch, width, result, layer - 1, p.dtype());
            }
            double[] t = in;
            in = out;
            out = t;
        }
    }

    /** Whether chain {@code p} records a tape for its backward pass; creates the tape the first time. */
    private boolean tapes(ChainParams p) {
        if (!p.stats().tapes()) {
            return false;
        }
        if (tape == null) {
            tape = new GradientPass();
        }
        return true;
    }

    /**
     * The backward pass of the last chain run, at its grid point of depth {@code depth} (see
     * {@link GradientPass}); the chain must have {@link StatsConfig#gradients}.
     */
    public GradientResult backward(ChainParams p, int depth) {
        Check.argument(p.stats().gradients() != null, "chain %s has no gradients", p);
        Check.argument(tape != null && p.equals(tape.recorded()), "chain %s was not the last one run with gradients", p);
        return tape.backward(depth);
    }

    /**
     * The training run of the last chain run at its grid point of depth {@code depth} (see
     * {@link GradientPass#train}); the chain must have {@link StatsConfig#training}.
     */
    public TrainingResult train(ChainParams p, int depth) {
        return train(p, depth, null);
    }

    /** The same, on a user's data set: {@code data} laid out as {@link TrainingSetup#dataMatrixKey} says. */
    public TrainingResult train(ChainParams p, int depth, double[] data) {
        Check.argument(tape != null && p.equals(tape.recorded()), "chain %s was not the last one run with a tape", p);
        return tape.train(depth, data);
    }

    /**
     * The input–output Jacobian spectra of the last chain run at its first samples (see
     * {@link GradientPass#jacobian}), for each of {@code layers}.
     */
    public java.util.List<JacobianSpectrum.Spectrum> jacobian(ChainParams p, int[] layers) {
        Check.argument(p.stats().gradients() != null, "chain %s has no gradients", p);
        Check.argument(tape != null && p.equals(tape.recorded()), "chain %s was not the last one run with gradients", p);
        return tape.jacobian(layers);
    }

    private void observeSymmetry(double[] z, int batch, int width, ChainResult result, int layer, Dtype dtype) {
        if (symmetryScratch.length < 2 * width) {
            symmetryScratch = new double[2 * width];
        }
        result.distinctUnits[layer] = Symmetry.distinctColumns(z, batch, width, symmetryScratch, Symmetry.tolerance(dtype));
    }

    /** The input's mean square and row correlation, the mean-field q¹ and c⁰'s ingredients, from x. */
    private void observeInput(ChainParams p, ChainResult result) {
        final int n = p.batch() * p.inputWidth();
        result.inputSqMean = Sums.squares(x, 0, n) / n;
        correlation.observe(x, p.batch(), p.inputWidth());
        result.inputCorrMean = correlation.mean();
    }

    private void observeCorrelation(double[] a, int batch, int width, ChainResult result, int layer) {
        correlation.observe(a, batch, width);
        result.preCorrMean[layer] = correlation.mean();
        result.preCorrSpread[layer] = correlation.spread();
    }

    /** pre = in · weights (+ bias rows). */
    private void productDouble(double[] in, int batch, int fanIn, int width, boolean biased) {
        if (biased) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(bias, 0, pre, r * width, width);
            }
        }
        Gemm.multiplyAdd(in, weights, pre, batch, fanIn, width, 1.0, biased ? 1.0 : 0.0);
    }

    private void runFloat(ChainParams p, LayerStatistics stats, ChainResult result) {
        final int width = p.width();
        final int batch = p.batch();
        final int n = batch * width;
        final Lsuv lsuv = p.init() instanceof Lsuv l ? l : null;
        final int inputCount = batch * p.inputWidth();
        for (int i = 0; i < inputCount; i++) {
            xf[i] = (float) x[i];
        }
        if (tapes(p)) {
            tape.begin(p, xf);
        }
        float[] in = xf;
        float[] out = zf;
        for (int layer = 1; layer <= p.maxDepth(); layer++) {
            final int fanIn = p.fanIn(layer);
            final int wn = fanIn * width;
            weightDraws.fill(p.init(), p.masterSeed(), p.seed(), layer, fanIn, width, weights);
            for (int i = 0; i < wn; i++) {
                weightsF[i] = (float) weights[i];
            }
            boolean biased = fillBias(p, layer);
            productFloat(in, batch, fanIn, width, biased);
            int rescalings = 0;
            if (lsuv != null) {
                double v;
                while (rescalings < lsuv.maxIter() && needsRescaling(v = variance(pre, n), lsuv.tol())) {
                    float s = (float) (1.0 / Math.sqrt(v));
                    for (int i = 0; i < wn; i++) {
                        weightsF[i] *= s;
                    }
                    productFloat(in, batch, fanIn, width, biased);
                    rescalings++;
                }
                result.lsuvIterations[layer - 1] = rescalings;
            }
            result.weightRms[layer - 1] = rms(weightsF, wn);
            Kernels.apply(p.activation(), p.activationParam(), pre, z, n);
            Kernels.roundToFloat(z, out, n);
            stats.observe(pre, z, batch, width, result, layer - 1);
            observeCorrelation(pre, batch, width, result, layer - 1);
            if (tapes(p)) {
                tape.record(layer, pre, weightsF, biased ? bias : null);
                observeSymmetry(z, batch, width, result, layer - 1, p.dtype());
            }
            float[] t = in;
            in = out;
            out = t;
        }
    }

    /** pref = in · weightsF (+ bias rows) in float32; pre = pref widened. */
    private void productFloat(float[] in, int batch, int fanIn, int width, boolean biased) {
        if (biased) {
            for (int j = 0; j < width; j++) {
                pref[j] = (float) bias[j];
            }
            for (int r = 1; r < batch; r++) {
                System.arraycopy(pref, 0, pref, r * width, width);
            }
        }
        Gemm.multiplyAdd(in, weightsF, pref, batch, fanIn, width, 1.0f, biased ? 1.0f : 0.0f);
        Kernels.widen(pref, pre, batch * width);
    }

    /** LSUV's loop condition: |Var − 1| ≥ tol, and a finite positive variance to divide by. */
    private static boolean needsRescaling(double variance, double tol) {
        return variance > 0 && Double.isFinite(variance) && Math.abs(variance - 1.0) >= tol;
    }

    /** Population variance of a[0..n) (two passes). */
    static double variance(double[] a, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - mean;
            ss += d * d;
        }
        return ss / n;
    }

    private static double rms(double[] w, int n) {
        return Math.sqrt(Sums.squares(w, 0, n) / n);
    }

    private static double rms(float[] w, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) w[i] * w[i];
        }
        return Math.sqrt(ss / n);
    }

    /** Layer {@code layer}'s bias b ~ N(0, bias_std²) into {@link #bias}; false (and nothing drawn) when bias_std = 0. */
    private boolean fillBias(ChainParams p, int layer) {
        if (p.biasStd() == 0.0) {
            return false;
        }
        streams.fillGaussian(RandomStreams.biasKey(p.masterSeed(), p.seed(), layer, p.width()), bias, p.width());
        for (int j = 0; j < p.width(); j++) {
            bias[j] *= p.biasStd();
        }
        return true;
    }

    private void fillInput(ChainParams p, double[] data, double[] buffer) {
        final int n = p.batch() * p.inputWidth();
        long key = RandomStreams.inputKey(p.masterSeed(), p.seed(), p.batch(), p.inputWidth(), p.input());
        switch (p.input()) {
            case NORMAL -> {
                streams.fillGaussian(key, buffer, n);
                if (p.inputCorrelation() != 0) {
                    correlate(p, buffer);
                }
            }
            case UNIFORM -> streams.fillUniformUnitVariance(key, buffer, n);
            case DATA -> {
                if (data == null || data.length < n) {
                    throw new IllegalArgumentException("chain needs " + p.batch() + " × " + p.inputWidth()
                            + " input values from its data file, found " + (data == null ? "none" : data.length));
                }
                System.arraycopy(data, 0, buffer, 0, n);
            }
        }
    }

    /** x_ij ← √(1 − c⁰)·x_ij + √c⁰·s_j, one shared N(0, 1) row s: rows of variance 1 and pairwise correlation c⁰. */
    private void correlate(ChainParams p, double[] x) {
        int cols = p.inputWidth();
        double[] shared = new double[cols];
        streams.fillGaussian(RandomStreams.sharedInputKey(p.masterSeed(), p.seed(), cols), shared, cols);
        double own = Math.sqrt(1 - p.inputCorrelation());
        double common = Math.sqrt(p.inputCorrelation());
        for (int i = 0; i < p.batch(); i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                x[row + j] = own * x[row + j] + common * shared[j];
            }
        }
    }

    private void ensureCapacity(Dtype dtype, int batch, int width, int maxFan) {
        int n = batch * width;
        int inN = batch * maxFan;
        if (x.length < inN) {
            x = new double[inN];
        }
        if (z.length < inN) {
            z = new double[inN];
        }
        if (pre.length < n) {
            pre = new double[n];
        }
        if (weights.length < maxFan * width) {
            weights = new double[maxFan * width];
        }
        if (bias.length < width) {
            bias = new double[width];
        }
        if (dtype == Dtype.FLOAT32) {
            if (xf.length < inN) {
                xf = new float[inN];
                zf = new float[inN];
            }
            if (pref.length < n) {
                pref = new float[n];
            }
            if (weightsF.length < maxFan * width) {
                weightsF = new float[maxFan * width];
            }
        }
    }

    /** Bytes of working memory a square float64 chain of this shape needs: three batch × width buffers, the weights and the bias. */
    public static long workingBytes(int batch, int width) {
        return 8L * (3L * batch * width + (long) width * width + width);
    }

    /** Bytes of working memory a chain needs, for its dtype and input width (and the unit network's product). */
    public static long workingBytes(ChainParams p) {
        long maxFan = Math.max(p.width(), p.inputWidth());
        long n = (long) p.batch() * p.width();
        long inN = (long) p.batch() * maxFan;
        long w = maxFan * p.width();
        long doubles = 2L * inN + n + w + p.width() + (p.scalesUnitNetwork() ? n : 0L);
        long floats = p.dtype() == Dtype.FLOAT32 ? 2L * inN + n + w : 0L;
        return 8L * doubles + 4L * floats + GradientPass.workingBytes(p) + (p.stats().gradients() == null ? 0 : 8L * p.width());
    }
}
