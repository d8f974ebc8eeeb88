package io.initsweep.sim;

import java.util.Arrays;

/**
 * The per-layer statistics pass: one read of A and Z = φ(A) that records moments, rates and
 * both histograms into a {@link ChainResult}. Scratch space is allocated once per instance.
 *
 * <p>Definitions (population moments, n = rows · cols):
 * <ul>
 *   <li>mean, std (ddof = 0), min, max of Z and of A; pre_sq_mean = E[A²] (the mean-field q);</li>
 *   <li>saturation rate: share of entries with φ'(a) &lt; τ · max φ' ({@link Activation#saturationBand});</li>
 *   <li>dead-unit rate: share of units (columns) saturated on every row;</li>
 *   <li>zero rate: share of z exactly 0; non-finite count: z that are NaN or ±Inf;</li>
 *   <li>when any z is non-finite, Z's mean, std and second moment are NaN and its min/max are
 *       taken over the finite entries (NaN when there are none); likewise for A.</li>
 * </ul>
 * The common case (every value finite) runs a single fused loop; only when a sum comes out
 * non-finite is a careful second pass made.
 */
public final class LayerStatistics {
    private final HistogramSpec hist;
    private final double[] edges;
    private final double histInvWidth;
    private final HistogramSpec logHist;
    private final double[] magnitudeEdges;
    private final int logCellShift;
    private final long logCellBase;
    private final int[] logCellBin;
    private final int[] logCellSlot;
    private final double[] logSlotLower;
    private final int logSlotStride;
    private final long[] logSlots;
    private final double[] histSlotLower;
    private final int histSlotStride;
    private final long[] histSlots;
    private final double satLo;
    private final double satHi;
    private final boolean[] alive;
    /** Zero, saturation and dead-unit counts through the Vector API (see {@link VectorStatistics}). */
    private final boolean vectorCounts;

    /**
     * @param maxCols the widest layer this instance will observe
     */
    public LayerStatistics(StatsConfig config, Activation activation, double activationParam, int maxCols) {
        this(config, activation, activationParam, maxCols, Kernels.VECTOR_API);
    }

    /** @param vectorCounts use the Vector API for the counts (the module must be present) */
    LayerStatistics(StatsConfig config, Activation activation, double activationParam, int maxCols, boolean vectorCounts) {
        this.vectorCounts = vectorCounts;
        this.hist = config.histogram();
        this.edges = hist.edges();
        this.histInvWidth = hist.bins() / (hist.hi() - hist.lo());
        this.logHist = config.logHistogram();
        double[] logEdges = logHist.edges();
        this.magnitudeEdges = new double[logEdges.length];
        for (int k = 0; k < logEdges.length; k++) {
            magnitudeEdges[k] = Math.pow(10.0, logEdges[k]);
        }
        this.logCellShift = logCellShift(magnitudeEdges);
        this.logCellBase = Double.doubleToRawLongBits(magnitudeEdges[0]) >>> logCellShift;
        this.logCellBin = logCellTable(magnitudeEdges, logCellShift, logCellBase);
        // slot table: one cell below the range (slot 0), the cells (the slot of their smallest value,
        // which is underflow for the part of the first cell below 10^lo), one above (overflow)
        int logBins = logHist.bins();
        this.logCellSlot = new int[logCellBin.length + 2];
        logCellSlot[0] = 0;
        for (int c = 0; c < logCellBin.length; c++) {
            double smallest = Double.longBitsToDouble((logCellBase + c) << logCellShift);
            logCellSlot[c + 1] = smallest < magnitudeEdges[0] ? 0 : logCellBin[c] + 1;
        }
        logCellSlot[logCellBin.length + 1] = logBins + 1;
        this.logSlotLower = slotLowerBounds(magnitudeEdges);
        this.logSlotStride = logBins + 2;
        this.logSlots = new long[4 * logSlotStride];
        this.histSlotLower = slotLowerBounds(edges);
        this.histSlotStride = hist.bins() + 2;
        this.histSlots = new long[4 * histSlotStride];
        double[] band = activation.saturationBand(config.saturationThreshold(), activationParam);
        this.satLo = band[0];
        this.satHi = band[1];
        this.alive = new boolean[maxCols];
    }

    /** Saturation thresholds in use: a is saturated when a &lt; [0] or a &gt; [1]. */
    public double[] saturationBand() {
        return new double[] {satLo, satHi};
    }

    /**
     * Observes layer {@code layer} (0-based) with pre-activations {@code a} and outputs
     * {@code z}, both row-major rows × cols. Writes into {@code out}; reads a and z only.
     */
    public void observe(double[] a, double[] z, int rows, int cols, ChainResult out, int layer) {
        final int n = rows * cols;
        final int bins = hist.bins();
        final int logBins = logHist.bins();
        final long[] counts = out.histCounts;
        final long[] logCounts = out.logHistCounts;
        final int histOffset = layer * bins;
        final int logOffset = layer * logBins;
        Arrays.fill(counts, histOffset, histOffset + bins, 0L);
        Arrays.fill(logCounts, logOffset, logOffset + logBins, 0L);
        Arrays.fill(alive, 0, cols, false);

        final double shiftA = a[0];
        final double shiftZ = z[0];
        double sumA = 0;
        double sumA2 = 0;
        double sqA = 0;
        double minA = Double.POSITIVE_INFINITY;
        double maxA = Double.NEGATIVE_INFINITY;
        double sumZ = 0;
        double sumZ2 = 0;
        double minZ = Double.POSITIVE_INFINITY;
        double maxZ = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        long saturated = 0;
        long under = 0;
        long over = 0;
        Arrays.fill(logSlots, 0L);
        Arrays.fill(histSlots, 0L);
        if (vectorCounts) {
            for (int r = 0; r < rows; r++) {
                long c = VectorStatistics.row(a, z, r * cols, cols, satLo, satHi, alive);
                zeros += c & 0xFFFFFFFFL;
                saturated += c >>> 32;
            }
        }
        for (int r = 0; r < rows; r++) {
            final int base = r * cols;
            for (int j = 0; j < cols; j++) {
                final double av = a[base + j];
                final double zv = z[base + j];
                final double da = av - shiftA;
                final double dz = zv - shiftZ;
                sumA += da;
                sumA2 += da * da;
                sqA += av * av;
                sumZ += dz;
                sumZ2 += dz * dz;
                minA = Math.min(minA, av);
                maxA = Math.max(maxA, av);
                minZ = Math.min(minZ, zv);
                maxZ = Math.max(maxZ, zv);
                if (!vectorCounts) {
                    zeros += zv == 0.0 ? 1 : 0;
                    final boolean sat = av < satLo || av > satHi;
                    saturated += sat ? 1 : 0;
                    alive[j] |= !sat;
                }
                histSlots[((base + j) & 3) * histSlotStride + histSlot(zv)]++;
                logSlots[((base + j) & 3) * logSlotStride + logSlot(Math.abs(zv))]++;
            }
        }
        for (int c = 0; c < 4; c++) {
            int o = c * histSlotStride;
            under += histSlots[o];
            over += histSlots[o + bins + 1];
            for (int b = 0; b < bins; b++) {
                counts[histOffset + b] += histSlots[o + b + 1];
            }
        }
        long logUnder = 0;
        long logOver = 0;
        for (int c = 0; c < 4; c++) {
            int o = c * logSlotStride;
            logUnder += logSlots[o];
            logOver += logSlots[o + logBins + 1];
            for (int b = 0; b < logBins; b++) {
                logCounts[logOffset + b] += logSlots[o + b + 1];
            }
        }
        int dead = 0;
        for (int j = 0; j < cols; j++) {
            if (!alive[j]) {
                dead++;
            }
        }
        out.saturationRate[layer] = (double) saturated / n;
        out.deadUnitRate[layer] = (double) dead / cols;
        out.zeroRate[layer] = (double) zeros / n;

        boolean allFinite = Double.isFinite(sumA2) && Double.isFinite(sumZ2) && Double.isFinite(sqA);
        if (allFinite) {
            double mA = sumA / n;
            double mZ = sumZ / n;
            out.preMean[layer] = shiftA + mA;
            out.preStd[layer] = Math.sqrt(Math.max(sumA2 / n - mA * mA, 0.0));
            out.preSqMean[layer] = sqA / n;
            out.preMin[layer] = minA;
            out.preMax[layer] = maxA;
            out.preNonfinite[layer] = 0;
            out.actMean[layer] = shiftZ + mZ;
            out.actStd[layer] = Math.sqrt(Math.max(sumZ2 / n - mZ * mZ, 0.0));
            out.actMin[layer] = minZ;
            out.actMax[layer] = maxZ;
            out.nonfinite[layer] = 0;
            out.histUnderflow[layer] = under;
            out.histOverflow[layer] = over;
            out.logHistUnderflow[layer] = logUnder;
            out.logHistOverflow[layer] = logOver;
        } else {
            careful(a, z, n, out, layer);
        }
    }

    /** Bin of a value known to lie in [lo, hi], exact with respect to the recorded edges. */
    private int bin(double v) {
        int b = (int) ((v - hist.lo()) * histInvWidth);
        int last = hist.bins() - 1;
        if (b > last) {
            b = last;
        }
        // & not &&: a short-circuit branch on b would be a coin flip for a ReLU layer's zeros
        while (b > 0 & v < edges[b]) {
            b--;
        }
        while (b < last & v >= edges[b + 1]) {
            b++;
        }
        return b;
    }

    /**
     * Bin of a magnitude known to lie in [10^lo, 10^hi]. The leading bits of a positive double
     * (exponent and top mantissa bits) order it like its value, so a table indexed by them gives
     * the bin of each cell's smallest value; cells are narrower than bins, so at most a step or two
     * to the right, compared against the recorded edges, finds the exact bin.
     */
    private int logBin(double m) {
        long cell = (Double.doubleToRawLongBits(m) >>> logCellShift) - logCellBase;
        int b = logCellBin[(int) cell];
        final int last = logHist.bins() - 1;
        while (b < last && m >= magnitudeEdges[b + 1]) {
            b++;
        }
        return b;
    }

    /**
     * Slot of any value for the fused pass: 0 underflow, k + 1 bin k, bins + 1 overflow. Estimated
     * from the value's offset, then stepped against the slots' lower bounds (the recorded edges),
     * so every test is exact and no branch depends on which side of the range a value falls.
     */
    private int histSlot(double v) {
        int s = (int) clamp((long) ((v - hist.lo()) * histInvWidth), -1, hist.bins()) + 1;
        final int top = hist.bins() + 1;
        while (s > 0 & v < histSlotLower[s]) {
            s--;
        }
        while (s < top & v >= histSlotLower[s + 1]) {
            s++;
        }
        return s;
    }

    /** min(max(x, lo), hi) without branches (the minimum first, so a saturated x cannot overflow). */
    private static long clamp(long x, long lo, long hi) {
        long d = x - hi;
        x = hi + (d & (d >> 63));
        d = x - lo;
        return lo + (d & ~(d >> 63));
    }

    /**
     * Lower bounds of the slots over {@code edges}: −∞ for underflow, edges[k] for bin k (slot
     * k + 1), just above the last edge for overflow (the last bin is closed), and NaN past the end
     * (compares false: the step out of the overflow slot never happens).
     */
    private static double[] slotLowerBounds(double[] edges) {
        int bins = edges.length - 1;
        double[] lower = new double[bins + 3];
        lower[0] = Double.NEGATIVE_INFINITY;
        System.arraycopy(edges, 0, lower, 1, bins);
        lower[bins + 1] = Math.nextUp(edges[bins]);
        lower[bins + 2] = Double.NaN;
        return lower;
    }

    /**
     * Slot of any magnitude (≥ 0 or NaN) for the fused pass: 0 underflow (zeros included), k + 1
     * bin k, bins + 1 overflow. The same cell table, with cells below and above the range mapped to
     * the outer slots, then steps right against the slots' lower bounds; no branch depends on
     * which side of the range a value falls.
     */
    private int logSlot(double m) {
        long cell = (Double.doubleToRawLongBits(m) >>> logCellShift) - logCellBase;
        int c = (int) clamp(cell + 1, 0, logCellSlot.length - 1);
        int s = logCellSlot[c];
        final int top = logHist.bins() + 1;
        while (s < top & m >= logSlotLower[s + 1]) {
            s++;
        }
        return s;
    }

    /** The cell table of {@link #logBin}: cells of 2^-k octave with k chosen so the table stays small. */
    private static int[] logCellTable(double[] magnitudeEdges, int shift, long base) {
        long top = Double.doubleToRawLongBits(magnitudeEdges[magnitudeEdges.length - 1]) >>> shift;
        int cells = (int) (top - base + 1);
        int[] table = new int[cells];
        int bins = magnitudeEdges.length - 1;
        for (int c = 0; c < cells; c++) {
            double smallest = Math.max(Double.longBitsToDouble((base + c) << shift), magnitudeEdges[0]);
            int b = java.util.Arrays.binarySearch(magnitudeEdges, smallest);
            b = b >= 0 ? b : -b - 2;
            table[c] = Math.min(Math.max(b, 0), bins - 1);
        }
        return table;
    }

    /** Mantissa bits kept per cell: as many as fit a table of at most 2^16 cells, at most 12. */
    private static int logCellShift(double[] magnitudeEdges) {
        double octaves = Math.log(magnitudeEdges[magnitudeEdges.length - 1] / magnitudeEdges[0]) / Math.log(2) + 2;
        int k = 12;
        while (k > 0 && octaves * (1 << k) > (1 << 16)) {
            k--;
        }
        return 52 - k;
    }

    /** The slow pass for layers holding non-finite or huge values. */
    private void careful(double[] a, double[] z, int n, ChainResult out, int layer) {
        final int bins = hist.bins();
        final int logBins = logHist.bins();
        Arrays.fill(out.histCounts, layer * bins, (layer + 1) * bins, 0L);
        Arrays.fill(out.logHistCounts, layer * logBins, (layer + 1) * logBins, 0L);
        long under = 0;
        long over = 0;
        long logUnder = 0;
        long logOver = 0;
        long nonfinite = 0;
        for (int i = 0; i < n; i++) {
            double zv = z[i];
            if (!Double.isFinite(zv)) {
                nonfinite++;
                continue;
            }
            if (zv < hist.lo()) {
                under++;
            } else if (zv > hist.hi()) {
                over++;
            } else {
                out.histCounts[layer * bins + bin(zv)]++;
            }
            double m = Math.abs(zv);
            if (m < magnitudeEdges[0]) {
                logUnder++;
            } else if (m > magnitudeEdges[logBins]) {
                logOver++;
            } else {
                out.logHistCounts[layer * logBins + logBin(m)]++;
            }
        }
        out.histUnderflow[layer] = under;
        out.histOverflow[layer] = over;
        out.logHistUnderflow[layer] = logUnder;
        out.logHistOverflow[layer] = logOver;
        out.nonfinite[layer] = nonfinite;

        double[] zm = moments(z, n);
        out.actMean[layer] = zm[0];
        out.actStd[layer] = zm[1];
        out.actMin[layer] = zm[3];
        out.actMax[layer] = zm[4];
        double[] am = moments(a, n);
        out.preMean[layer] = am[0];
        out.preStd[layer] = am[1];
        out.preSqMean[layer] = am[2];
        out.preMin[layer] = am[3];
        out.preMax[layer] = am[4];
        out.preNonfinite[layer] = (long) am[5];
    }

    /**
     * {mean, std, E[x²], min, max, non-finite count}: moments NaN when any entry is non-finite;
     * min/max over the finite entries. Scaled by the largest magnitude so huge finite values do
     * not overflow.
     */
    static double[] moments(double[] x, int n) {
        long nonfinite = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            if (!Double.isFinite(v)) {
                nonfinite++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            scale = Math.max(scale, Math.abs(v));
        }
        if (nonfinite == n) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nonfinite};
        }
        if (nonfinite > 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, min, max, nonfinite};
        }
        if (scale == 0) {
            return new double[] {0, 0, 0, min, max, 0};
        }
        double inv = 1.0 / scale;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i] * inv;
        }
        double meanScaled = sum / n;
        double ss = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double s = x[i] * inv;
            double d = s - meanScaled;
            ss += d * d;
            sq += s * s;
        }
        double mean = meanScaled * scale;
        double std = Math.sqrt(ss / n) * scale;
        double sqMean = (sq / n) * scale * scale;
        return new double[] {mean, std, sqMean, min, max, 0};
    }
}
