package io.initsweep.sim;

/**
 * {@link Training} in float32, the training run of a float32 network as PyTorch makes it on
 * float32 tensors: the weights, biases, readout and readout bias, their gradients, the optimizer's
 * state ({@link Optimizer#float32}), the inputs, the pre-activations, the activations, the outputs
 * and the δ's are float32, and the products are SGEMMs. The task, the losses, the sample order, the
 * recording, the divergence rule and the result are {@link Training}'s (its class comment), shared
 * through {@link TrainingLoop}.
 *
 * <p><b>Rounding.</b> The network's parameters, the readout, the data's inputs and regression
 * targets are rounded to float32 once, on construction (a float32 chain's values are float32
 * already, so theirs do not move); the trainer keeps its own float32 copies, and the caller's
 * arrays are not modified. Then, as {@link Backward#layer32} does:
 * <ul>
 *   <li>A_l = X_{l−1}·W_l + b_l by SGEMM; X_l = φ(A_l) evaluated in float64 from A_l widened
 *       (exact) by {@link Kernels#apply} and rounded once to float32;
 *   <li>δ_{l−1} = φ'(A_{l−1}) ⊙ (δ_l·W_lᵀ): the float32 product widened, multiplied by φ' in
 *       float64 ({@link Activation#multiplyDerivative}, from the float64 φ(A_{l−1}) where φ' is a
 *       function of φ) and rounded once;
 *   <li>an activation whose φ and φ' are exact in float32 ({@link Activation#exactInFloat32}:
 *       relu) skips the widening: X_l = φ(A_l) and δ_{l−1} = φ'(A_{l−1}) ⊙ (δ_l·W_lᵀ) in float32
 *       from X_{l−1}, the same bits ({@link Activation#applyFloat32},
 *       {@link Activation#multiplyDerivativeFloat32});
 *   <li>∂L/∂W_l = X_{l−1}ᵀ·δ_l·(1/B) and ∂L/∂R by SGEMM, with 1/B rounded to float32;
 *   <li>∂L/∂b_l and ∂L/∂r0, the column means of δ_l and e, are summed in float64 and rounded once;
 *   <li>the losses and the per-sample error e at the outputs are computed in float64 from the
 *       float32 outputs ŷ (widened) against the float32 targets; e is rounded once to float32.
 *       The norms (grad_norm, update_ratio) are float64 sums of float32 values.
 * </ul>
 * PyTorch computes the loss, e and the column sums in float32; the float64 ones here differ from
 * them by float32 rounding only.
 *
 * <p><b>Memory</b> (allocated by the constructor; a step allocates nothing): the float32 copies
 * of the parameters and the data's inputs, per layer A_l and φ(A_l) in float64 (not where exact
 * in float32) and X_l in float32 for one minibatch (20·batch·Σ width_l bytes; 4·batch·Σ width_l
 * where exact in float32), one float32 batch × max width product
 * buffer, two float32 δ buffers and one float64 one, the float32 gradients and optimizer state,
 * the evaluation buffers and the records.
 */
public final class Training32 extends TrainingLoop<float[]> {
    private final int[] widths;
    private final float[][] weights;
    private final float[][] biases;
    private final float[] readout;
    private final float[] readoutBias;
    private final Optimizer optimizer;

    // minibatch: A_l widened and φ(A_l) unrounded per layer (φ' needs them), X_l in float32
    /**
     * φ and φ' computed in float32 ({@link Activation#exactInFloat32}), the bits of the float64
     * route rounded once, without widening; A_l and φ(A_l) are then not kept in float64 (pre and
     * phi are null).
     */
    private final boolean float32Exact;
    private final double[][] pre;
    private final double[][] phi;
    private final float[][] post;
    /** evalRows × max width: an SGEMM's A_l before widening. */
    private final float[] af;
    private final float[] out32;
    private final float[] delta;
    private final float[] next;
    private final double[] wide;
    // gradients
    private final float[][] weightGrad;
    private final float[][] biasGrad;
    private final float[] readoutGrad;
    private final float[] readoutBiasGrad;
    private final double[] meanScratch;
    // evaluation
    private final double[][] evalPre;
    private final double[][] evalPhi;
    private final float[][] evalPost;
    private final float[] eout32;

    /** Trains a float32 copy of {@code net} and {@code readout} in place; returns the record. */
    public static TrainingResult train(Backward.Network net, double[] readout, Training.Dataset data,
            Training.Config config) {
        return new Training32(net, readout, data, config).run();
    }

    /**
     * A float32 trainer for {@code net} and {@code readout} (width_L × outputs) on {@code data},
     * from their values rounded to float32; allocates every buffer. The readout bias starts at zero.
     */
    public Training32(Backward.Network net, double[] readout, Training.Dataset data, Training.Config config) {
        this(net, readout, data, config, net.activation().exactInFloat32(net.param()));
    }

    /**
     * @param float32Exact φ and φ' in float32 (only where {@link Activation#exactInFloat32}); false:
     *        the float64 route for every activation
     */
    Training32(Backward.Network net, double[] readout, Training.Dataset data, Training.Config config, boolean float32Exact) {
        super(net, readout, data, config, float[]::new, toFloat(data.trainX()), toFloat(data.testX()), true);
        Check.argument(!float32Exact || net.activation().exactInFloat32(net.param()),
                "%s is not exact in float32", net.activation().id());
        this.float32Exact = float32Exact;
        widths = net.widths().clone();
        weights = new float[depth][];
        biases = biased ? new float[depth][] : null;
        this.readout = toFloat(readout);
        readoutBias = new float[outputs];
        pre = new double[depth][];
        phi = new double[depth][];
        post = new float[depth][];
        weightGrad = new float[depth][];
        biasGrad = new float[depth][];
        int[] sizes = new int[2 * depth + 2];
        for (int l = 1; l <= depth; l++) {
            final int wn = Math.multiplyExact(widths[l - 1], widths[l]);
            weights[l - 1] = new float[wn];
            for (int k = 0; k < wn; k++) {
                weights[l - 1][k] = (float) net.weights()[l - 1][k];
            }
            if (biased) {
                biases[l - 1] = new float[widths[l]];
                for (int j = 0; j < widths[l]; j++) {
                    biases[l - 1][j] = (float) net.biases()[l - 1][j];
                }
            }
            final int n = Math.multiplyExact(batch, widths[l]);
            if (!float32Exact) {
                pre[l - 1] = new double[n];
                phi[l - 1] = new double[n];
            }
            post[l - 1] = new float[n];
            weightGrad[l - 1] = new float[wn];
            biasGrad[l - 1] = new float[widths[l]];
            sizes[2 * (l - 1)] = wn;
            sizes[2 * (l - 1) + 1] = biased ? widths[l] : 0;
        }
        sizes[2 * depth] = widthL * outputs;
        sizes[2 * depth + 1] = outputs;
        optimizer = Optimizer.float32(config.optimizer(), sizes);
        af = new float[Math.multiplyExact(evalRows, maxWidth)];
        out32 = new float[out.length];
        delta = new float[Math.multiplyExact(batch, maxWidth)];
        next = new float[delta.length];
        wide = new double[delta.length];
        readoutGrad = new float[widthL * outputs];
        readoutBiasGrad = new float[outputs];
        meanScratch = new double[Math.max(maxWidth, outputs)];

        double[] ea = new double[af.length];
        double[] ez = new double[af.length];
        float[] ez1 = new float[af.length];
        float[] ez2 = new float[af.length];
        evalPre = new double[depth][];
        evalPhi = new double[depth][];
        evalPost = new float[depth][];
        for (int l = 0; l < depth; l++) {
            evalPre[l] = ea;
            evalPhi[l] = ez;
            evalPost[l] = l % 2 == 0 ? ez1 : ez2;
        }
        eout32 = new float[eout.length];
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** W_l in float32 (widths[l−1] × widths[l]), trained in place; the live array. */
    public float[] weights(int layer) {
        return weights[layer - 1];
    }

    /** The readout R in float32, trained in place; the live array. */
    public float[] readout() {
        return readout;
    }

    /** The readout bias r0 in float32; zeros before the first step. */
    public float[] readoutBias() {
        return readoutBias;
    }

    /** ∂L/∂W_l of the last gradient (float32); the live buffer. */
    public float[] weightGradient(int layer) {
        return weightGrad[layer - 1];
    }

    // ------------------------------------------------------------ one step

    @Override
    double gradient(float[] x, double[] targets, int[] labels, int rows) {
        forward(x, rows, pre, phi, post, out32, null);
        final int no = rows * outputs;
        Kernels.widen(out32, out, no);
        final double loss = lossAndError(out, targets, labels, 0, rows, true, null) / rows;
        for (int i = 0; i < no; i++) {
            out32[i] = (float) out[i];
        }
        final float inv = (float) (1.0 / rows);
        Gemm.multiplyTransposedLeft(post[depth - 1], out32, readoutGrad, widthL, rows, outputs, inv, 0f);
        columnMean(out32, rows, outputs, readoutBiasGrad);
        Gemm.multiplyTransposedRight(out32, readout, next, rows, outputs, widthL, 1f, 0f);
        multiplyDerivative(next, depth, rows * widthL, delta);
        float[] dl = delta;
        float[] dn = next;
        for (int l = depth; l >= 1; l--) {
            final int fanIn = widths[l - 1];
            final int width = widths[l];
            final float[] in = l == 1 ? x : post[l - 2];
            Gemm.multiplyTransposedLeft(in, dl, weightGrad[l - 1], fanIn, rows, width, inv, 0f);
            if (biased) {
                columnMean(dl, rows, width, biasGrad[l - 1]);
            }
            if (l > 1) {
                Gemm.multiplyTransposedRight(dl, weights[l - 1], dn, rows, width, fanIn, 1f, 0f);
                multiplyDerivative(dn, l - 1, rows * fanIn, dn);
                float[] tmp = dl;
                dl = dn;
                dn = tmp;
            }
        }
        return loss;
    }

    /** d = round(φ'(A_l) ⊙ widen(p)) for p, the float32 product δ·Wᵀ at layer l's units ({@code d} may be {@code p}). */
    private void multiplyDerivative(float[] p, int layer, int n, float[] d) {
        if (float32Exact) {
            act.multiplyDerivativeFloat32(param, post[layer - 1], p, d, n);
            return;
        }
        Kernels.widen(p, wide, n);
        act.multiplyDerivative(param, pre[layer - 1], phi[layer - 1], wide, n);
        for (int i = 0; i < n; i++) {
            d[i] = (float) wide[i];
        }
    }

    /** out[j] = Σ_s z[s, j] / rows, summed in float64 and rounded once. */
    private void columnMean(float[] z, int rows, int cols, float[] mean) {
        final double[] m = meanScratch;
        java.util.Arrays.fill(m, 0, cols, 0.0);
        for (int s = 0; s < rows; s++) {
            Kernels.addWidened(z, s * cols, m, cols);
        }
        for (int j = 0; j < cols; j++) {
            mean[j] = (float) (m[j] / rows);
        }
    }

    @Override
    boolean gradientNonfinite() {
        boolean bad = false;
        for (int l = 0; l < depth; l++) {
            gradSq[l] = squaredNorm(weightGrad[l], weightGrad[l].length);
            bad |= !Double.isFinite(gradSq[l]) || !allFinite(biasGrad[l], biased ? widths[l + 1] : 0);
        }
        return bad || !allFinite(readoutGrad, readoutGrad.length) || !allFinite(readoutBiasGrad, outputs);
    }

    @Override
    void applyUpdate() {
        optimizer.beginStep();
        for (int l = 0; l < depth; l++) {
            final float[] w = weights[l];
            weightSq[l] = squaredNorm(w, w.length);
            updateSq[l] = optimizer.update(2 * l, w, weightGrad[l]);
            if (biased) {
                optimizer.update(2 * l + 1, biases[l], biasGrad[l]);
            }
        }
        optimizer.update(2 * depth, readout, readoutGrad);
        optimizer.update(2 * depth + 1, readoutBias, readoutBiasGrad);
    }

    // ------------------------------------------------------------ forward

    @Override
    void forwardEval(int rows) {
        forward(ex, rows, evalPre, evalPhi, evalPost, eout32, null);
        Kernels.widen(eout32, eout, rows * outputs);
    }

    @Override
    void distinctUnits(int[] distinct) {
        forward(ex, symmetryRows, evalPre, evalPhi, evalPost, null, distinct);
    }

    /**
     * A_l = X_{l−1}·W_l + b_l by SGEMM, widened into preBuf[l−1]; φ(A_l) in float64 into
     * phiBuf[l−1] and X_l, its float32 rounding, into postBuf[l−1] (l = 1..L); then, when {@code y}
     * is not null, ŷ = X_L·R + r0 into it. With {@code distinct}, each layer's distinct units
     * (of X_l's bits) into it. preBuf and phiBuf entries may alias each other, postBuf entries
     * every other layer's.
     */
    private void forward(float[] x0, int rows, double[][] preBuf, double[][] phiBuf, float[][] postBuf, float[] y,
            int[] distinct) {
        float[] in = x0;
        for (int l = 1; l <= depth; l++) {
            final int fanIn = widths[l - 1];
            final int width = widths[l];
            final int n = rows * width;
            if (biased) {
                for (int s = 0; s < rows; s++) {
                    System.arraycopy(biases[l - 1], 0, af, s * width, width);
                }
            }
            Gemm.multiplyAdd(in, weights[l - 1], af, rows, fanIn, width, 1f, biased ? 1f : 0f);
            final float[] x = postBuf[l - 1];
            if (float32Exact && distinct == null) {
                act.applyFloat32(param, af, x, n);
                in = x;
                continue;
            }
            final double[] a = preBuf[l - 1];
            final double[] z = phiBuf[l - 1];
            Kernels.widen(af, a, n);
            Kernels.apply(act, param, a, z, n);
            if (distinct == null) {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) z[i];
                }
            } else {
                Kernels.roundToFloat(z, x, n);
                distinct[l - 1] = Symmetry.distinctColumns(z, rows, width, symmetryScratch, Symmetry.tolerance(Dtype.FLOAT32));
            }
            in = x;
        }
        if (y != null) {
            for (int s = 0; s < rows; s++) {
                System.arraycopy(readoutBias, 0, y, s * outputs, outputs);
            }
            Gemm.multiplyAdd(in, readout, y, rows, widthL, outputs, 1f, 1f);
        }
    }
}
