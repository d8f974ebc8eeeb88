package io.initsweep.sim;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The part of a training run that does not depend on its arithmetic's precision: the checks, the
 * sample order and its shuffle, the minibatch gather, the losses and errors, the recorded loop with
 * its divergence rule, the evaluation and symmetry bookkeeping and the result. {@link Training}
 * (float64) and {@link Training32} (float32) supply the forward pass, the gradients and the
 * optimizer's update in their precision; their definitions are {@link Training}'s class comment.
 *
 * <p>The losses and the per-sample errors are computed here in float64, from the outputs ŷ in
 * float64 (float32 outputs widened, exactly), against the targets {@link #trainTargets} and
 * {@link #testTargets}: the data's own, or for a float32 trainer rounded to float32.
 *
 * @param <X> the inputs' array type: double[] or float[]
 */
abstract class TrainingLoop<X> {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    protected final Training.Dataset data;
    protected final Training.Config config;
    protected final Activation act;
    protected final double param;
    protected final int depth;
    protected final int outputs;
    protected final int widthL;
    protected final int maxWidth;
    protected final int batch;
    protected final boolean biased;

    /** The inputs in the trainer's precision: the data's (float64) or rounded copies (float32). */
    protected final X trainX;
    protected final X testX;
    /** The targets the losses use (null for classification). */
    protected final double[] trainTargets;
    protected final double[] testTargets;

    // minibatch
    protected final X xb;
    protected final double[] yb;
    protected final int[] lb;
    /** batch × outputs: ŷ, then the per-sample error e. */
    protected final double[] out;
    // evaluation
    protected final int evalRows;
    protected final int symmetryRows;
    protected final X ex;
    protected final double[] eout;
    /** Scratch for {@link Symmetry#distinctColumns}. */
    protected final double[] symmetryScratch;
    /** evalRows × outputs: e^(y − max) of a classification's outputs (null for regression). */
    private final double[] softmaxScratch;
    /** evalRows: each row's argmax, the output the softmax is taken against. */
    private final int[] softmaxBest;
    // per step: ‖∂L/∂W_l‖² of the last gradient, ‖ΔW_l‖² and ‖W_l‖² of the last update
    protected final double[] gradSq;
    protected final double[] updateSq;
    protected final double[] weightSq;

    // sample order
    private final int[] order;
    private final int batchesPerEpoch;
    private long rngState;
    /** Minibatches drawn so far. */
    private long batchesDrawn;
    // last evaluation
    private double evalTrainLoss;
    private double evalTestLoss;
    private double evalTrainAccuracy;
    private double evalTestAccuracy;
    private final long[] correct = new long[1];
    private final double[] setResult = new double[2];
    // records
    private final int[] recStep;
    private final double[] recTrain;
    private final double[] recTest;
    private final double[] recAcc;
    private final double[] recTrainAcc;
    private final double[][] recGrad;
    private final double[][] recUpdate;
    private final int[][] recDistinct;
    private final boolean[] recNonfinite;
    private int records;

    /**
     * Checks the network, readout and data against each other and allocates the shared buffers.
     *
     * @param trainX the training inputs in the trainer's precision
     * @param testX the test inputs in the trainer's precision
     * @param float32 whether the targets are rounded to float32
     * @param alloc allocates an X of n values
     */
    TrainingLoop(Backward.Network net, double[] readout, Training.Dataset data, Training.Config config,
            IntFunction<X> alloc, X trainX, X testX, boolean float32) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(readout, "readout");
        this.data = Objects.requireNonNull(data, "data");
        this.config = Objects.requireNonNull(config, "config");
        act = net.activation();
        param = net.param();
        depth = net.depth();
        outputs = data.outputs();
        widthL = net.width(depth);
        batch = config.batch();
        biased = net.biases() != null;
        Check.argument(net.width(0) == data.inputs(), "the network's input width %s must equal the data's inputs %s",
                net.width(0), data.inputs());
        Check.argument(readout.length == (long) widthL * outputs,
                "readout must hold width_L × outputs = %s values, found %s", (long) widthL * outputs, readout.length);
        Check.argument(batch <= data.nTrain(), "batch must be in [1, n = %s], found %s", data.nTrain(), batch);
        this.trainX = trainX;
        this.testX = testX;
        trainTargets = float32 ? roundedCopy(data.trainTargets()) : data.trainTargets();
        testTargets = float32 ? roundedCopy(data.testTargets()) : data.testTargets();

        maxWidth = net.maxWidth();
        final int d = net.width(0);
        xb = alloc.apply(Math.multiplyExact(batch, d));
        yb = data.kind() == Training.Kind.REGRESSION ? new double[Math.multiplyExact(batch, outputs)] : null;
        lb = data.kind() == Training.Kind.CLASSIFICATION ? new int[batch] : null;
        out = new double[Math.multiplyExact(batch, outputs)];
        symmetryRows = Math.min(data.nTrain(), Training.SYMMETRY_SAMPLES);
        evalRows = Math.max(batch, symmetryRows);
        ex = alloc.apply(Math.multiplyExact(evalRows, d));
        eout = new double[Math.multiplyExact(evalRows, outputs)];
        symmetryScratch = new double[2 * maxWidth];
        softmaxScratch = data.kind() == Training.Kind.CLASSIFICATION
                ? new double[Math.multiplyExact(evalRows, outputs)] : null;
        softmaxBest = data.kind() == Training.Kind.CLASSIFICATION ? new int[evalRows] : null;
        gradSq = new double[depth];
        updateSq = new double[depth];
        weightSq = new double[depth];

        order = new int[data.nTrain()];
        batchesPerEpoch = data.nTrain() / batch;
        rngState = config.seed();

        int cap = config.record().length + 1;
        recStep = new int[cap];
        recTrain = new double[cap];
        recTest = new double[cap];
        recAcc = new double[cap];
        recTrainAcc = new double[cap];
        recGrad = new double[cap][depth];
        recUpdate = new double[cap][depth];
        recDistinct = new int[cap][depth];
        recNonfinite = new boolean[cap];
    }

    private static double[] roundedCopy(double[] v) {
        if (v == null) {
            return null;
        }
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    // ------------------------------------------------------------ precision-specific hooks

    /**
     * The mean loss of {@code rows} samples of {@code x} (rows ≤ batch) at the current weights, and
     * its gradients into the trainer's gradient buffers.
     */
    abstract double gradient(X x, double[] targets, int[] labels, int rows);

    /** {@link #gradSq}[l] = ‖∂L/∂W_l‖² of the last gradient; whether it or another gradient is non-finite. */
    abstract boolean gradientNonfinite();

    /** One optimizer step on every parameter with the current gradients; fills {@link #weightSq} and {@link #updateSq}. */
    abstract void applyUpdate();

    /** ŷ of the first {@code rows} rows of {@link #ex} into {@link #eout}. */
    abstract void forwardEval(int rows);

    /** The distinct units of every layer on the first {@link #symmetryRows} rows of {@link #ex}. */
    abstract void distinctUnits(int[] out);

    // ------------------------------------------------------------ the loop

    /**
     * Runs {@link Training.Config#steps} steps (fewer when it diverges) from the current weights and
     * returns the record. Call once per instance.
     */
    public TrainingResult run() {
        Check.state(batchesDrawn == 0 && records == 0, "run() may be called once per Training, before any trainStep()");
        final int steps = config.steps();
        final int[] record = config.record();
        int nextRecord = 0;
        double l0 = Double.NaN;
        boolean diverged = false;
        int divergedAt = -1;
        for (int t = 0; t <= steps; t++) {
            final double mbLoss = minibatchGradient();
            boolean bad = !Double.isFinite(mbLoss) | gradientNonfinite();
            final boolean due = nextRecord < record.length && record[nextRecord] == t;
            if (due || bad || mbLoss > Training.DIVERGENCE_FACTOR * l0) {
                evaluate();
                if (t == 0) {
                    l0 = evalTrainLoss;
                }
                bad |= !Double.isFinite(evalTrainLoss) || (l0 > 0 && evalTrainLoss > Training.DIVERGENCE_FACTOR * l0);
            }
            if (due || bad) {
                record(t);
                if (due) {
                    nextRecord++;
                }
            }
            if (bad) {
                diverged = true;
                divergedAt = t;
                break;
            }
            if (t == steps) {
                break;
            }
            applyUpdate();
        }
        return result(diverged, divergedAt);
    }

    /**
     * One step outside {@link #run}'s recorded loop: the gradient of the next minibatch of the
     * sample order at the current weights, then the optimizer's update. Allocates nothing. For
     * callers that drive the loop themselves (and benchmarks); {@link #run} refuses an instance
     * that has stepped.
     *
     * @return the minibatch loss before the update
     */
    public double trainStep() {
        double loss = minibatchGradient();
        applyUpdate();
        return loss;
    }

    /**
     * The loss of the next minibatch (the one of step batchesDrawn + 1) at the current weights, its
     * gradients into the gradient buffers. Shuffles the sample order at epoch starts.
     */
    private double minibatchGradient() {
        final int k = (int) (batchesDrawn++ % batchesPerEpoch);
        if (k == 0) {
            shuffle();
        }
        final int d = data.inputs();
        final int from = k * batch;
        for (int s = 0; s < batch; s++) {
            final int row = order[from + s];
            System.arraycopy(trainX, row * d, xb, s * d, d);
            if (yb != null) {
                System.arraycopy(trainTargets, row * outputs, yb, s * outputs, outputs);
            } else {
                lb[s] = data.trainLabels()[row];
            }
        }
        return gradient(xb, yb, lb, batch);
    }

    /** A fresh epoch's order: identity, then Fisher–Yates driven by SplitMix64 (see {@link Training}). */
    private void shuffle() {
        final int n = order.length;
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            rngState += GOLDEN;
            int j = (int) Long.remainderUnsigned(RandomStreams.mix64(rngState), i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    // ------------------------------------------------------------ loss and evaluation

    /**
     * The summed (not averaged) loss of {@code rows} outputs y against targets/labels starting at
     * sample {@code from}; with {@code error}, y is overwritten by the per-sample error e. Counts
     * correct argmaxes into {@code correct[0]} when it is not null (classification).
     */
    final double lossAndError(double[] y, double[] targets, int[] labels, int from, int rows, boolean error,
            long[] correct) {
        double sum = 0;
        if (data.kind() == Training.Kind.REGRESSION) {
            for (int i = 0, n = rows * outputs; i < n; i++) {
                double r = y[i] - targets[from * outputs + i];
                if (error) {
                    y[i] = r;
                }
                sum += r * r;
            }
            return 0.5 * sum;
        }
        // e = exp(y − max) of every output, in one pass over the minibatch (the vector route's exp
        // gives DetMath.exp's bits lane by lane); the sums below add them in the same order as ever
        final double[] e = softmaxScratch;
        for (int s = 0; s < rows; s++) {
            final int o = s * outputs;
            final int best = argmaxRow(y, o, outputs);
            softmaxBest[s] = best;
            final double m = y[o + best];
            for (int j = 0; j < outputs; j++) {
                e[o + j] = y[o + j] - m;
            }
        }
        Kernels.exp(e, rows * outputs);
        for (int s = 0; s < rows; s++) {
            final int o = s * outputs;
            final int label = labels[from + s];
            final int best = softmaxBest[s];
            final double m = y[o + best];
            double rest = 0;
            for (int j = 0; j < outputs; j++) {
                if (j != best) {
                    rest += e[o + j];
                }
            }
            sum += (m - y[o + label]) + DetMath.log1p(rest);
            if (correct != null && best == label) {
                correct[0]++;
            }
            if (error) {
                final double total = 1.0 + rest;
                for (int j = 0; j < outputs; j++) {
                    double p = j == best ? 1.0 / total : e[o + j] / total;
                    y[o + j] = j == label ? p - 1.0 : p;
                }
            }
        }
        return sum;
    }

    /** {loss, accuracy} over a whole set, in chunks of evalRows (accuracy NaN for regression). */
    final double[] evaluateSet(X x, double[] targets, int[] labels, int n) {
        final int d = data.inputs();
        double sum = 0;
        correct[0] = 0;
        for (int from = 0; from < n; from += evalRows) {
            final int rows = Math.min(evalRows, n - from);
            System.arraycopy(x, from * d, ex, 0, rows * d);
            forwardEval(rows);
            sum += lossAndError(eout, targets, labels, from, rows, false, correct);
        }
        setResult[0] = sum / n;
        setResult[1] = data.kind() == Training.Kind.CLASSIFICATION ? correct[0] / (double) n : Double.NaN;
        return setResult;
    }

    /** Train and test loss and accuracy at the current weights. */
    private void evaluate() {
        double[] r = evaluateSet(trainX, trainTargets, data.trainLabels(), data.nTrain());
        evalTrainLoss = r[0];
        evalTrainAccuracy = r[1];
        r = evaluateSet(testX, testTargets, data.testLabels(), data.nTest());
        evalTestLoss = r[0];
        evalTestAccuracy = r[1];
    }

    /** Record at step t: the last evaluation, the current gradient norms, the last update's ratios, distinct units. */
    private void record(int t) {
        final int r = records++;
        recStep[r] = t;
        recTrain[r] = evalTrainLoss;
        recTest[r] = evalTestLoss;
        recAcc[r] = evalTestAccuracy;
        recTrainAcc[r] = evalTrainAccuracy;
        boolean nonfinite = !Double.isFinite(evalTrainLoss) || !Double.isFinite(evalTestLoss);
        for (int l = 0; l < depth; l++) {
            recGrad[r][l] = Math.sqrt(gradSq[l]);
            recUpdate[r][l] = t == 0 ? Double.NaN : Math.sqrt(updateSq[l]) / Math.sqrt(weightSq[l]);
            nonfinite |= !Double.isFinite(recGrad[r][l]);
        }
        recNonfinite[r] = nonfinite;
        System.arraycopy(trainX, 0, ex, 0, symmetryRows * data.inputs());
        distinctUnits(recDistinct[r]);
    }

    private TrainingResult result(boolean diverged, int divergedAt) {
        final int n = records;
        double[][] grad = new double[n][];
        double[][] update = new double[n][];
        int[][] distinct = new int[n][];
        for (int r = 0; r < n; r++) {
            grad[r] = recGrad[r].clone();
            update[r] = recUpdate[r].clone();
            distinct[r] = recDistinct[r].clone();
        }
        return new TrainingResult(depth, Arrays.copyOf(recStep, n), Arrays.copyOf(recTrain, n),
                Arrays.copyOf(recTest, n), Arrays.copyOf(recAcc, n), Arrays.copyOf(recTrainAcc, n), grad, update,
                distinct, Arrays.copyOf(recNonfinite, n), baselineTestLoss(), diverged, divergedAt);
    }

    /** The trivial predictor's test loss: see {@link Training}'s class comment. */
    double baselineTestLoss() {
        final int n = data.nTrain();
        final int m = data.nTest();
        if (data.kind() == Training.Kind.REGRESSION) {
            double[] mean = new double[outputs];
            columnMean(trainTargets, n, outputs, mean);
            double ss = 0;
            for (int s = 0; s < m; s++) {
                for (int o = 0; o < outputs; o++) {
                    double r = mean[o] - testTargets[s * outputs + o];
                    ss += r * r;
                }
            }
            return ss / (2.0 * m);
        }
        long[] counts = new long[outputs];
        for (int label : data.trainLabels()) {
            counts[label]++;
        }
        double sum = 0;
        for (int label : data.testLabels()) {
            sum -= StrictMath.log(counts[label] / (double) n);
        }
        return sum / m;
    }

    // ------------------------------------------------------------ small helpers

    /** The first index of the largest of z[off..off+k) (NaN never wins; 0 when all are NaN). */
    static int argmaxRow(double[] z, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (z[off + j] > z[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** out[j] = Σ_s z[s, j] / rows. */
    static void columnMean(double[] z, int rows, int cols, double[] out) {
        Arrays.fill(out, 0, cols, 0.0);
        for (int s = 0; s < rows; s++) {
            for (int j = 0, o = s * cols; j < cols; j++) {
                out[j] += z[o + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            out[j] /= rows;
        }
    }

    static double squaredNorm(double[] v, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += v[i] * v[i];
        }
        return ss;
    }

    static double squaredNorm(float[] v, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            final double x = v[i];
            ss += x * x;
        }
        return ss;
    }

    static boolean allFinite(double[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(v[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean allFinite(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v[i])) {
                return false;
            }
        }
        return true;
    }
}
