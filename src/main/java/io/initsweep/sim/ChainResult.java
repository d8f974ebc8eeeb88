package io.initsweep.sim;

import java.io.Serializable;

/**
 * Per-layer statistics of one chain, in flat arrays indexed by 0-based layer (histograms:
 * layer · bins + bin). Filled in place by {@link LayerStatistics}; no allocation per layer.
 */
public final class ChainResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int depth;
    public final int bins;
    public final int logBins;
    public final double[] actMean;
    public final double[] actStd;
    public final double[] actMin;
    public final double[] actMax;
    public final double[] preMean;
    public final double[] preStd;
    public final double[] preMin;
    public final double[] preMax;
    public final double[] preSqMean;
    public final double[] saturationRate;
    public final double[] deadUnitRate;
    public final double[] zeroRate;
    public final long[] nonfinite;
    public final long[] preNonfinite;
    public final long[] histCounts;
    public final long[] histUnderflow;
    public final long[] histOverflow;
    public final long[] logHistCounts;
    public final long[] logHistUnderflow;
    public final long[] logHistOverflow;
    /** Root mean square of each layer's weights as used (after LSUV's rescaling). */
    public final double[] weightRms;
    /** LSUV rescalings made per layer (0 for every other init). */
    public final int[] lsuvIterations;
    /** Mean cosine of all pairs of batch rows of A per layer ({@link RowCorrelation#mean}). */
    public final double[] preCorrMean;
    /** Spread of the cosines of disjoint row pairs of A per layer ({@link RowCorrelation#spread}). */
    public final double[] preCorrSpread;
    /**
     * Distinct activation columns per layer ({@link Symmetry#distinctColumns}): units that no other
     * unit matches exactly over the batch count once each, identical units once per group. Filled
     * only for chains with gradients; 0 otherwise.
     */
    public final int[] distinctUnits;
    /** mean(x²) of the input as drawn or read (float64), over batch × input width. */
    public double inputSqMean = Double.NaN;
    /** Mean cosine of all pairs of input rows (the mean-field c⁰). */
    public double inputCorrMean = Double.NaN;

    public ChainResult(int depth, int bins, int logBins) {
        this.depth = depth;
        this.bins = bins;
        this.logBins = logBins;
        actMean = new double[depth];
        actStd = new double[depth];
        actMin = new double[depth];
        actMax = new double[depth];
        preMean = new double[depth];
        preStd = new double[depth];
        preMin = new double[depth];
        preMax = new double[depth];
        preSqMean = new double[depth];
        saturationRate = new double[depth];
        deadUnitRate = new double[depth];
        zeroRate = new double[depth];
        nonfinite = new long[depth];
        preNonfinite = new long[depth];
        histCounts = new long[depth * bins];
        histUnderflow = new long[depth];
        histOverflow = new long[depth];
        logHistCounts = new long[depth * logBins];
        logHistUnderflow = new long[depth];
        logHistOverflow = new long[depth];
        weightRms = new double[depth];
        lsuvIterations = new int[depth];
        preCorrMean = new double[depth];
        preCorrSpread = new double[depth];
        distinctUnits = new int[depth];
    }

    /** Histogram counts of a 0-based layer (a copy). */
    public long[] histCounts(int layer) {
        return java.util.Arrays.copyOfRange(histCounts, layer * bins, (layer + 1) * bins);
    }

    /** Log-magnitude histogram counts of a 0-based layer (a copy). */
    public long[] logHistCounts(int layer) {
        return java.util.Arrays.copyOfRange(logHistCounts, layer * logBins, (layer + 1) * logBins);
    }
}
