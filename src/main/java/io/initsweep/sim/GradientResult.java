package io.initsweep.sim;

import java.io.Serializable;

/**
 * Per-layer gradient statistics of one backward pass at initialization ({@link Backward}), in flat
 * arrays indexed by 0-based layer (layer l = 1..L at index l − 1; the histogram at
 * {@code layer · LOG_BINS + bin}).
 *
 * <p>δ_l is the per-sample error at layer l's pre-activation: δ_l = batch · ∂L/∂A_l for the
 * batch-mean loss L, the gradient of one sample's own loss. In that convention E[δ_l²] /
 * E[δ_{l+1}²] → χ₁ = σ_w²·E[φ'(a)²] in mean-field theory (Schoenholz et al. 2017), whatever the
 * batch size.
 */
public final class GradientResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Lower edge of the log10|δ| histogram: |δ| below 10⁻¹² (and exact zeros) are underflow. */
    public static final double LOG_LO = -12.0;
    /** Upper edge of the log10|δ| histogram: |δ| ≥ 10⁴ (finite) is overflow. */
    public static final double LOG_HI = 4.0;
    /** Bins of the log10|δ| histogram, each half a decade wide. */
    public static final int LOG_BINS = 32;
    /**
     * The histogram's edges as magnitudes, 10^(LOG_LO + k·(LOG_HI − LOG_LO)/LOG_BINS) for k = 0..LOG_BINS
     * by {@link StrictMath#pow} (the same bits on every JVM): entries are binned by comparing |δ| with
     * these, never by a log10 whose last bit could move an entry across an edge between JIT tiers.
     */
    static final double[] LOG_EDGES = logEdges();
    /** Layers left out at the start of {@link #chi1Measured}, at most (see {@link #chi1Skip}). */
    public static final int CHI1_SKIP = 2;

    public final int depth;
    /** The loss L at these weights (batch mean). */
    public double loss;
    /** mean(δ_l²) over batch × width_l. */
    public final double[] gradSqMean;
    /** gradSqMean[l] / gradSqMean[l + 1]; NaN for the last layer. */
    public final double[] gradRatio;
    /** ‖∂L/∂W_l‖_F = ‖X_{l−1}ᵀ·δ_l‖_F / batch. */
    public final double[] weightGradNorm;
    /** weightGradNorm / ‖W_l‖_F. */
    public final double[] weightGradRatio;
    /** ‖∂L/∂b_l‖ = ‖Σ_batch δ_l‖ / batch. */
    public final double[] biasGradNorm;
    /** Entries of δ_l that are NaN or ±∞ (also the histogram's non-finite count). */
    public final long[] gradNonfinite;
    /**
     * Counts of log10|δ_l| in [LOG_LO, LOG_HI), LOG_BINS equal bins per layer: bin k holds
     * {@link #LOG_EDGES}[k] ≤ |δ| &lt; LOG_EDGES[k + 1].
     */
    public final long[] logHistCounts;
    /** Entries with |δ_l| &lt; 10^LOG_LO, exact zeros included. */
    public final long[] logHistUnderflow;
    /** Finite entries with |δ_l| ≥ 10^LOG_HI. */
    public final long[] logHistOverflow;
    /** weightGradNorm[0] / weightGradNorm[L − 1]. */
    public double gradFirstOverLast;
    /** Geometric mean of gradRatio over layers chi1Skip .. L − 2 (0-based); NaN when L &lt; 2. */
    public double chi1Measured;
    /** The layers left out at the start of chi1Measured: min(CHI1_SKIP, L − 2), 0 when L &lt; 2. */
    public int chi1Skip;

    private static double[] logEdges() {
        double[] e = new double[LOG_BINS + 1];
        for (int k = 0; k <= LOG_BINS; k++) {
            e[k] = StrictMath.pow(10.0, LOG_LO + k * (LOG_HI - LOG_LO) / LOG_BINS);
        }
        return e;
    }

    public GradientResult(int depth) {
        Check.argument(depth >= 1, "depth must be >= 1, found %s", depth);
        this.depth = depth;
        gradSqMean = new double[depth];
        gradRatio = new double[depth];
        weightGradNorm = new double[depth];
        weightGradRatio = new double[depth];
        biasGradNorm = new double[depth];
        gradNonfinite = new long[depth];
        logHistCounts = new long[depth * LOG_BINS];
        logHistUnderflow = new long[depth];
        logHistOverflow = new long[depth];
    }

    /** Entries counted for layer index {@code layer}: bins, underflow, overflow and non-finite (batch × width). */
    public long countedEntries(int layer) {
        long n = logHistUnderflow[layer] + logHistOverflow[layer] + gradNonfinite[layer];
        for (int b = 0; b < LOG_BINS; b++) {
            n += logHistCounts[layer * LOG_BINS + b];
        }
        return n;
    }
}
