package io.initsweep.sim;

import java.util.Arrays;
import java.util.Objects;

/**
 * The backward pass through a plain MLP at initialization: where its gradients vanish or explode,
 * the backward counterpart of {@link ForwardPass}.
 *
 * <p>The network: for l = 1..L, A_l = X_{l−1}·W_l + 1·b_lᵀ and X_l = φ(A_l), with X_0 the
 * batch × width_0 input and W_l the row-major width_{l−1} × width_l matrix {@link Weights} fills
 * (the layout ForwardPass uses). {@link #run} recomputes and keeps the pre-activations A_1..A_L
 * from X_0 (the caller hands in X_0, not the A's), then goes back down.
 *
 * <p>Two losses, both batch means:
 * <ul>
 *   <li>{@link ErrorMode#NORMAL}: L = (1/batch)·Σ_{s,j} E[s,j]·A_L[s,j] for a fixed error matrix E
 *       the caller draws i.i.d. N(0, 1) from its own stream, so ∂L/∂A_L = E / batch and the
 *       per-sample error at the last pre-activation is δ_L = E itself: E[δ_L²] = 1.
 *   <li>{@link ErrorMode#MSE}: a linear readout R (width_L × outputs) and targets Y (batch ×
 *       outputs), e.g. a teacher network's outputs: L = (1/(2·batch))·Σ (X_L·R − Y)², so
 *       δ_L = φ'(A_L) ⊙ ((X_L·R − Y)·Rᵀ).
 * </ul>
 * Then δ_l = φ'(A_l) ⊙ (δ_{l+1}·W_{l+1}ᵀ), ∂L/∂W_l = X_{l−1}ᵀ·δ_l / batch and ∂L/∂b_l =
 * Σ_batch δ_l / batch. δ is always the per-sample error, batch · ∂L/∂A_l (see
 * {@link GradientResult}); φ' is {@link Activation#derivative}, PyTorch's choice at kinks.
 *
 * <p>Memory ({@link #workingBytes}): the L pre-activations, batch·Σ width_l doubles, plus three
 * batch × max width buffers (δ, the next δ, X_{l−1} recomputed as φ(A_{l−1}) when its weight
 * gradient is formed) and one max fan_in × max width buffer for ∂L/∂W_l; MSE adds batch × outputs.
 * Cost: a forward pass (one GEMM per layer) and two GEMMs per layer backward (δ·Wᵀ and Xᵀ·δ), the
 * first layer's δ·Wᵀ excepted, plus two activation passes (forward, and X_{l−1} again) and one
 * derivative pass per layer. φ runs through {@link Kernels#apply} (the same bits on either route);
 * φ' through {@link Activation#multiplyDerivative}, which reuses X_{l−1} = φ(A_{l−1}) where φ' is a
 * function of φ (tanh, sigmoid).
 *
 * <p>Buffers are allocated once per instance, grown as needed and reused; an instance is not
 * thread-safe (one per task).
 */
public final class Backward {
    /** The error signal at the last layer. */
    public enum ErrorMode implements SpecName {
        /** δ_L ~ N(0, 1) i.i.d., drawn by the caller. */
        NORMAL("normal"),
        /** Squared error of a linear readout against targets. */
        MSE("mse");

        private final String id;

        ErrorMode(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        /** Looks up a mode by its spec name; null if unknown. */
        public static ErrorMode byId(String id) {
            return SpecName.byId(values(), id);
        }
    }

    /**
     * A plain MLP: {@code widths[0]} inputs, layer l (1..L) of {@code widths[l]} units with weights
     * {@code weights[l − 1]} (row-major widths[l−1] × widths[l]) and bias {@code biases[l − 1]}
     * (widths[l] values), or no bias at all when {@code biases} is null. The arrays are used as
     * given, not copied.
     *
     * @param param the activation's parameter (NaN when it takes none)
     */
    public record Network(Activation activation, double param, int[] widths, double[][] weights, double[][] biases) {
        public Network {
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(widths, "widths");
            Objects.requireNonNull(weights, "weights");
            Check.argument(widths.length >= 2, "widths must list the input and at least one layer, found %s",
                    widths.length);
            Check.argument(weights.length == widths.length - 1, "weights must hold one matrix per layer (%s), found %s",
                    widths.length - 1, weights.length);
            Check.argument(biases == null || biases.length == weights.length,
                    "biases must hold one vector per layer (%s), found %s", weights.length,
                    biases == null ? 0 : biases.length);
            for (int l = 0; l < widths.length; l++) {
                Check.argument(widths[l] >= 1, "widths[%s] must be >= 1, found %s", l, widths[l]);
            }
            for (int l = 1; l < widths.length; l++) {
                Check.argument(weights[l - 1] != null && weights[l - 1].length >= (long) widths[l - 1] * widths[l],
                        "weights[%s] must hold %s × %s values, found %s", l - 1, widths[l - 1], widths[l],
                        weights[l - 1] == null ? 0 : weights[l - 1].length);
                Check.argument(biases == null || (biases[l - 1] != null && biases[l - 1].length >= widths[l]),
                        "biases[%s] must hold %s values", l - 1, widths[l]);
            }
        }

        /** L, the number of layers. */
        public int depth() {
            return weights.length;
        }

        /** width_l for l = 0..L (0: the input). */
        public int width(int l) {
            return widths[l];
        }

        int maxWidth() {
            return Arrays.stream(widths).max().orElseThrow();
        }

        int maxFanIn() {
            return Arrays.stream(widths, 0, widths.length - 1).max().orElseThrow();
        }
    }

    private double[][] pre = new double[0][];
    private double[] delta = new double[0];
    private double[] next = new double[0];
    private double[] xs = new double[0];
    private double[] weightGrad = new double[0];
    private double[] biasGrad = new double[0];
    private double[] readoutOut = new double[0];

    /**
     * Backward pass under {@link ErrorMode#NORMAL}.
     *
     * @param x0 the input, row-major batch × width_0; not modified
     * @param errors δ_L, row-major batch × width_L, i.i.d. N(0, 1) from the caller's stream; not modified
     * @param weightGrads when not null, ∂L/∂W_l is copied into weightGrads[l − 1] (widths[l−1] × widths[l])
     * @param biasGrads when not null, ∂L/∂b_l is copied into biasGrads[l − 1]
     */
    public GradientResult runNormal(Network net, double[] x0, int batch, double[] errors, double[][] weightGrads,
            double[][] biasGrads) {
        Objects.requireNonNull(errors, "errors");
        Check.argument(errors.length >= (long) batch * net.width(net.depth()),
                "errors must hold batch × width_L = %s values, found %s", (long) batch * net.width(net.depth()),
                errors.length);
        return run(net, x0, batch, ErrorMode.NORMAL, errors, null, 0, null, weightGrads, biasGrads);
    }

    /**
     * Backward pass under {@link ErrorMode#MSE}.
     *
     * @param readout R, row-major width_L × outputs; not modified
     * @param targets Y, row-major batch × outputs; not modified
     */
    public GradientResult runMse(Network net, double[] x0, int batch, double[] readout, int outputs, double[] targets,
            double[][] weightGrads, double[][] biasGrads) {
        Objects.requireNonNull(readout, "readout");
        Objects.requireNonNull(targets, "targets");
        Check.argument(outputs >= 1, "outputs must be >= 1, found %s", outputs);
        Check.argument(readout.length >= (long) net.width(net.depth()) * outputs,
                "readout must hold width_L × outputs = %s values, found %s", (long) net.width(net.depth()) * outputs,
                readout.length);
        Check.argument(targets.length >= (long) batch * outputs, "targets must hold batch × outputs = %s values, found %s",
                (long) batch * outputs, targets.length);
        return run(net, x0, batch, ErrorMode.MSE, null, readout, outputs, targets, weightGrads, biasGrads);
    }

    private GradientResult run(Network net, double[] x0, int batch, ErrorMode mode, double[] errors, double[] readout,
            int outputs, double[] targets, double[][] weightGrads, double[][] biasGrads) {
        Objects.requireNonNull(x0, "x0");
        Check.argument(batch >= 1, "batch must be >= 1, found %s", batch);
        Check.argument(x0.length >= (long) batch * net.width(0), "x0 must hold batch × width_0 = %s values, found %s",
                (long) batch * net.width(0), x0.length);
        final int depth = net.depth();
        ensureCapacity(net, batch, outputs);
        forward(net, x0, batch);

        final Activation act = net.activation();
        final double param = net.param();
        final int widthL = net.width(depth);
        final int nL = batch * widthL;
        final double[] aL = pre[depth - 1];
        GradientResult result = new GradientResult(depth);
        result.loss = lastLayerError(mode, act, param, aL, batch, widthL, errors, readout, outputs, targets, delta, xs,
                readoutOut);

        for (int l = depth; l >= 1; l--) {
            final int fanIn = net.width(l - 1);
            final int width = net.width(l);
            layer(act, param, delta, l == 1 ? null : pre[l - 2], l == 1 ? x0 : xs, net.weights()[l - 1], batch, fanIn,
                    width, weightGrad, biasGrad, next, result, l - 1);
            if (weightGrads != null) {
                System.arraycopy(weightGrad, 0, weightGrads[l - 1], 0, fanIn * width);
            }
            if (biasGrads != null) {
                System.arraycopy(biasGrad, 0, biasGrads[l - 1], 0, width);
            }
            if (l > 1) {
                double[] t = delta;
                delta = next;
                next = t;
            }
        }

        summarize(result);
        return result;
    }

    /**
     * δ_L, the per-sample error at the last layer's pre-activation {@code aL} (batch × widthL), into
     * {@code delta}; returns the batch-mean loss. NORMAL: δ_L = errors, L = Σ errors·A_L / batch.
     * MSE: δ_L = φ'(A_L) ⊙ ((φ(A_L)·R − Y)·Rᵀ), L = Σ (φ(A_L)·R − Y)² / (2·batch), with
     * {@code xs} (batch × widthL) and {@code readoutOut} (batch × outputs) as scratch.
     */
    static double lastLayerError(ErrorMode mode, Activation act, double param, double[] aL, int batch, int widthL,
            double[] errors, double[] readout, int outputs, double[] targets, double[] delta, double[] xs,
            double[] readoutOut) {
        final int nL = batch * widthL;
        switch (mode) {
            case NORMAL -> {
                double loss = 0;
                for (int i = 0; i < nL; i++) {
                    delta[i] = errors[i];
                    loss += errors[i] * aL[i];
                }
                return loss / batch;
            }
            case MSE -> {
                Kernels.apply(act, param, aL, xs, nL);
                Gemm.multiply(xs, readout, readoutOut, batch, widthL, outputs, 1.0);
                double ss = 0;
                for (int i = 0, n = batch * outputs; i < n; i++) {
                    double r = readoutOut[i] - targets[i];
                    readoutOut[i] = r;
                    ss += r * r;
                }
                Gemm.multiplyTransposedRight(readoutOut, readout, delta, batch, outputs, widthL, 1.0, 0.0);
                act.multiplyDerivative(param, aL, xs, delta, nL);
                return ss / (2.0 * batch);
            }
            default -> throw new IllegalArgumentException("unknown error mode " + mode);
        }
    }

    /** The per-network figures of a result whose layers are filled: gradRatio, gradFirstOverLast, chi1Measured. */
    static void summarize(GradientResult result) {
        final int depth = result.depth;
        for (int l = 0; l < depth - 1; l++) {
            result.gradRatio[l] = result.gradSqMean[l] / result.gradSqMean[l + 1];
        }
        result.gradRatio[depth - 1] = Double.NaN;
        result.gradFirstOverLast = result.weightGradNorm[0] / result.weightGradNorm[depth - 1];
        result.chi1Skip = depth < 2 ? 0 : Math.min(GradientResult.CHI1_SKIP, depth - 2);
        result.chi1Measured = chi1(result.gradRatio, result.chi1Skip, depth - 2);
    }

    /**
     * One layer of the backward pass, given δ_l (batch × width, per-sample): its statistics into
     * {@code result} at index {@code index}; ∂L/∂W_l = X_{l−1}ᵀ·δ_l / batch into {@code weightGrad}
     * (fanIn × width) and ∂L/∂b_l = Σ_batch δ_l / batch into {@code biasGrad}; and, unless this is
     * the first layer, δ_{l−1} = φ'(A_{l−1}) ⊙ (δ_l·W_lᵀ) into {@code next} (batch × fanIn).
     *
     * @param prevPre A_{l−1} (batch × fanIn), or null for the first layer: then {@code in} is X_0 and
     *     no δ_{l−1} is formed
     * @param in X_0 for the first layer; otherwise a batch × fanIn buffer that receives X_{l−1} = φ(A_{l−1})
     * @param w W_l (fanIn × width); not modified
     */
    public static void layer(Activation act, double param, double[] delta, double[] prevPre, double[] in, double[] w,
            int batch, int fanIn, int width, double[] weightGrad, double[] biasGrad, double[] next,
            GradientResult result, int index) {
        observe(delta, batch * width, result, index);
        if (prevPre != null) {
            Kernels.apply(act, param, prevPre, in, batch * fanIn);
        }
        Gemm.multiplyTransposedLeft(in, delta, weightGrad, fanIn, batch, width, 1.0 / batch, 0.0);
        final int wn = fanIn * width;
        result.weightGradNorm[index] = norm(weightGrad, wn);
        result.weightGradRatio[index] = result.weightGradNorm[index] / norm(w, wn);
        biasGradient(delta, batch, width, biasGrad, result, index);
        if (prevPre != null) {
            Gemm.multiplyTransposedRight(delta, w, next, batch, width, fanIn, 1.0, 0.0);
            act.multiplyDerivative(param, prevPre, in, next, batch * fanIn);
        }
    }

    /**
     * {@link #layer} in float32 arithmetic, the backward pass of a float32 network: δ, X_{l−1}, W_l,
     * ∂L/∂W_l and δ_{l−1} are float32 and both products are SGEMMs. A_{l−1} comes widened to float64
     * (exact); X_{l−1} = φ(A_{l−1}) is evaluated in float64 and rounded to float32, the bits the
     * float32 forward pass used; δ_{l−1} = φ'(A_{l−1}) ⊙ (δ_l·W_lᵀ) is formed in float64 from the
     * float32 product and rounded once. The statistics, norms and ∂L/∂b_l are float64 sums of the
     * float32 values.
     *
     * @param z scratch of batch × fanIn doubles (φ(A_{l−1}) before rounding)
     * @param d scratch of batch × max(width, fanIn) doubles
     */
    public static void layer32(Activation act, double param, float[] delta, double[] prevPre, float[] in, float[] w,
            int batch, int fanIn, int width, float[] weightGrad, double[] biasGrad, float[] next, GradientResult result,
            int index, double[] z, double[] d) {
        final int n = batch * width;
        for (int i = 0; i < n; i++) {
            d[i] = delta[i];
        }
        observe(d, n, result, index);
        final int m = batch * fanIn;
        if (prevPre != null) {
            Kernels.apply(act, param, prevPre, z, m);
            for (int i = 0; i < m; i++) {
                in[i] = (float) z[i];
            }
        }
        Gemm.multiplyTransposedLeft(in, delta, weightGrad, fanIn, batch, width, (float) (1.0 / batch), 0f);
        final int wn = fanIn * width;
        result.weightGradNorm[index] = norm(weightGrad, wn);
        result.weightGradRatio[index] = result.weightGradNorm[index] / norm(w, wn);
        biasGradient(d, batch, width, biasGrad, result, index);
        if (prevPre != null) {
            Gemm.multiplyTransposedRight(delta, w, next, batch, width, fanIn, 1f, 0f);
            for (int i = 0; i < m; i++) {
                d[i] = next[i];
            }
            act.multiplyDerivative(param, prevPre, z, d, m);
            for (int i = 0; i < m; i++) {
                next[i] = (float) d[i];
            }
        }
    }

    /** ∂L/∂b = Σ_batch δ / batch into {@code biasGrad}, and its norm into the result. */
    private static void biasGradient(double[] delta, int batch, int width, double[] biasGrad, GradientResult result,
            int index) {
        Arrays.fill(biasGrad, 0, width, 0.0);
        for (int s = 0; s < batch; s++) {
            for (int j = 0, o = s * width; j < width; j++) {
                biasGrad[j] += delta[o + j];
            }
        }
        for (int j = 0; j < width; j++) {
            biasGrad[j] /= batch;
        }
        result.biasGradNorm[index] = norm(biasGrad, width);
    }

    /** A_l for every layer into {@link #pre}, X ping-ponging between {@link #xs} and {@link #next}. */
    private void forward(Network net, double[] x0, int batch) {
        double[] in = x0;
        for (int l = 1; l <= net.depth(); l++) {
            final int fanIn = net.width(l - 1);
            final int width = net.width(l);
            final double[] a = pre[l - 1];
            final boolean biased = net.biases() != null;
            if (biased) {
                for (int s = 0; s < batch; s++) {
                    System.arraycopy(net.biases()[l - 1], 0, a, s * width, width);
                }
            }
            Gemm.multiplyAdd(in, net.weights()[l - 1], a, batch, fanIn, width, 1.0, biased ? 1.0 : 0.0);
            if (l < net.depth()) {
                double[] out = in == xs ? next : xs;
                Kernels.apply(net.activation(), net.param(), a, out, batch * width);
                in = out;
            }
        }
    }

    /** Binary exponents of the edges' range: |δ| in [2^e, 2^(e+1)) starts its bin search at BIN_OF_EXP[e − EXP_LO]. */
    private static final int EXP_LO = Math.getExponent(GradientResult.LOG_EDGES[0]);
    private static final int[] BIN_OF_EXP = binOfExponent();

    /** For each binary exponent e of the edges' range, the bin of 2^e (−1 below the first edge). */
    private static int[] binOfExponent() {
        final double[] edges = GradientResult.LOG_EDGES;
        int hi = Math.getExponent(edges[GradientResult.LOG_BINS]);
        int[] bins = new int[hi - EXP_LO + 1];
        for (int e = EXP_LO; e <= hi; e++) {
            double v = Math.scalb(1.0, e);
            int b = -1;
            while (b + 1 <= GradientResult.LOG_BINS && v >= edges[b + 1]) {
                b++;
            }
            bins[e - EXP_LO] = b;
        }
        return bins;
    }

    /**
     * grad_sq_mean, non-finite count and the log10|δ| histogram of δ[0..n) into layer {@code layer}.
     * An entry's bin comes from comparisons with {@link GradientResult#LOG_EDGES}: its binary exponent
     * picks the bin of the power of two below it, and one more comparison settles it (an octave,
     * 0.301 decades, is narrower than a bin's half decade). No logarithm is taken.
     */
    private static void observe(double[] d, int n, GradientResult r, int layer) {
        final double[] edges = GradientResult.LOG_EDGES;
        final double lo = edges[0];
        final double hi = edges[GradientResult.LOG_BINS];
        final long[] counts = r.logHistCounts;
        final int base = layer * GradientResult.LOG_BINS;
        double ss = 0;
        long nonfinite = 0;
        long under = 0;
        long over = 0;
        for (int i = 0; i < n; i++) {
            double v = d[i];
            ss += v * v;
            double m = Math.abs(v);
            if (m < lo) {
                under++; // exact zeros too
            } else if (m >= hi) {
                if (m == Double.POSITIVE_INFINITY) {
                    nonfinite++;
                } else {
                    over++;
                }
            } else if (m != m) {
                nonfinite++;
            } else {
                int b = BIN_OF_EXP[Math.getExponent(m) - EXP_LO];
                if (m >= edges[b + 1]) {
                    b++;
                }
                counts[base + b]++;
            }
        }
        r.gradSqMean[layer] = ss / n;
        r.gradNonfinite[layer] = nonfinite;
        r.logHistUnderflow[layer] = under;
        r.logHistOverflow[layer] = over;
    }

    /** exp(mean ln ratio[from..to]); NaN for an empty range. */
    static double chi1(double[] ratio, int from, int to) {
        if (to < from) {
            return Double.NaN;
        }
        double sum = 0;
        for (int l = from; l <= to; l++) {
            sum += Math.log(ratio[l]);
        }
        return Math.exp(sum / (to - from + 1));
    }

    private static double norm(float[] v, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double x = v[i];
            ss += x * x;
        }
        return Math.sqrt(ss);
    }

    private static double norm(double[] v, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += v[i] * v[i];
        }
        return Math.sqrt(ss);
    }

    private void ensureCapacity(Network net, int batch, int outputs) {
        final int depth = net.depth();
        if (pre.length < depth) {
            pre = Arrays.copyOf(pre, depth);
        }
        for (int l = 1; l <= depth; l++) {
            int n = Math.multiplyExact(batch, net.width(l));
            if (pre[l - 1] == null || pre[l - 1].length < n) {
                pre[l - 1] = new double[n];
            }
        }
        int maxN = Math.multiplyExact(batch, net.maxWidth());
        if (delta.length < maxN) {
            delta = new double[maxN];
            next = new double[maxN];
            xs = new double[maxN];
        }
        int wn = Math.multiplyExact(net.maxFanIn(), net.maxWidth());
        if (weightGrad.length < wn) {
            weightGrad = new double[wn];
        }
        if (biasGrad.length < net.maxWidth()) {
            biasGrad = new double[net.maxWidth()];
        }
        if (readoutOut.length < (long) batch * outputs) {
            readoutOut = new double[Math.multiplyExact(batch, outputs)];
        }
    }

    /**
     * Bytes of working memory a square float64 network of this shape needs under
     * {@link ErrorMode#NORMAL} (input width = width): the {@code depth} pre-activations, three
     * batch × width buffers, the weight gradient and the bias gradient. The caller's input, errors
     * and weights are not counted; MSE adds 8·batch·outputs.
     */
    public static long workingBytes(int batch, int width, int depth) {
        long n = (long) batch * width;
        return 8L * ((long) depth * n + 3L * n + (long) width * width + width);
    }
}
