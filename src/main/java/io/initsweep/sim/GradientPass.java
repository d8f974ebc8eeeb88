package io.initsweep.sim;

import java.util.Arrays;
import java.util.List;

/**
 * The backward pass of a chain's grid points, from what its forward pass kept: {@link ForwardPass}
 * records, for a chain whose {@link StatsConfig#gradients} is set, the input X_0 and every layer's
 * pre-activations A_l, weights W_l (as used: after LSUV, the scale times the base draws on the
 * unit-network route) and bias b_l, bit for bit. {@link #backward} then runs {@link Backward}'s
 * layer kernel from depth L down to 1 on those values, without a second forward pass.
 *
 * <p>The forward prefix is shared by the chain's depths, the backward pass is not: δ_L starts at
 * the last layer, so a grid point of depth L costs its own L backward layers (two GEMMs each, one
 * for the first layer), and a chain with depths L_1 &lt; … &lt; L_k costs Σ L_i backward layers
 * beside its max L_i forward layers.
 *
 * <p>The error signal at depth L is drawn from the grid point's own stream
 * ({@link RandomStreams#errorKey}: master seed, seed, depth, shape), so it is the same wherever
 * and whenever the point runs. Under MSE the readout comes from {@link RandomStreams#readoutKey}
 * (N(0, 1/width)) and the targets are a fixed teacher's outputs Y = X_0·T, T ~ N(0, 1/input width)
 * from {@link RandomStreams#teacherKey}, one teacher per master seed and shape.
 *
 * <p>float32 chains: the backward pass runs in float32 ({@link Backward#layer32}: SGEMMs on the
 * float32 W_l, δ and X_{l−1} = φ(A_{l−1}) rounded to float32 as the forward pass rounded it), from
 * the float32 forward pass's A (kept widened, exact), W, b and X_0; δ_L is the float64 error
 * rounded to float32. The Jacobian takes the same values in float64; the training runs train in
 * float32 ({@link Training32}).
 *
 * <p>Memory ({@link #workingBytes}): the tape, max depth × (batch × width + fan_in × width + width)
 * doubles and the input, plus the backward pass's four batch × width buffers and one
 * weight-gradient matrix. Not thread-safe: one per task, as ForwardPass.
 */
public final class GradientPass {
    private final RandomStreams streams = new RandomStreams();
    private ChainParams recorded;
    private int recordedLayers;
    private double[] x0 = new double[0];
    private double[][] pre = new double[0][];
    private double[][] weights = new double[0][];
    private double[][] biases = new double[0][];
    private double[] delta = new double[0];
    private double[] next = new double[0];
    private double[] xs = new double[0];
    private double[] weightGrad = new double[0];
    private double[] biasGrad = new double[0];
    private double[] errors = new double[0];
    private double[] readout = new double[0];
    private double[] teacher = new double[0];
    private double[] targets = new double[0];
    private double[] readoutOut = new double[0];
    // float32 chains
    private float[] x0f = new float[0];
    private float[][] weightsf = new float[0][];
    private float[] deltaf = new float[0];
    private float[] nextf = new float[0];
    private float[] xsf = new float[0];
    private float[] weightGradf = new float[0];
    private double[] zs = new double[0];
    private JacobianSpectrum spectra;
    /** The last training data set, and the key and setup it was drawn for. */
    private Training.Dataset trainingData;
    private long trainingDataKey;
    private TrainingSetup trainingDataSetup;

    /** Starts recording chain {@code p}: its input X_0 (batch × input width) is copied. */
    void begin(ChainParams p, double[] input) {
        Check.argument(p.stats().tapes(), "chain has no gradients or training to record");
        recorded = p;
        recordedLayers = 0;
        final int n0 = p.batch() * p.inputWidth();
        x0 = grow(x0, n0);
        System.arraycopy(input, 0, x0, 0, n0);
        if (pre.length < p.maxDepth()) {
            pre = Arrays.copyOf(pre, p.maxDepth());
            weights = Arrays.copyOf(weights, p.maxDepth());
            biases = Arrays.copyOf(biases, p.maxDepth());
        }
    }

    /** Starts recording chain {@code p} from a float32 input. */
    void begin(ChainParams p, float[] input) {
        final int n0 = p.batch() * p.inputWidth();
        double[] wide = new double[n0];
        for (int i = 0; i < n0; i++) {
            wide[i] = input[i];
        }
        begin(p, wide);
        if (x0f.length < n0) {
            x0f = new float[n0];
        }
        System.arraycopy(input, 0, x0f, 0, n0);
        if (weightsf.length < p.maxDepth()) {
            weightsf = Arrays.copyOf(weightsf, p.maxDepth());
        }
    }

    /**
     * Records layer {@code layer} (1-based; layers come in order): its pre-activations, its weights
     * times {@code scale} (1 except on the unit-network route) and its bias (null: none).
     */
    void record(int layer, double[] a, double[] w, double scale, double[] b) {
        final ChainParams p = recorded;
        Check.state(layer == recordedLayers + 1, "layer %s recorded after layer %s", layer, recordedLayers);
        final int n = p.batch() * p.width();
        final int wn = p.fanIn(layer) * p.width();
        final int i = layer - 1;
        pre[i] = grow(pre[i], n);
        System.arraycopy(a, 0, pre[i], 0, n);
        weights[i] = grow(weights[i], wn);
        if (scale == 1.0) {
            System.arraycopy(w, 0, weights[i], 0, wn);
        } else {
            for (int k = 0; k < wn; k++) {
                weights[i][k] = scale * w[k];
            }
        }
        if (b != null) {
            biases[i] = grow(biases[i], p.width());
            System.arraycopy(b, 0, biases[i], 0, p.width());
        }
        recordedLayers = layer;
    }

    /** Records a float32 layer: A (already widened), W in float32, b rounded to float32 as the forward pass adds it. */
    void record(int layer, double[] a, float[] w, double[] b) {
        final int wn = recorded.fanIn(layer) * recorded.width();
        if (weightsf[layer - 1] == null || weightsf[layer - 1].length < wn) {
            weightsf[layer - 1] = new float[wn];
        }
        System.arraycopy(w, 0, weightsf[layer - 1], 0, wn);
        double[] wide = new double[wn];
        for (int k = 0; k < wn; k++) {
            wide[k] = w[k];
        }
        double[] bf = null;
        if (b != null) {
            bf = new double[recorded.width()];
            for (int j = 0; j < bf.length; j++) {
                bf[j] = (float) b[j];
            }
        }
        record(layer, a, wide, 1.0, bf);
    }

    /** The chain last recorded, or null. */
    ChainParams recorded() {
        return recorded;
    }

    /**
     * The backward pass of the recorded chain's grid point of depth {@code depth}: δ_depth from the
     * point's error stream, down to layer 1.
     */
    public GradientResult backward(int depth) {
        final ChainParams p = recorded;
        Check.state(p != null, "no chain recorded");
        Check.argument(depth >= 1 && depth <= recordedLayers, "depth must be in 1..%s (the layers recorded), found %s",
                recordedLayers, depth);
        final Gradients g = p.stats().gradients();
        final int batch = p.batch();
        final int width = p.width();
        final int n = batch * width;
        final int maxFan = Math.max(width, p.inputWidth());
        delta = grow(delta, batch * maxFan);
        next = grow(next, batch * maxFan);
        xs = grow(xs, batch * maxFan);
        weightGrad = grow(weightGrad, maxFan * width);
        biasGrad = grow(biasGrad, width);
        final Activation act = p.activation();
        final double param = p.activationParam();
        GradientResult result = new GradientResult(depth);
        switch (g.error()) {
            case NORMAL -> {
                errors = grow(errors, n);
                streams.fillGaussian(RandomStreams.errorKey(p.masterSeed(), p.seed(), depth, batch, width), errors, n);
                result.loss = Backward.lastLayerError(g.error(), act, param, pre[depth - 1], batch, width, errors, null, 0,
                        null, delta, xs, null);
            }
            case MSE -> {
                final int outputs = g.outputs();
                readout = grow(readout, width * outputs);
                streams.fillGaussian(RandomStreams.readoutKey(p.masterSeed(), p.seed(), depth, width, outputs), readout,
                        width * outputs);
                scale(readout, width * outputs, 1.0 / Math.sqrt(width));
                final int tn = p.inputWidth() * outputs;
                teacher = grow(teacher, tn);
                streams.fillGaussian(RandomStreams.teacherKey(p.masterSeed(), p.inputWidth(), outputs), teacher, tn);
                scale(teacher, tn, 1.0 / Math.sqrt(p.inputWidth()));
                targets = grow(targets, batch * outputs);
                Gemm.multiply(x0, teacher, targets, batch, p.inputWidth(), outputs, 1.0);
                readoutOut = grow(readoutOut, batch * outputs);
                result.loss = Backward.lastLayerError(g.error(), act, param, pre[depth - 1], batch, width, null, readout,
                        outputs, targets, delta, xs, readoutOut);
            }
        }
        if (p.dtype() == Dtype.FLOAT32) {
            backward32(p, depth, result);
            Backward.summarize(result);
            return result;
        }
        for (int l = depth; l >= 1; l--) {
            Backward.layer(act, param, delta, l == 1 ? null : pre[l - 2], l == 1 ? x0 : xs, weights[l - 1], batch,
                    p.fanIn(l), width, weightGrad, biasGrad, next, result, l - 1);
            if (p.biasStd() == 0.0) {
                result.biasGradNorm[l - 1] = Double.NaN; // no bias: no bias gradient
            }
            double[] t = delta;
            delta = next;
            next = t;
        }
        Backward.summarize(result);
        return result;
    }

    /** Layers depth … 1 of a float32 chain's backward pass from δ_L (in {@link #delta}, float64) rounded to float32. */
    private void backward32(ChainParams p, int depth, GradientResult result) {
        final int batch = p.batch();
        final int width = p.width();
        final int maxFan = Math.max(width, p.inputWidth());
        final int big = batch * maxFan;
        if (deltaf.length < big) {
            deltaf = new float[big];
            nextf = new float[big];
            xsf = new float[big];
        }
        if (weightGradf.length < maxFan * width) {
            weightGradf = new float[maxFan * width];
        }
        zs = grow(zs, big);
        for (int i = 0, n = batch * width; i < n; i++) {
            deltaf[i] = (float) delta[i];
        }
        for (int l = depth; l >= 1; l--) {
            Backward.layer32(p.activation(), p.activationParam(), deltaf, l == 1 ? null : pre[l - 2], l == 1 ? x0f : xsf,
                    weightsf[l - 1], batch, p.fanIn(l), width, weightGradf, biasGrad, nextf, result, l - 1, zs, xs);
            if (p.biasStd() == 0.0) {
                result.biasGradNorm[l - 1] = Double.NaN; // no bias: no bias gradient
            }
            float[] t = deltaf;
            deltaf = nextf;
            nextf = t;
        }
    }

    /**
     * The input–output Jacobian spectra of the recorded chain at its first
     * {@link Gradients#jacobianSamples(int)} input rows, for each of {@code layers} (1-based, each
     * at most the layers recorded), ordered by sample then layer; accumulated forward from the
     * tape's A_l and W_l ({@link JacobianSpectrum#computeFromPre}). Empty when the chain asks for
     * no samples.
     */
    public List<JacobianSpectrum.Spectrum> jacobian(int[] layers) {
        final ChainParams p = recorded;
        Check.state(p != null, "no chain recorded");
        int samples = p.stats().gradients().jacobianSamples(p.batch());
        if (samples == 0 || layers.length == 0) {
            return List.of();
        }
        int deepest = Arrays.stream(layers).max().orElseThrow();
        Check.argument(deepest <= recordedLayers, "layers must be at most %s (the layers recorded), found %s",
                recordedLayers, deepest);
        int[] widths = new int[deepest + 1];
        widths[0] = p.inputWidth();
        Arrays.fill(widths, 1, deepest + 1, p.width());
        Backward.Network net = new Backward.Network(p.activation(), p.activationParam(), widths,
                Arrays.copyOf(weights, deepest), null);
        if (spectra == null) {
            spectra = new JacobianSpectrum();
        }
        return spectra.computeFromPre(net, pre, samples, layers);
    }

    /**
     * The training run of the recorded chain's grid point of depth {@code depth}
     * ({@link StatsConfig#training}): a copy of its first {@code depth} layers' weights and biases as
     * the forward pass used them (float32 chains: their float32 values, trained in float32 by
     * {@link Training32}), a
     * readout R ~ N(0, 1/width) from {@link TrainingSetup#readoutKey} (under zeros, ones and
     * constant: every entry that constant, so that the network is constant up to its output), the teacher's data from
     * {@link TrainingSetup#dataKey} (drawn once and kept while the key stays the same) and the
     * sample order from {@link TrainingSetup#orderKey}.
     */
    public TrainingResult train(int depth) {
        return train(depth, null);
    }

    /**
     * The same on a user's data set ({@link TrainingSetup#hasData}): {@code data} is the matrix
     * {@link TrainingSetup#dataMatrixKey} names; null for the teacher.
     */
    public TrainingResult train(int depth, double[] data) {
        final ChainParams p = recorded;
        Check.state(p != null, "no chain recorded");
        final TrainingSetup t = p.stats().training();
        Check.state(t != null, "chain %s has no training", p);
        Check.argument(depth >= 1 && depth <= recordedLayers, "depth must be in 1..%s (the layers recorded), found %s",
                recordedLayers, depth);
        final int width = p.width();
        Check.argument(t.hasData() == (data != null), "training data must be given exactly for a data task (%s)", t.data());
        long dataKey = t.dataKey(p.masterSeed(), p.seed(), p.inputWidth());
        if (trainingData == null || trainingDataKey != dataKey || !t.equals(trainingDataSetup)) {
            trainingData = t.hasData() ? t.dataset(data, p.inputWidth())
                    : Training.teacherTask(t.kind(), p.inputWidth(), t.outputs(), t.samples(), t.testSamples(), dataKey);
            trainingDataKey = dataKey;
            trainingDataSetup = t;
        }
        int[] widths = new int[depth + 1];
        widths[0] = p.inputWidth();
        Arrays.fill(widths, 1, depth + 1, width);
        double[][] w = new double[depth][];
        double[][] b = p.biasStd() == 0.0 ? null : new double[depth][];
        for (int l = 1; l <= depth; l++) {
            w[l - 1] = Arrays.copyOf(weights[l - 1], p.fanIn(l) * width);
            if (b != null) {
                b[l - 1] = Arrays.copyOf(biases[l - 1], width);
            }
        }
        Backward.Network net = new Backward.Network(p.activation(), p.activationParam(), widths, w, b);
        double[] readoutInit;
        double constant = p.init().constantWeight();
        if (!Double.isNaN(constant)) {
            // a constant init is constant up to the output, as in the seed posts: a random readout
            // would hand each unit a different error and break the symmetry the init sets up
            readoutInit = new double[width * t.outputs()];
            Arrays.fill(readoutInit, constant);
        } else {
            readoutInit = Training.gaussianReadout(width, t.outputs(),
                    new java.util.SplittableRandom(t.readoutKey(p.masterSeed(), p.seed(), width)));
        }
        Training.Config config = t.config(t.orderKey(p.masterSeed(), p.seed()));
        return p.dtype() == Dtype.FLOAT32 ? Training32.train(net, readoutInit, trainingData, config)
                : Training.train(net, readoutInit, trainingData, config);
    }

    private static void scale(double[] v, int n, double s) {
        for (int i = 0; i < n; i++) {
            v[i] *= s;
        }
    }

    private static double[] grow(double[] a, int n) {
        return a != null && a.length >= n ? a : new double[n];
    }

    /**
     * Bytes a chain's backward pass needs beside its forward pass: the tape (input, and per layer
     * A, W and b) and the backward buffers (δ, next δ, X_{l−1}, the error draws, ∂L/∂W, ∂L/∂b,
     * and under MSE the readout, teacher, targets and residuals). 0 when the chain has no gradients.
     */
    public static long workingBytes(ChainParams p) {
        if (!p.stats().tapes()) {
            return 0;
        }
        Gradients g = p.stats().gradients();
        long batch = p.batch();
        long width = p.width();
        long maxFan = Math.max(width, p.inputWidth());
        long n = batch * width;
        long tape = batch * p.inputWidth() + (long) p.maxDepth() * (n + width) + (p.inputWidth() + (p.maxDepth() - 1L) * width) * width;
        long buffers = g == null ? 0 : 3 * batch * maxFan + n + maxFan * width + width;
        if (g != null && p.dtype() == Dtype.FLOAT32) {
            // float32 chains: the float32 input and weights beside the widened ones, three float32
            // batch × max width buffers and ∂L/∂W, one more double scratch (half a double per float)
            long floats = batch * p.inputWidth() + (p.inputWidth() + (p.maxDepth() - 1L) * width) * width
                    + 3 * batch * maxFan + maxFan * width;
            buffers += (floats + 1) / 2 + batch * maxFan;
        }
        long mse = g == null || g.error() != Backward.ErrorMode.MSE ? 0 : (width + p.inputWidth() + 2 * batch) * g.outputs();
        // the Jacobian: two width × input width products, the SVD's copy and its workspace (≈ 3 more)
        long jacobian = g == null || g.jacobianSamples(p.batch()) == 0 ? 0 : 6L * width * p.inputWidth() + 4 * width;
        return 8L * (tape + buffers + mse + jacobian) + trainingBytes(p);
    }

    /**
     * Bytes of the deepest point's training run ({@link Training}'s memory): the data sets, a copy of
     * the network, its gradients and the optimizer's state (up to two more copies), the minibatch's
     * A_l and X_l and the evaluation buffers; 0 without training.
     */
    static long trainingBytes(ChainParams p) {
        TrainingSetup t = p.stats().training();
        if (t == null) {
            return 0;
        }
        long width = p.width();
        long in = p.inputWidth();
        long depth = p.maxDepth();
        long outputs = t.outputs();
        long data = (long) (t.samples() + t.testSamples()) * (in + outputs);
        long params = (in + (depth - 1) * width) * width + depth * width + (width + 1) * outputs;
        long state = params * (t.optimizer().kind() == Optimizer.Kind.ADAM ? 4 : t.optimizer().kind() == Optimizer.Kind.SGD ? 2 : 3);
        long mini = 2L * t.batch() * depth * width + (long) t.batch() * (in + 2 * width + 2 * outputs);
        long eval = Math.max(t.batch(), Math.min(t.samples(), Training.SYMMETRY_SAMPLES));
        long evalBytes = eval * (in + 3 * Math.max(width, in) + outputs) + 2L * eval * depth * width;
        int records = t.recordSteps().length;
        long recordBytes = (long) records * (6 + 3 * depth);
        // float32 (Training32): parameters, gradients and state take half of the above, but the inputs
        // are kept again in float32 and each layer keeps φ(A_l) in float64 beside A_l and X_l (relu keeps
        // X_l alone: an upper bound there)
        long float32 = p.dtype() == Dtype.FLOAT32 ? (long) (t.samples() + t.testSamples()) * in + t.batch() * depth * width
                + (long) t.batch() * width : 0;
        return 8L * (data + state + mini + evalBytes + recordBytes) + 4L * t.samples() + 4L * float32;
    }
}
