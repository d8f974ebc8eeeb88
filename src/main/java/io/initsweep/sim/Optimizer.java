package io.initsweep.sim;

import java.util.Objects;

/**
 * First-order update rules with PyTorch's semantics ({@code torch.optim.SGD} and
 * {@code torch.optim.Adam}, default flags), applied in place to flat parameter tensors.
 *
 * <p>The rules, for a parameter w with gradient g at step t = 1, 2, …:
 * <ul>
 *   <li>{@link Kind#SGD}: w ← w − lr·g.
 *   <li>{@link Kind#MOMENTUM} ({@code SGD(momentum=β)}, dampening 0, no Nesterov, no weight decay):
 *       v ← β·v + g with v = 0 before the first step (so v_1 = g, PyTorch's clone of the first
 *       gradient), w ← w − lr·v.
 *   <li>{@link Kind#ADAM} (no weight decay, not amsgrad): m ← β1·m + (1 − β1)·g,
 *       v ← β2·v + (1 − β2)·g², m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), w ← w − lr·m̂/(√v̂ + ε),
 *       m = v = 0 before the first step. Evaluated in PyTorch's order (its single-tensor
 *       {@code _single_tensor_adam}): m ← m + (1 − β1)·(g − m) ({@code lerp_}),
 *       v ← β2·v + (1 − β2)·g·g, denom = √v/√(1 − β2^t) + ε, w ← w − (lr/(1 − β1^t))·m/denom;
 *       the same numbers up to rounding. β^t = e^(t·ln β) by {@link DetMath} ({@code power}).
 * </ul>
 *
 * <p><b>float32</b> ({@link #float32}, {@link #update(int, float[], float[])}): the same rules in
 * float32 arithmetic on float32 parameters, gradients and state, as PyTorch's single-tensor
 * {@code _single_tensor_sgd} and {@code _single_tensor_adam} run on float32 tensors: every
 * hyper-parameter rounded to float32 as its CPU kernels round a Python scalar (lr, β, 1 − β1,
 * 1 − β2, ε, −lr/(1 − β1^t) and √(1 − β2^t), the last two from their float64 values), each
 * operation rounded to float32 in PyTorch's order: momentum v ← v·β + g ({@code mul_}, {@code add_});
 * Adam m ← m + (1 − β1)·(g − m) ({@code lerp_}), v ← v·β2 + ((1 − β2)·g)·g ({@code mul_},
 * {@code addcmul_}), denom = √v / √(1 − β2^t) + ε, w ← w + ((−lr/(1 − β1^t))·m) / denom
 * ({@code addcdiv_}: value times the numerator, then the division). PyTorch's vectorized CPU
 * {@code add_} with alpha fuses w + α·g into one FMA on its vector lanes; here it is two roundings,
 * so a bit may differ there. The squared norm of the change is a float64 sum.
 *
 * <p>Memory: momentum keeps one buffer the size of each tensor, Adam two, SGD none; all are
 * allocated by the constructor. A step allocates nothing. Cost: a few flops per parameter
 * (Adam one square root and one division). An instance is not thread-safe.
 *
 * <p>Use: {@link #beginStep()} once per step, then {@link #update} on every tensor (slot) with
 * that step's gradient.
 */
public final class Optimizer {
    /** The update rule. */
    public enum Kind implements SpecName {
        /** Plain gradient descent. */
        SGD("sgd"),
        /** Heavy-ball momentum, PyTorch's SGD(momentum=β). */
        MOMENTUM("momentum"),
        /** Adam (Kingma and Ba 2015) with bias correction. */
        ADAM("adam");

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

    /** PyTorch's default momentum is 0; the project's default for {@link Kind#MOMENTUM} is 0.9. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    /** Adam's defaults (PyTorch's). */
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    /**
     * The hyper-parameters of one rule. Every field is validated whatever the kind (the factories
     * fill the ones a kind does not use with their defaults): lr finite and ≥ 0 (PyTorch's range),
     * momentum, beta1, beta2 in [0, 1), eps finite and &gt; 0.
     *
     * @param momentum β of {@link Kind#MOMENTUM}
     * @param beta1 Adam's β1
     * @param beta2 Adam's β2
     * @param eps Adam's ε, added to √v̂
     */
    public record Params(Kind kind, double lr, double momentum, double beta1, double beta2, double eps)
            implements java.io.Serializable {
        public Params {
            Objects.requireNonNull(kind, "optimizer kind");
            Check.argument(Double.isFinite(lr) && lr >= 0, "optimizer.lr must be a finite number >= 0, found %s", lr);
            Check.argument(momentum >= 0 && momentum < 1, "optimizer.momentum must be in [0, 1), found %s", momentum);
            Check.argument(beta1 >= 0 && beta1 < 1, "optimizer.beta1 must be in [0, 1), found %s", beta1);
            Check.argument(beta2 >= 0 && beta2 < 1, "optimizer.beta2 must be in [0, 1), found %s", beta2);
            Check.argument(Double.isFinite(eps) && eps > 0, "optimizer.eps must be a finite number > 0, found %s", eps);
        }

        /** {@code kind} at learning rate {@code lr} with the default momentum, betas and ε. */
        public static Params of(Kind kind, double lr) {
            return new Params(kind, lr, DEFAULT_MOMENTUM, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
        }

        /** Plain SGD. */
        public static Params sgd(double lr) {
            return of(Kind.SGD, lr);
        }

        /** SGD with momentum β. */
        public static Params momentum(double lr, double momentum) {
            return new Params(Kind.MOMENTUM, lr, momentum, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
        }

        /** Adam with the given betas and ε. */
        public static Params adam(double lr, double beta1, double beta2, double eps) {
            return new Params(Kind.ADAM, lr, DEFAULT_MOMENTUM, beta1, beta2, eps);
        }
    }

    private final Params params;
    private final int[] sizes;
    /** Momentum's v or Adam's m, per slot; null for SGD. */
    private final double[][] first;
    /** Adam's v, per slot; null otherwise. */
    private final double[][] second;
    /** The same in float32 ({@link #float32}); null otherwise. */
    private final float[][] first32;
    private final float[][] second32;
    private long step;
    private double stepSize;
    private double bias2Sqrt;

    /**
     * An optimizer for tensors of the given sizes (one slot each), its state zero.
     *
     * @param sizes the number of values of each parameter tensor
     */
    public Optimizer(Params params, int... sizes) {
        this(params, false, sizes);
    }

    private Optimizer(Params params, boolean float32, int... sizes) {
        this.params = Objects.requireNonNull(params, "params");
        this.sizes = sizes.clone();
        for (int i = 0; i < sizes.length; i++) {
            Check.argument(sizes[i] >= 0, "sizes[%s] must be >= 0, found %s", i, sizes[i]);
        }
        final boolean momentum = params.kind() != Kind.SGD;
        final boolean adam = params.kind() == Kind.ADAM;
        first = momentum && !float32 ? new double[sizes.length][] : null;
        second = adam && !float32 ? new double[sizes.length][] : null;
        first32 = momentum && float32 ? new float[sizes.length][] : null;
        second32 = adam && float32 ? new float[sizes.length][] : null;
        for (int i = 0; i < sizes.length; i++) {
            if (first != null) {
                first[i] = new double[sizes[i]];
            }
            if (second != null) {
                second[i] = new double[sizes[i]];
            }
            if (first32 != null) {
                first32[i] = new float[sizes[i]];
            }
            if (second32 != null) {
                second32[i] = new float[sizes[i]];
            }
        }
    }

    /** An optimizer of float32 tensors ({@link #update(int, float[], float[])}), its state zero. */
    public static Optimizer float32(Params params, int... sizes) {
        return new Optimizer(params, true, sizes);
    }

    public Params params() {
        return params;
    }

    /** Steps begun so far (t of the current step; 0 before the first). */
    public long step() {
        return step;
    }

    /** Starts step t + 1: Adam's bias corrections for the new t. */
    public void beginStep() {
        step++;
        if (params.kind() == Kind.ADAM) {
            double bias1 = 1.0 - power(params.beta1(), step);
            double bias2 = 1.0 - power(params.beta2(), step);
            stepSize = params.lr() / bias1;
            bias2Sqrt = Math.sqrt(bias2);
        }
    }

    /**
     * β^t as e^(t·ln β) with {@link DetMath#exp} and ln β = {@link DetMath#log1p}(β − 1) (β − 1 is
     * exact for β ≥ ½): only exactly rounded operations, so the same bits on every JVM and tier,
     * and no allocation (JDK 17's {@link StrictMath#pow} allocates on every call). Relative error
     * about (|t·ln β| + 2) ulps: a few ulps wherever β^t is not negligible beside 1. 1 at t = 0.
     */
    static double power(double beta, long t) {
        if (t == 0) {
            return 1.0;
        }
        return DetMath.exp(t * DetMath.log1p(beta - 1.0));
    }

    /**
     * Applies the current step's update to slot {@code slot}: w[0..size) from g[0..size).
     *
     * @return Σ (Δw)², the squared norm of the change actually made to w (after rounding)
     */
    public double update(int slot, double[] w, double[] g) {
        if (step == 0) { // checked here: Check.state's empty varargs array would allocate per call
            Check.state(false, "beginStep() must be called before update()");
        }
        final int n = sizes[slot];
        final double lr = params.lr();
        double ss = 0;
        switch (params.kind()) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    final double old = w[i];
                    final double nw = old - lr * g[i];
                    w[i] = nw;
                    final double d = nw - old;
                    ss += d * d;
                }
            }
            case MOMENTUM -> {
                final double beta = params.momentum();
                final double[] v = first[slot];
                for (int i = 0; i < n; i++) {
                    final double vi = beta * v[i] + g[i];
                    v[i] = vi;
                    final double old = w[i];
                    final double nw = old - lr * vi;
                    w[i] = nw;
                    final double d = nw - old;
                    ss += d * d;
                }
            }
            case ADAM -> {
                final double a1 = 1.0 - params.beta1();
                final double b2 = params.beta2();
                final double a2 = 1.0 - b2;
                final double eps = params.eps();
                final double[] m = first[slot];
                final double[] v = second[slot];
                final double size = stepSize;
                final double root = bias2Sqrt;
                for (int i = 0; i < n; i++) {
                    final double gi = g[i];
                    final double mi = m[i] + a1 * (gi - m[i]);
                    final double vi = b2 * v[i] + a2 * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    final double denom = Math.sqrt(vi) / root + eps;
                    final double old = w[i];
                    final double nw = old - size * (mi / denom);
                    w[i] = nw;
                    final double d = nw - old;
                    ss += d * d;
                }
            }
            default -> throw new IllegalStateException("unknown optimizer kind " + params.kind());
        }
        return ss;
    }

    /**
     * {@link #update(int, double[], double[])} of a float32 optimizer ({@link #float32}): the
     * current step's update to w[0..size) from g[0..size) in float32 arithmetic (see the class
     * comment).
     *
     * @return Σ (Δw)² in float64, the squared norm of the change actually made to w
     */
    public double update(int slot, float[] w, float[] g) {
        if (step == 0) { // checked here: Check.state's empty varargs array would allocate per call
            Check.state(false, "beginStep() must be called before update()");
        }
        final int n = sizes[slot];
        final float lr = (float) params.lr();
        double ss = 0;
        switch (params.kind()) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    final float old = w[i];
                    final float nw = old - lr * g[i];
                    w[i] = nw;
                    final double d = (double) nw - old;
                    ss += d * d;
                }
            }
            case MOMENTUM -> {
                final float beta = (float) params.momentum();
                final float[] v = first32[slot];
                for (int i = 0; i < n; i++) {
                    final float vi = v[i] * beta + g[i];
                    v[i] = vi;
                    final float old = w[i];
                    final float nw = old - lr * vi;
                    w[i] = nw;
                    final double d = (double) nw - old;
                    ss += d * d;
                }
            }
            case ADAM -> {
                final float a1 = (float) (1.0 - params.beta1());
                final float b2 = (float) params.beta2();
                final float a2 = (float) (1.0 - params.beta2());
                final float eps = (float) params.eps();
                final float size = (float) -stepSize;
                final float root = (float) bias2Sqrt;
                final float[] m = first32[slot];
                final float[] v = second32[slot];
                for (int i = 0; i < n; i++) {
                    final float gi = g[i];
                    final float mi = m[i] + a1 * (gi - m[i]);
                    final float vi = v[i] * b2 + a2 * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    final float denom = (float) Math.sqrt(vi) / root + eps;
                    final float old = w[i];
                    final float nw = old + size * mi / denom;
                    w[i] = nw;
                    final double d = (double) nw - old;
                    ss += d * d;
                }
            }
            default -> throw new IllegalStateException("unknown optimizer kind " + params.kind());
        }
        return ss;
    }
}
