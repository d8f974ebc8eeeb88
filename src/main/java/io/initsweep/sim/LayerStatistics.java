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
 * The common case (every value finite) runs a single fused pass; only when a sum comes out
 * non-finite is a careful second pass made.
 *
 * <p>Summation order (the same bits on every machine, JIT tier and route): each sum is shifted by
 * the layer's first entry (a[0] for A, z[0] for Z) and kept in {@value #LANES} lane partials plus
 * one tail partial. Entry j of a row goes to lane j mod 8 while j &lt; cols − cols mod 8, otherwise
 * to the tail; each partial adds its entries in row-major order; the lanes are then combined as
 * ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)), and the tail added last. Only exactly rounded
 * operations are used, so the Vector API route ({@link VectorStatistics}, whatever the machine's
 * vector width) and the plain-Java route give identical results. Minima, maxima and counts do not
 * depend on the order; both histograms are exact with respect to the recorded edges on either
 * route. On the Vector API route one count per entry records both histograms, at an index the
 * vectors compute (see {@link #jointConstants}).
 */
public final class LayerStatistics {
    /** Interleaved partial sums per row body: the summation order, whatever the vector width. */
    static final int LANES = 8;
    static final int SUM_A = 0;
    static final int SUM_A2 = SUM_A + LANES;
    static final int SQ_A = SUM_A2 + LANES;
    static final int SUM_Z = SQ_A + LANES;
    static final int SUM_Z2 = SUM_Z + LANES;
    static final int TAIL_SUM_A = SUM_Z2 + LANES;
    static final int TAIL_SUM_A2 = TAIL_SUM_A + 1;
    static final int TAIL_SQ_A = TAIL_SUM_A2 + 1;
    static final int TAIL_SUM_Z = TAIL_SQ_A + 1;
    static final int TAIL_SUM_Z2 = TAIL_SUM_Z + 1;
    static final int MIN_A = TAIL_SUM_Z2 + 4;
    static final int MAX_A = MIN_A + LANES;
    static final int MIN_Z = MAX_A + LANES;
    static final int MAX_Z = MIN_Z + LANES;
    /** Lane counts of exact zeros of z (integers in doubles: exact in any order). */
    static final int ZEROS = MAX_Z + LANES;
    static final int ACC_LENGTH = ZEROS + LANES;
    /** Lane minima and maxima of the row bodies on the Vector API route, as order keys ({@link #orderKey}). */
    static final int KEY_MIN_A = 0;
    static final int KEY_MAX_A = KEY_MIN_A + LANES;
    static final int KEY_MIN_Z = KEY_MAX_A + LANES;
    static final int KEY_MAX_Z = KEY_MIN_Z + LANES;
    static final int KEYS_LENGTH = KEY_MAX_Z + LANES;
    /**
     * Bound on |x + x(1 − x)(a + bx + cx²) − log2(1 + x)| over [0, 1] for the coefficients below (a
     * minimax fit; JointSlotsTest checks the bound on a fine grid).
     */
    static final double LOG2_ERROR = 1.2e-4;
    static final double LOG2_A = 0.43872573;
    static final double LOG2_B = -0.2390582;
    static final double LOG2_C = 0.08213066;
    /** Copies of the histogram counts, by entry mod COPIES, so that runs of one bin do not wait on each other. */
    private static final int COPIES = 4;

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
    private final int[] logSlots;
    private final double[] histSlotLower;
    private final int histSlotStride;
    private final int[] histSlots;
    private final double satLo;
    private final double satHi;
    /** Per column (unit): the rows on which it is saturated; dead when that is every row. */
    private final double[] satCount;
    /** The row bodies through the Vector API (see {@link VectorStatistics}). */
    private final boolean vector;
    /** Lane partials and row-tail partials of the sums, lane minima and maxima (layout: the constants below). */
    private final double[] acc = new double[ACC_LENGTH];
    /** Order keys of the lane minima and maxima (layout: KEY_MIN_A ...). */
    private final long[] keys = new long[KEYS_LENGTH];
    /**
     * Joint histogram indices of one chunk and of the chunk before, which is counted one chunk late,
     * once the vector stores that made its indices are long done. The joint histograms run over
     * the layer as one flat array, in chunks that end at the last multiple of the vector length
     * within each row (up to maxCols + the vector length entries), so row tails take the vector
     * route too.
     */
    private final long[] slotsEven;
    private final long[] slotsOdd;
    /** The constants of {@link VectorStatistics#jointSlots}, or null where its margins do not hold. */
    private final double[] jointConstants;
    private final long[] jointIntConstants;
    /** The joint index: copy · ((bins + 2) &lt;&lt; logShift) + (linear slot &lt;&lt; logShift) + log slot. */
    private final int logShift;
    /** Joint counts of (linear slot, log slot), by entry mod COPIES (layout: {@link #logShift}). */
    private final int[] jointSlots;

    /**
     * @param maxCols the widest layer this instance will observe
     */
    public LayerStatistics(StatsConfig config, Activation activation, double activationParam, int maxCols) {
        this(config, activation, activationParam, maxCols, Kernels.VECTOR_API);
    }

    /** @param vector use the Vector API for the row bodies (the module must be present) */
    LayerStatistics(StatsConfig config, Activation activation, double activationParam, int maxCols, boolean vector) {
        this.vector = vector;
        int chunk = maxCols + (vector ? VectorStatistics.vectorLength() : 1);
        this.slotsEven = new long[chunk];
        this.slotsOdd = new long[chunk];
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
        this.logSlots = new int[COPIES * logSlotStride];
        this.histSlotLower = slotLowerBounds(edges);
        this.histSlotStride = hist.bins() + 2;
        this.histSlots = new int[COPIES * histSlotStride];
        this.logShift = 32 - Integer.numberOfLeadingZeros(logSlotStride - 1);
        this.jointIntConstants = new long[VectorStatistics.K_COPY + (vector ? VectorStatistics.vectorLength() : 0)];
        this.jointConstants = vector ? jointConstants() : null;
        this.jointSlots = new int[jointConstants != null ? COPIES * (histSlotStride << logShift) : 0];
        double[] band = activation.saturationBand(config.saturationThreshold(), activationParam);
        this.satLo = band[0];
        this.satHi = band[1];
        this.satCount = new double[maxCols];
    }

    /** Whether observe counts both histograms at once from the Vector API's slots (else slot by slot). */
    boolean jointHistograms() {
        return jointConstants != null;
    }

    /**
     * The joint indices of z[from .. from + len) on the Vector API route into out, and whether the
     * chunk needed no exact redo (the route's margin held everywhere). Where it did not, only the
     * entries the route marked are redone: saturated sigmoid and tanh outputs sit just below the
     * log histogram's edge at 1 and are marked by the thousand.
     */
    boolean jointSlotsDecide(double[] z, int from, int len, long[] out) {
        long margin = VectorStatistics.jointSlots(z, from, len, jointConstants, jointIntConstants, out);
        if (margin <= 0) { // some estimate fell near an edge
            jointSlotsExact(z, from, len, out);
        }
        return margin > 0;
    }

    /** The exact joint index of v at position j of a chunk (the route's layout). */
    long jointSlotExact(double v, int j) {
        return (j & (COPIES - 1)) * (long) (histSlotStride << logShift) + (histSlot(v) << logShift) + logSlot(Math.abs(v));
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
        final int body = cols - cols % LANES;
        Arrays.fill(satCount, 0, cols, 0.0);
        Arrays.fill(histSlots, 0);
        Arrays.fill(logSlots, 0);
        Arrays.fill(jointSlots, 0);
        final double shiftA = a[0];
        final double shiftZ = z[0];
        Arrays.fill(acc, 0, MIN_A, 0.0);
        Arrays.fill(acc, MIN_A, MAX_A, Double.POSITIVE_INFINITY);
        Arrays.fill(acc, MAX_A, MIN_Z, Double.NEGATIVE_INFINITY);
        Arrays.fill(acc, MIN_Z, MAX_Z, Double.POSITIVE_INFINITY);
        Arrays.fill(acc, MAX_Z, ZEROS, Double.NEGATIVE_INFINITY);
        Arrays.fill(acc, ZEROS, ACC_LENGTH, 0.0);
        Arrays.fill(keys, KEY_MIN_A, KEY_MAX_A, orderKey(Double.POSITIVE_INFINITY));
        Arrays.fill(keys, KEY_MAX_A, KEY_MIN_Z, orderKey(Double.NEGATIVE_INFINITY));
        Arrays.fill(keys, KEY_MIN_Z, KEY_MAX_Z, orderKey(Double.POSITIVE_INFINITY));
        Arrays.fill(keys, KEY_MAX_Z, KEYS_LENGTH, orderKey(Double.NEGATIVE_INFINITY));
        final boolean joint = jointConstants != null;
        final int tile = joint ? VectorStatistics.vectorLength() : 1;
        int histFrom = 0;
        int lastLen = 0;
        boolean even = true;
        for (int r = 0; r < rows; r++) {
            final int base = r * cols;
            if (vector) {
                VectorStatistics.rowPass(a, z, base, body, shiftA, shiftZ, acc, keys, satLo, satHi, satCount);
                if (joint) {
                    // the flat chunk [histFrom, histTo): every entry up to this row's end, in whole tiles
                    final int histTo = (base + cols) & -tile;
                    final int len = histTo - histFrom;
                    if (len > 0) {
                        jointSlotsDecide(z, histFrom, len, even ? slotsEven : slotsOdd);
                        histogramsJoint(even ? slotsOdd : slotsEven, lastLen);
                        lastLen = len;
                        even = !even;
                        histFrom = histTo;
                    }
                } else {
                    histogramsPlain(z, base, 0, body);
                }
            } else {
                momentsPlain(a, z, base, body, shiftA, shiftZ, acc);
                countsPlain(a, z, base, 0, body);
                histogramsPlain(z, base, 0, body);
            }
            if (body < cols) {
                rowTail(a, z, base, body, cols, shiftA, shiftZ);
                if (!joint) {
                    histogramsPlain(z, base, body, cols);
                }
            }
        }
        if (joint) {
            histogramsJoint(even ? slotsOdd : slotsEven, lastLen);
            histogramsPlain(z, 0, histFrom, n); // the last entries, fewer than a tile
            foldJoint();
        }
        long zeros = 0;
        for (int l = 0; l < LANES; l++) {
            zeros += (long) acc[ZEROS + l];
        }
        long saturated = 0;
        int dead = 0;
        for (int j = 0; j < cols; j++) {
            saturated += (long) satCount[j];
            dead += satCount[j] == rows ? 1 : 0;
        }
        finish(a, z, n, cols, zeros, saturated, dead, out, layer);
    }

    /** Rates, histograms and moments of the accumulated pass into {@code out}. */
    private void finish(double[] a, double[] z, int n, int cols, long zeros, long saturated, int dead, ChainResult out,
            int layer) {
        final int bins = hist.bins();
        final int logBins = logHist.bins();
        final int histOffset = layer * bins;
        final int logOffset = layer * logBins;
        long under = 0;
        long over = 0;
        for (int b = 0; b < bins; b++) {
            out.histCounts[histOffset + b] = 0;
        }
        for (int c = 0; c < COPIES; c++) {
            int o = c * histSlotStride;
            under += histSlots[o];
            over += histSlots[o + bins + 1];
            for (int b = 0; b < bins; b++) {
                out.histCounts[histOffset + b] += histSlots[o + b + 1];
            }
        }
        long logUnder = 0;
        long logOver = 0;
        for (int b = 0; b < logBins; b++) {
            out.logHistCounts[logOffset + b] = 0;
        }
        for (int c = 0; c < COPIES; c++) {
            int o = c * logSlotStride;
            logUnder += logSlots[o];
            logOver += logSlots[o + logBins + 1];
            for (int b = 0; b < logBins; b++) {
                out.logHistCounts[logOffset + b] += logSlots[o + b + 1];
            }
        }
        out.saturationRate[layer] = (double) saturated / n;
        out.deadUnitRate[layer] = (double) dead / cols;
        out.zeroRate[layer] = (double) zeros / n;

        final double shiftA = a[0];
        final double shiftZ = z[0];
        double sumA = sum(acc, SUM_A, TAIL_SUM_A);
        double sumA2 = sum(acc, SUM_A2, TAIL_SUM_A2);
        double sqA = sum(acc, SQ_A, TAIL_SQ_A);
        double sumZ = sum(acc, SUM_Z, TAIL_SUM_Z);
        double sumZ2 = sum(acc, SUM_Z2, TAIL_SUM_Z2);
        boolean allFinite = Double.isFinite(sumA2) && Double.isFinite(sumZ2) && Double.isFinite(sqA);
        if (allFinite) {
            double mA = sumA / n;
            double mZ = sumZ / n;
            out.preMean[layer] = shiftA + mA;
            out.preStd[layer] = Math.sqrt(Math.max(sumA2 / n - mA * mA, 0.0));
            out.preSqMean[layer] = sqA / n;
            out.preMin[layer] = Math.min(min(acc, MIN_A), fromOrderKey(minKey(KEY_MIN_A)));
            out.preMax[layer] = Math.max(max(acc, MAX_A), fromOrderKey(maxKey(KEY_MAX_A)));
            out.preNonfinite[layer] = 0;
            out.actMean[layer] = shiftZ + mZ;
            out.actStd[layer] = Math.sqrt(Math.max(sumZ2 / n - mZ * mZ, 0.0));
            out.actMin[layer] = Math.min(min(acc, MIN_Z), fromOrderKey(minKey(KEY_MIN_Z)));
            out.actMax[layer] = Math.max(max(acc, MAX_Z), fromOrderKey(maxKey(KEY_MAX_Z)));
            out.nonfinite[layer] = 0;
            out.histUnderflow[layer] = under;
            out.histOverflow[layer] = over;
            out.logHistUnderflow[layer] = logUnder;
            out.logHistOverflow[layer] = logOver;
        } else {
            careful(a, z, n, out, layer);
        }
    }

    /**
     * The fixed summation order: the eight lane partials at {@code from} in a balanced tree, then
     * the row tails' partial.
     */
    private static double sum(double[] acc, int from, int tail) {
        double s01 = acc[from] + acc[from + 1];
        double s23 = acc[from + 2] + acc[from + 3];
        double s45 = acc[from + 4] + acc[from + 5];
        double s67 = acc[from + 6] + acc[from + 7];
        return ((s01 + s23) + (s45 + s67)) + acc[tail];
    }

    /** Minimum of the eight lanes at {@code from} (their order does not matter). */
    private static double min(double[] acc, int from) {
        double m = acc[from];
        for (int l = 1; l < LANES; l++) {
            m = Math.min(m, acc[from + l]);
        }
        return m;
    }

    /** Maximum of the eight lanes at {@code from}. */
    private static double max(double[] acc, int from) {
        double m = acc[from];
        for (int l = 1; l < LANES; l++) {
            m = Math.max(m, acc[from + l]);
        }
        return m;
    }

    /** Smallest of the eight order keys at {@code from}. */
    private long minKey(int from) {
        long m = keys[from];
        for (int l = 1; l < LANES; l++) {
            m = Math.min(m, keys[from + l]);
        }
        return m;
    }

    /** Largest of the eight order keys at {@code from}. */
    private long maxKey(int from) {
        long m = keys[from];
        for (int l = 1; l < LANES; l++) {
            m = Math.max(m, keys[from + l]);
        }
        return m;
    }

    /**
     * A key whose signed order is the order of {@link Math#min} on non-NaN doubles: the bits, with
     * the magnitude bits flipped where the sign is set (its own inverse, {@link #fromOrderKey}).
     */
    static long orderKey(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    static double fromOrderKey(long key) {
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    /**
     * The sums over one row body in the fixed order: entry j goes to lane partial j mod
     * {@link #LANES}, added in row order; min and max likewise per lane. The Vector API route
     * ({@link VectorStatistics#rowPass}) computes exactly these operations.
     */
    static void momentsPlain(double[] a, double[] z, int base, int body, double shiftA, double shiftZ, double[] acc) {
        for (int j = 0; j < body; j += LANES) {
            for (int l = 0; l < LANES; l++) {
                final double av = a[base + j + l];
                final double zv = z[base + j + l];
                final double da = av - shiftA;
                final double dz = zv - shiftZ;
                acc[SUM_A + l] += da;
                acc[SUM_A2 + l] += da * da;
                acc[SQ_A + l] += av * av;
                acc[SUM_Z + l] += dz;
                acc[SUM_Z2 + l] += dz * dz;
                acc[MIN_A + l] = Math.min(acc[MIN_A + l], av);
                acc[MAX_A + l] = Math.max(acc[MAX_A + l], av);
                acc[MIN_Z + l] = Math.min(acc[MIN_Z + l], zv);
                acc[MAX_Z + l] = Math.max(acc[MAX_Z + l], zv);
            }
        }
    }

    /**
     * The row tail [body, cols) of the row at {@code base}: one more partial per sum, added in
     * row-major order over the layer; min and max into lane 0; zeros and saturated entries counted.
     */
    private void rowTail(double[] a, double[] z, int base, int body, int cols, double shiftA, double shiftZ) {
        double sumA = acc[TAIL_SUM_A];
        double sumA2 = acc[TAIL_SUM_A2];
        double sqA = acc[TAIL_SQ_A];
        double sumZ = acc[TAIL_SUM_Z];
        double sumZ2 = acc[TAIL_SUM_Z2];
        double minA = acc[MIN_A];
        double maxA = acc[MAX_A];
        double minZ = acc[MIN_Z];
        double maxZ = acc[MAX_Z];
        for (int i = base + body; i < base + cols; i++) {
            final double av = a[i];
            final double zv = z[i];
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
        }
        acc[TAIL_SUM_A] = sumA;
        acc[TAIL_SUM_A2] = sumA2;
        acc[TAIL_SQ_A] = sqA;
        acc[TAIL_SUM_Z] = sumZ;
        acc[TAIL_SUM_Z2] = sumZ2;
        acc[MIN_A] = minA;
        acc[MAX_A] = maxA;
        acc[MIN_Z] = minZ;
        acc[MAX_Z] = maxZ;
        countsPlain(a, z, base, body, cols);
    }

    /**
     * Over columns [from, to) of one row: zeros of z into the lanes at {@link #ZEROS} (lane j mod
     * 8), and 1 into satCount[j] for every saturated a.
     */
    private void countsPlain(double[] a, double[] z, int base, int from, int to) {
        for (int j = from; j < to; j++) {
            final double av = a[base + j];
            acc[ZEROS + (j & (LANES - 1))] += z[base + j] == 0.0 ? 1 : 0;
            satCount[j] += (av < satLo ? 1 : 0) + (av > satHi ? 1 : 0);
        }
    }

    /** Both histograms over columns [from, to) of one row, each slot found from the value alone. */
    private void histogramsPlain(double[] z, int base, int from, int to) {
        for (int j = from; j < to; j++) {
            final double zv = z[base + j];
            histSlots[(j & (COPIES - 1)) * histSlotStride + histSlot(zv)]++;
            logSlots[(j & (COPIES - 1)) * logSlotStride + logSlot(Math.abs(zv))]++;
        }
    }

    /** Both histograms from the joint indices slots[0 .. len) made by {@link VectorStatistics#jointSlots}: one count per entry. */
    private void histogramsJoint(long[] slots, int len) {
        final int[] counts = jointSlots;
        for (int j = 0; j < len; j++) {
            counts[(int) slots[j]]++;
        }
    }

    /** The exact joint index, from its slots, of every entry of z[from .. from + len) marked in slots[0 .. len) (negative). */
    private void jointSlotsExact(double[] z, int from, int len, long[] slots) {
        for (int j = 0; j < len; j++) {
            if (slots[j] < 0) {
                slots[j] = jointSlotExact(z[from + j], j);
            }
        }
    }

    /** Adds the joint counts into the first copy of each histogram's slots. */
    private void foldJoint() {
        final int logStride = 1 << logShift;
        for (int c = 0; c < COPIES; c++) {
            int o = c * (histSlotStride << logShift);
            for (int s = 0; s < histSlotStride; s++) {
                int rowSum = 0;
                for (int t = 0; t < logSlotStride; t++) {
                    int k = jointSlots[o + s * logStride + t];
                    rowSum += k;
                    logSlots[t] += k;
                }
                histSlots[s] += rowSum;
            }
        }
    }

    /**
     * The constants of {@link VectorStatistics#jointSlots} (and its integer ones into
     * {@link #jointIntConstants}), or null when its estimates cannot decide within the margins
     * below; both histograms are then counted slot by slot.
     *
     * <p>Estimates are doubles FIXED + v whose bits end in v in fixed point (2^−20 units), so that
     * slots are found and clamped with integer operations. An estimate is a monotone function of
     * the value, or within ρ of one, and the recorded edges fall within ε of the integers; where an
     * estimate is farther than ε + ρ from every integer, its integer part is the exact slot, else the
     * entry is redone slot by slot.
     *
     * <p>Linear: v = (z − lo) · (bins / (hi − lo)) + 1, rounded after each operation (monotone in
     * z), which puts edge k near k + 1; clamped to [1.5, bins + 0.5], so lo and hi themselves are
     * never near an integer. Below lo and above hi are decided exactly by comparing order keys.
     *
     * <p>Log: v = K · log2~(m) + off for m = |z| = 2^E · (1 + x), with log2~(m) = E + x + x(1 − x)(a
     * + bx + cx²) (x truncated to 40 bits in the first term) within {@link #LOG2_ERROR} + 2^−40 of
     * log2(m), K and off putting the edges 10^e_k near k + 1. Exact powers of two (x = 0, where
     * log2~ is exact) get K · β more, β below the distance in octaves from any edge to the power of
     * two below it, so an edge that is itself a power of two (10^0 = 1, where tanh and hardtanh
     * saturate) is decided without the redo. Zero and subnormal magnitudes must come out as
     * underflow, which holds when the first edge is far enough above the smallest normal double.
     */
    private double[] jointConstants() {
        final int bins = hist.bins();
        final double lo = hist.lo();
        final double hi = hist.hi();
        final double inv = histInvWidth;
        final double fixed = VectorStatistics.FIXED;
        final int unit = 1 << VectorStatistics.FRACTION;
        if (!(inv > 0 && inv < Double.POSITIVE_INFINITY) || bins > 1 << 20 || logShift > 20) {
            return null;
        }
        long linMargin = 0;
        for (int k = 1; k < bins; k++) {
            double g = (histSlotLower[k + 1] - lo) * inv + (fixed + 1.0);
            linMargin = Math.max(linMargin, Math.abs(Double.doubleToRawLongBits(g) - Double.doubleToRawLongBits(fixed + 1.0 + k)));
        }
        final long linUnits = linMargin + 1;
        final int logBins = logHist.bins();
        final double log2Of10 = Math.log(10) / Math.log(2);
        final double k = logBins / ((logHist.hi() - logHist.lo()) * log2Of10);
        final double off = 1.0 - k * logHist.lo() * log2Of10;
        if (!(k > 0 && Double.isFinite(k) && Double.isFinite(off))) {
            return null;
        }
        // |v − (K·log2(m) + off)| for normal m: the approximation, the truncation, the rounding of each step
        final double rho = k * (LOG2_ERROR + 0x1p-40) + k * 2100 * 0x1p-52 + 4.0 / unit + Math.ulp(off - 1023 * k);
        double edgeEps = 0;
        double gap = Double.POSITIVE_INFINITY;
        for (int b = 0; b <= logBins; b++) {
            double m = logSlotLower[b + 1];
            double l2 = Math.log(m) / Math.log(2);
            edgeEps = Math.max(edgeEps, Math.abs(k * l2 + off - (b + 1)) + (Math.abs(k * l2) + Math.abs(off) + 1) * 0x1p-48);
            double above = m / Math.scalb(1.0, Math.getExponent(m)); // in [1, 2)
            if (above > 1.0) {
                gap = Math.min(gap, Math.log(above) / Math.log(2));
            }
        }
        final double tau = edgeEps + rho;
        final long logUnits = (long) Math.ceil(tau * unit) + 1;
        final double beta = Math.min(0.5 * gap, 0.25 / k);
        if (!(4 * Math.max(linUnits, logUnits) < unit) || Math.getExponent(logSlotLower[1]) < Double.MIN_EXPONENT) {
            return null;
        }
        // zero and subnormal magnitudes: at most the estimate of the smallest normal, plus the bias
        if (!(k * -1022 + off + rho + k * beta < 1 - tau - 0.01)) {
            return null;
        }
        double[] c = new double[VectorStatistics.C_LENGTH];
        c[VectorStatistics.C_LO] = lo;
        c[VectorStatistics.C_INV] = inv;
        c[VectorStatistics.C_LOG_Y] = k * 0x1p-40;
        c[VectorStatistics.C_LOG_A] = k * LOG2_A;
        c[VectorStatistics.C_LOG_B] = k * LOG2_B;
        c[VectorStatistics.C_LOG_C] = k * LOG2_C;
        c[VectorStatistics.C_LOG_OFF] = fixed + (off - 1023 * k);
        c[VectorStatistics.C_BIAS] = k * beta;
        final long[] ik = jointIntConstants;
        final long base = Double.doubleToRawLongBits(fixed) >>> VectorStatistics.FRACTION;
        ik[VectorStatistics.K_LIN_LO] = Double.doubleToRawLongBits(fixed + 1.5);
        ik[VectorStatistics.K_LIN_HI] = Double.doubleToRawLongBits(fixed + bins + 0.5);
        ik[VectorStatistics.K_LIN_EPS] = linUnits;
        ik[VectorStatistics.K_LOG_LO] = Double.doubleToRawLongBits(fixed + 0.5);
        ik[VectorStatistics.K_LOG_HI] = Double.doubleToRawLongBits(fixed + logBins + 1.5);
        ik[VectorStatistics.K_LOG_EPS] = logUnits;
        // z < lo and z > hi as IEEE compares them: −0.0 and +0.0 are equal
        ik[VectorStatistics.K_KEY_LO] = orderKey(lo == 0 ? -0.0 : lo);
        ik[VectorStatistics.K_KEY_HI] = orderKey(hi == 0 ? 0.0 : hi);
        ik[VectorStatistics.K_BASE] = base;
        ik[VectorStatistics.K_TOP] = base + bins + 1;
        ik[VectorStatistics.K_SHIFT] = logShift;
        final int tile = VectorStatistics.vectorLength();
        for (int l = 0; l < tile; l++) {
            ik[VectorStatistics.K_COPY + l] = (l & (COPIES - 1)) * (histSlotStride << logShift) - (base << logShift) - base;
        }
        return c;
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
