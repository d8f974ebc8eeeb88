package io.initsweep.sim;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a student MLP from its initialization by minibatch gradient descent and records how the
 * losses, gradients and unit symmetry evolve: the "is this init trainable" kernel, pure Java and
 * float64. {@link Training32} is the same run in float32; the loop, the sample order, the losses
 * and the records both share live in {@link TrainingLoop}.
 *
 * <p><b>The student.</b> The given {@link Backward.Network} (A_l = X_{l−1}·W_l + 1·b_lᵀ,
 * X_l = φ(A_l), row-major, as in {@link Backward}) followed by a linear readout
 * ŷ = X_L·R + 1·r0ᵀ with R width_L × outputs (row-major) and r0 a bias of zeros created here.
 * Every W_l, every b_l (when the network has biases), R and r0 train. The caller draws R; the
 * project's rule is R ~ N(0, 1/width_L) i.i.d. ({@link #gaussianReadout}). The network's weight and
 * bias arrays and {@code readout} are updated in place.
 *
 * <p><b>Losses</b> (both means over the samples of the set or minibatch, B of them):
 * <ul>
 *   <li>{@link Kind#REGRESSION}: targets Y (B × outputs), L = (1/(2B))·Σ_{s,o} (ŷ_so − y_so)²,
 *       the normalisation of {@link Backward}'s MSE: half the squared error summed over outputs,
 *       averaged over samples. Per-sample error e = ŷ − y.
 *   <li>{@link Kind#CLASSIFICATION}: labels y_s ∈ [0, outputs), softmax cross-entropy
 *       L = (1/B)·Σ_s (lse(ŷ_s) − ŷ_{s,y_s}) with lse(z) = m + log1p(Σ_{j≠j*} e^{z_j − m}), m = z_{j*}
 *       the first maximum (numerically stable, exact for a clear winner); e_s = softmax(ŷ_s) −
 *       onehot(y_s). e^x and log1p are {@link DetMath}'s. Accuracy: share of samples whose first
 *       argmax equals the label.
 * </ul>
 * Gradients: ∂L/∂R = X_Lᵀ·e/B, ∂L/∂r0 = Σ_s e/B, δ_L = φ'(A_L) ⊙ (e·Rᵀ),
 * δ_{l−1} = φ'(A_{l−1}) ⊙ (δ_l·W_lᵀ), ∂L/∂W_l = X_{l−1}ᵀ·δ_l/B, ∂L/∂b_l = Σ_s δ_l/B (δ per
 * sample, as in {@link Backward}).
 *
 * <p><b>Sample order.</b> Epochs of ⌊n/batch⌋ minibatches (the n mod batch samples left over are
 * skipped that epoch, PyTorch's {@code drop_last=True}). At the start of every epoch the order is
 * reset to 0..n−1 and shuffled by Fisher–Yates: for i = n−1 down to 1, j = u mod (i + 1) with u
 * the next output of SplitMix64 read as an unsigned 64-bit integer, swap(order[i], order[j]).
 * SplitMix64: state ← state + 0x9E3779B97F4A7C15, z = state, z = (z ^ (z ≫ 30))·0xBF58476D1CE4E5B9,
 * z = (z ^ (z ≫ 27))·0x94D049BB133111EB, output z ^ (z ≫ 31) (all mod 2⁶⁴, ≫ logical); the state
 * starts at {@link Config#seed} and runs on across epochs. Step t (1-based) uses positions
 * [k·batch, (k+1)·batch) of its epoch's order, k = (t − 1) mod ⌊n/batch⌋, rows in that order.
 *
 * <p><b>Recording.</b> At each step t of {@link Config#record} (strictly increasing, from 0 to
 * {@link Config#steps}), with the weights after t updates (step 0 = the initialization):
 * train_loss and test_loss over the whole sets, accuracy (test) and train accuracy
 * (classification), per layer grad_norm = ‖∂L/∂W_l‖_F of the minibatch gradient at these weights —
 * the gradient step t + 1 applies; at t = steps, the gradient of the minibatch step steps + 1
 * would use, computed and not applied — update_ratio = ‖ΔW_l‖_F / ‖W_l‖_F of update t with W_l
 * the weights it was applied to (NaN at step 0), distinct_units = {@link Symmetry#distinctColumns}
 * of X_l on the first min(n, {@value #SYMMETRY_SAMPLES}) training samples (rows 0.. of trainX,
 * in the caller's order), and a nonfinite flag (a loss or gradient norm NaN or ±∞; an update ratio
 * is ∞ or NaN whenever W_l was all zeros, which is no fault and not flagged).
 * {@link #defaultRecord} gives the default list. distinct_units counts columns equal within
 * {@link Symmetry#tolerance} as one unit, so a symmetric (e.g. constant) init keeps 1 per layer
 * although BLAS kernels round a block's edge columns differently from the others.
 *
 * <p><b>Divergence.</b> With L0 the step-0 train loss: the run diverges at step t when the minibatch
 * loss or a gradient entry taken at step t's weights is non-finite, or the train loss is
 * non-finite or exceeds {@value #DIVERGENCE_FACTOR}·L0 (when L0 &gt; 0). The train loss is evaluated at every
 * recorded step and at every step whose minibatch loss exceeds {@value #DIVERGENCE_FACTOR}·L0 (a
 * minibatch that large is the trigger; the whole-set loss decides). Step t is then recorded (if
 * it was not due), the run stops, and the result says {@code diverged} at t. Nothing throws.
 *
 * <p><b>Trained.</b> Not diverged and final test loss ≤ {@value #TRAINED_FRACTION} × the test
 * loss of the trivial predictor fitted on the training set: regression, the constant prediction
 * ȳ = the training targets' mean (per output); classification, the constant distribution of the
 * training class frequencies (raw counts/n; a class seen in the test set but never in training
 * makes this baseline +∞, so that every finite test loss counts as trained).
 *
 * <p><b>Memory</b> (allocated by the constructor; a step allocates nothing): per layer A_l and
 * X_l for one minibatch (2·batch·Σ width_l doubles), the gathered minibatch input batch·width_0,
 * two batch × max width δ buffers, the outputs (overwritten by the errors) and, for regression,
 * the gathered targets (batch·outputs each), one gradient per
 * parameter (the size of the parameters), the optimizer's state (0, 1 or 2 × the parameters), the
 * sample order (n ints), evaluation buffers of E = max(batch, min(n, {@value #SYMMETRY_SAMPLES}))
 * rows (E·width_0 + 3·E·max width + E·outputs), and the records (records × (6 + 3·L)).
 * Cost per step: 3 GEMMs per layer (forward A_l, δ·Wᵀ except at layer 1, Xᵀ·δ) plus the readout's
 * three, one φ and one φ' pass per layer, and the optimizer's O(parameters); per record, a forward
 * pass over n + n_test + min(n, {@value #SYMMETRY_SAMPLES}) samples. Recording allocates (the
 * distinct-column count's sort keys); steps do not.
 *
 * <p>Determinism: only {@link Gemm}, {@link Kernels#apply} (the Vector API route when present: the
 * bits of {@link Activation#value} on either route), {@link Activation#multiplyDerivative} (φ' from
 * φ where it is a function of φ, tanh and sigmoid: the bits of {@link Activation#derivative} either
 * way), {@link DetMath} and plain loops, so a run's bits depend on the BLAS only. Not thread-safe.
 * {@link #run} drives the recorded loop; {@link #trainStep} and {@link #lossAndGradient} expose
 * one step and one gradient for callers (and tests, benchmarks) that drive their own.
 */
public final class Training extends TrainingLoop<double[]> {
    /** Rows of the training set on which distinct units are counted, at most. */
    public static final int SYMMETRY_SAMPLES = 1024;
    /** Train loss above this multiple of step 0's is divergence. */
    public static final double DIVERGENCE_FACTOR = 1e3;
    /** "Trained": final test loss at most this fraction of the trivial baseline's. */
    public static final double TRAINED_FRACTION = 0.5;
    /** Points of {@link #defaultRecord}'s log-spaced grid (step 0 comes on top). */
    public static final int DEFAULT_RECORD_POINTS = 20;

    /** The task's loss. */
    public enum Kind implements SpecName {
        /** Half squared error, mean over samples. */
        REGRESSION("regression"),
        /** Softmax cross-entropy, mean over samples. */
        CLASSIFICATION("classification");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        /** Looks up a kind by its spec name; null if unknown. */
        public static Kind byId(String id) {
            return SpecName.byId(values(), id);
        }
    }

    /**
     * A training and a test set, row-major: inputs n × inputs; regression targets n × outputs
     * (labels null), classification labels in [0, outputs) (targets null). Used as given, not
     * copied, never modified.
     */
    public record Dataset(Kind kind, int inputs, int outputs, int nTrain, double[] trainX, double[] trainTargets,
            int[] trainLabels, int nTest, double[] testX, double[] testTargets, int[] testLabels) {
        public Dataset {
            Objects.requireNonNull(kind, "kind");
            Check.argument(inputs >= 1, "inputs must be >= 1, found %s", inputs);
            Check.argument(outputs >= (kind == Kind.CLASSIFICATION ? 2 : 1), "outputs must be >= %s for %s, found %s",
                    kind == Kind.CLASSIFICATION ? 2 : 1, kind.id(), outputs);
            Check.argument(nTrain >= 1, "nTrain must be >= 1, found %s", nTrain);
            Check.argument(nTest >= 1, "nTest must be >= 1, found %s", nTest);
            checkSet("train", kind, inputs, outputs, nTrain, trainX, trainTargets, trainLabels);
            checkSet("test", kind, inputs, outputs, nTest, testX, testTargets, testLabels);
        }

        private static void checkSet(String name, Kind kind, int inputs, int outputs, int n, double[] x,
                double[] targets, int[] labels) {
            Check.argument(x != null && x.length == (long) n * inputs, "%sX must hold n × inputs = %s values, found %s",
                    name, (long) n * inputs, x == null ? 0 : x.length);
            if (kind == Kind.REGRESSION) {
                Check.argument(targets != null && targets.length == (long) n * outputs,
                        "%s targets must hold n × outputs = %s values, found %s", name, (long) n * outputs,
                        targets == null ? 0 : targets.length);
                Check.argument(labels == null, "%s labels must be null for regression", name);
            } else {
                Check.argument(labels != null && labels.length == n, "%s labels must hold n = %s values, found %s", name,
                        n, labels == null ? 0 : labels.length);
                Check.argument(targets == null, "%s targets must be null for classification", name);
                for (int s = 0; s < n; s++) {
                    Check.argument(labels[s] >= 0 && labels[s] < outputs, "%s labels[%s] must be in [0, %s), found %s",
                            name, s, outputs, labels[s]);
                }
            }
        }

        /** A regression data set; n from the input lengths. */
        public static Dataset regression(int inputs, int outputs, double[] trainX, double[] trainY, double[] testX,
                double[] testY) {
            Check.argument(inputs >= 1, "inputs must be >= 1, found %s", inputs);
            return new Dataset(Kind.REGRESSION, inputs, outputs, trainX.length / inputs, trainX, trainY, null,
                    testX.length / inputs, testX, testY, null);
        }

        /** A classification data set over {@code classes} classes; n from the label counts. */
        public static Dataset classification(int inputs, int classes, double[] trainX, int[] trainLabels,
                double[] testX, int[] testLabels) {
            return new Dataset(Kind.CLASSIFICATION, inputs, classes, trainLabels.length, trainX, null, trainLabels,
                    testLabels.length, testX, null, testLabels);
        }
    }

    /**
     * A run's schedule.
     *
     * @param steps updates to make (≥ 0)
     * @param batch minibatch size, 1..n (checked against the data by {@link Training})
     * @param seed the sample order's SplitMix64 seed
     * @param record the steps to record: strictly increasing, first 0, last {@code steps}
     */
    public record Config(Optimizer.Params optimizer, int steps, int batch, long seed, int[] record) {
        public Config {
            Objects.requireNonNull(optimizer, "optimizer");
            Check.argument(steps >= 0, "steps must be >= 0, found %s", steps);
            Check.argument(batch >= 1, "batch must be >= 1, found %s", batch);
            Objects.requireNonNull(record, "record");
            Check.argument(record.length >= 1 && record[0] == 0 && record[record.length - 1] == steps,
                    "record must start at 0 and end at steps = %s, found %s", steps, Arrays.toString(record));
            for (int i = 1; i < record.length; i++) {
                Check.argument(record[i] > record[i - 1], "record must be strictly increasing, found %s after %s",
                        record[i], record[i - 1]);
            }
        }

        /** A schedule recorded at {@link #defaultRecord}(steps). */
        public static Config of(Optimizer.Params optimizer, int steps, int batch, long seed) {
            return new Config(optimizer, steps, batch, seed, defaultRecord(steps));
        }
    }

    /**
     * The default record steps: 0, and round(steps^(k/(P−1))) for k = 0..P−1 with
     * P = {@value #DEFAULT_RECORD_POINTS} (log-spaced from 1 to steps), duplicates removed; at most
     * P + 1 steps, always 0 and steps ({0} for steps = 0).
     */
    public static int[] defaultRecord(int steps) {
        Check.argument(steps >= 0, "steps must be >= 0, found %s", steps);
        int[] out = new int[DEFAULT_RECORD_POINTS + 1];
        int n = 0;
        out[n++] = 0;
        for (int k = 0; k < DEFAULT_RECORD_POINTS && steps > 0; k++) {
            int s = k == DEFAULT_RECORD_POINTS - 1 ? steps
                    : (int) Math.round(StrictMath.pow(steps, k / (double) (DEFAULT_RECORD_POINTS - 1)));
            s = Math.min(Math.max(s, 1), steps);
            if (s > out[n - 1]) {
                out[n++] = s;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** R ~ N(0, 1/width_L) i.i.d., width_L × outputs row-major, drawn in row-major order from {@code rng}. */
    public static double[] gaussianReadout(int widthL, int outputs, SplittableRandom rng) {
        Check.argument(widthL >= 1, "widthL must be >= 1, found %s", widthL);
        Check.argument(outputs >= 1, "outputs must be >= 1, found %s", outputs);
        return gaussian(rng, widthL * outputs, Math.sqrt(1.0 / widthL));
    }

    /**
     * A teacher task: a fixed random network maps inputs x ~ N(0, 1) (i.i.d. entries) to outputs,
     * the regression targets or, for classification, the first argmax as the label. The teacher:
     * depth 2, both layers width = inputs, tanh, no biases, W_1, W_2 ~ N(0, 1/inputs), then a linear
     * map V (inputs × outputs) ~ N(0, 1/inputs): y = tanh(tanh(x·W_1)·W_2)·V. tanh is
     * {@link Activation#TANH}'s. Drawn from one {@code SplittableRandom(seed)} by
     * {@link SplittableRandom#nextGaussian()} in this order: W_1, W_2, V (each row-major), then the
     * training inputs (row-major), then the test inputs.
     */
    public static Dataset teacherTask(Kind kind, int inputs, int outputs, int nTrain, int nTest, long seed) {
        Objects.requireNonNull(kind, "kind");
        Check.argument(inputs >= 1, "inputs must be >= 1, found %s", inputs);
        Check.argument(outputs >= 1, "outputs must be >= 1, found %s", outputs);
        Check.argument(nTrain >= 1, "nTrain must be >= 1, found %s", nTrain);
        Check.argument(nTest >= 1, "nTest must be >= 1, found %s", nTest);
        SplittableRandom rng = new SplittableRandom(seed);
        double sd = Math.sqrt(1.0 / inputs);
        double[] w1 = gaussian(rng, inputs * inputs, sd);
        double[] w2 = gaussian(rng, inputs * inputs, sd);
        double[] v = gaussian(rng, inputs * outputs, sd);
        double[] trainX = gaussian(rng, Math.multiplyExact(nTrain, inputs), 1.0);
        double[] testX = gaussian(rng, Math.multiplyExact(nTest, inputs), 1.0);
        double[] trainY = teacher(trainX, nTrain, inputs, outputs, w1, w2, v);
        double[] testY = teacher(testX, nTest, inputs, outputs, w1, w2, v);
        if (kind == Kind.REGRESSION) {
            return Dataset.regression(inputs, outputs, trainX, trainY, testX, testY);
        }
        return Dataset.classification(inputs, outputs, trainX, argmax(trainY, nTrain, outputs), testX,
                argmax(testY, nTest, outputs));
    }

    private static double[] teacher(double[] x, int n, int inputs, int outputs, double[] w1, double[] w2, double[] v) {
        double[] a = new double[n * inputs];
        double[] h = new double[n * inputs];
        Gemm.multiply(x, w1, a, n, inputs, inputs, 1.0);
        Kernels.applyScalar(Activation.TANH, Double.NaN, a, h, n * inputs);
        Gemm.multiply(h, w2, a, n, inputs, inputs, 1.0);
        Kernels.applyScalar(Activation.TANH, Double.NaN, a, h, n * inputs);
        double[] y = new double[n * outputs];
        Gemm.multiply(h, v, y, n, inputs, outputs, 1.0);
        return y;
    }

    private static int[] argmax(double[] y, int n, int outputs) {
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            labels[s] = argmaxRow(y, s * outputs, outputs);
        }
        return labels;
    }

    private static double[] gaussian(SplittableRandom rng, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * rng.nextGaussian();
        }
        return v;
    }

    /** Trains in place and returns the record: {@code new Training(net, readout, data, config).run()}. */
    public static TrainingResult train(Backward.Network net, double[] readout, Dataset data, Config config) {
        return new Training(net, readout, data, config).run();
    }

    // ------------------------------------------------------------ state

    private final Backward.Network net;
    private final double[] readout;
    private final double[] readoutBias;
    private final Optimizer optimizer;

    // minibatch buffers
    private final double[][] pre;
    private final double[][] post;
    private final double[] delta;
    private final double[] next;
    // gradients
    private final double[][] weightGrad;
    private final double[][] biasGrad;
    private final double[] readoutGrad;
    private final double[] readoutBiasGrad;
    // evaluation buffers
    private final double[] ea;
    private final double[][] evalPre;
    private final double[][] evalPost;

    /**
     * A trainer for {@code net} and {@code readout} (width_L × outputs) on {@code data}; allocates
     * every buffer. The readout bias r0 starts at zero.
     */
    public Training(Backward.Network net, double[] readout, Dataset data, Config config) {
        super(net, readout, data, config, double[]::new, data.trainX(), data.testX(), false);
        this.net = net;
        this.readout = readout;
        readoutBias = new double[outputs];
        pre = new double[depth][];
        post = new double[depth][];
        weightGrad = new double[depth][];
        biasGrad = new double[depth][];
        int[] sizes = new int[2 * depth + 2];
        for (int l = 1; l <= depth; l++) {
            pre[l - 1] = new double[Math.multiplyExact(batch, net.width(l))];
            post[l - 1] = new double[Math.multiplyExact(batch, net.width(l))];
            weightGrad[l - 1] = new double[Math.multiplyExact(net.width(l - 1), net.width(l))];
            biasGrad[l - 1] = new double[net.width(l)];
            sizes[2 * (l - 1)] = weightGrad[l - 1].length;
            sizes[2 * (l - 1) + 1] = biased ? net.width(l) : 0;
        }
        sizes[2 * depth] = widthL * outputs;
        sizes[2 * depth + 1] = outputs;
        delta = new double[Math.multiplyExact(batch, maxWidth)];
        next = new double[delta.length];
        readoutGrad = new double[widthL * outputs];
        readoutBiasGrad = new double[outputs];
        optimizer = new Optimizer(config.optimizer(), sizes);

        ea = new double[Math.multiplyExact(evalRows, maxWidth)];
        double[] ez1 = new double[ea.length];
        double[] ez2 = new double[ea.length];
        evalPre = new double[depth][];
        evalPost = new double[depth][];
        for (int l = 0; l < depth; l++) {
            evalPre[l] = ea;
            evalPost[l] = l % 2 == 0 ? ez1 : ez2;
        }
    }

    /** The readout bias r0 (outputs values), trained in place; zeros before the first step. */
    public double[] readoutBias() {
        return readoutBias;
    }

    // ------------------------------------------------------------ one step

    @Override
    double gradient(double[] x, double[] targets, int[] labels, int rows) {
        return lossAndGradient(x, targets, labels, rows);
    }

    /**
     * The mean loss of {@code rows} samples (rows ≤ batch) at the current weights and its gradients:
     * afterwards {@link #weightGradient}, {@link #biasGradient}, {@link #readoutGradient} and
     * {@link #readoutBiasGradient} hold ∂L/∂W_l, ∂L/∂b_l, ∂L/∂R and ∂L/∂r0 of this loss.
     *
     * @param x row-major rows × width_0
     * @param targets regression targets rows × outputs (null for classification)
     * @param labels classification labels (null for regression)
     */
    public double lossAndGradient(double[] x, double[] targets, int[] labels, int rows) {
        if (rows < 1 || rows > batch) { // checked before formatting: the message's boxing would allocate per step
            Check.argument(false, "rows must be in [1, batch = %s], found %s", batch, rows);
        }
        forward(x, rows, pre, post, out);
        // out := e, the per-sample error at the outputs
        final double loss = lossAndError(out, targets, labels, 0, rows, true, null) / rows;
        final double inv = 1.0 / rows;
        final double[] xL = post[depth - 1];
        Gemm.multiplyTransposedLeft(xL, out, readoutGrad, widthL, rows, outputs, inv, 0.0);
        columnMean(out, rows, outputs, readoutBiasGrad);
        Gemm.multiplyTransposedRight(out, readout, delta, rows, outputs, widthL, 1.0, 0.0);
        double[] dl = delta;
        double[] dn = next;
        act.multiplyDerivative(param, pre[depth - 1], post[depth - 1], dl, rows * widthL);
        for (int l = depth; l >= 1; l--) {
            final int fanIn = net.width(l - 1);
            final int width = net.width(l);
            final double[] in = l == 1 ? x : post[l - 2];
            Gemm.multiplyTransposedLeft(in, dl, weightGrad[l - 1], fanIn, rows, width, inv, 0.0);
            if (biased) {
                columnMean(dl, rows, width, biasGrad[l - 1]);
            }
            if (l > 1) {
                Gemm.multiplyTransposedRight(dl, net.weights()[l - 1], dn, rows, width, fanIn, 1.0, 0.0);
                act.multiplyDerivative(param, pre[l - 2], post[l - 2], dn, rows * fanIn);
                double[] tmp = dl;
                dl = dn;
                dn = tmp;
            }
        }
        return loss;
    }

    /** ∂L/∂W_l (widths[l−1] × widths[l]) of the last {@link #lossAndGradient}; the live buffer. */
    public double[] weightGradient(int layer) {
        return weightGrad[layer - 1];
    }

    /** ∂L/∂b_l of the last {@link #lossAndGradient} (zeros for a network without biases); the live buffer. */
    public double[] biasGradient(int layer) {
        return biasGrad[layer - 1];
    }

    /** ∂L/∂R of the last {@link #lossAndGradient}; the live buffer. */
    public double[] readoutGradient() {
        return readoutGrad;
    }

    /** ∂L/∂r0 of the last {@link #lossAndGradient}; the live buffer. */
    public double[] readoutBiasGradient() {
        return readoutBiasGrad;
    }

    /** The loss over a whole set at the current weights (no gradient), for checks. */
    public double loss(double[] x, double[] targets, int[] labels, int n) {
        return evaluateSet(x, targets, labels, n)[0];
    }

    @Override
    boolean gradientNonfinite() {
        boolean bad = false;
        for (int l = 0; l < depth; l++) {
            gradSq[l] = squaredNorm(weightGrad[l], weightGrad[l].length);
            bad |= !Double.isFinite(gradSq[l]) || !allFinite(biasGrad[l], biased ? net.width(l + 1) : 0);
        }
        return bad || !allFinite(readoutGrad, readoutGrad.length) || !allFinite(readoutBiasGrad, outputs);
    }

    @Override
    void applyUpdate() {
        optimizer.beginStep();
        for (int l = 0; l < depth; l++) {
            final double[] w = net.weights()[l];
            weightSq[l] = squaredNorm(w, weightGrad[l].length);
            updateSq[l] = optimizer.update(2 * l, w, weightGrad[l]);
            if (biased) {
                optimizer.update(2 * l + 1, net.biases()[l], biasGrad[l]);
            }
        }
        optimizer.update(2 * depth, readout, readoutGrad);
        optimizer.update(2 * depth + 1, readoutBias, readoutBiasGrad);
    }

    // ------------------------------------------------------------ forward

    @Override
    void forwardEval(int rows) {
        forward(ex, rows, evalPre, evalPost, eout);
    }

    @Override
    void distinctUnits(int[] distinct) {
        double[] in = ex;
        for (int l = 1; l <= depth; l++) {
            final int fanIn = net.width(l - 1);
            final int width = net.width(l);
            if (biased) {
                for (int s = 0; s < symmetryRows; s++) {
                    System.arraycopy(net.biases()[l - 1], 0, ea, s * width, width);
                }
            }
            Gemm.multiplyAdd(in, net.weights()[l - 1], ea, symmetryRows, fanIn, width, 1.0, biased ? 1.0 : 0.0);
            final double[] z = evalPost[l - 1];
            Kernels.apply(act, param, ea, z, symmetryRows * width);
            distinct[l - 1] = Symmetry.distinctColumns(z, symmetryRows, width, symmetryScratch, Symmetry.tolerance(Dtype.FLOAT64));
            in = z;
        }
    }

    /**
     * A_l = X_{l−1}·W_l + b_l into preBuf[l−1] and X_l = φ(A_l) into postBuf[l−1] (l = 1..L),
     * then ŷ = X_L·R + r0 into {@code y}. preBuf entries may alias each other, postBuf entries may
     * alias every other layer's.
     */
    private void forward(double[] x0, int rows, double[][] preBuf, double[][] postBuf, double[] y) {
        double[] in = x0;
        for (int l = 1; l <= depth; l++) {
            final int fanIn = net.width(l - 1);
            final int width = net.width(l);
            final double[] a = preBuf[l - 1];
            if (biased) {
                for (int s = 0; s < rows; s++) {
                    System.arraycopy(net.biases()[l - 1], 0, a, s * width, width);
                }
            }
            Gemm.multiplyAdd(in, net.weights()[l - 1], a, rows, fanIn, width, 1.0, biased ? 1.0 : 0.0);
            Kernels.apply(act, param, a, postBuf[l - 1], rows * width);
            in = postBuf[l - 1];
        }
        for (int s = 0; s < rows; s++) {
            System.arraycopy(readoutBias, 0, y, s * outputs, outputs);
        }
        Gemm.multiplyAdd(in, readout, y, rows, widthL, outputs, 1.0, 1.0);
    }
}
