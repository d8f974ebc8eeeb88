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
 * route.
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
    /** Copies of the histogram counts, by column mod COPIES, so that runs of one bin do not wait on each other. */
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
    /** Linear histogram slots × log stride of one chunk (see {@link #slotStrideLast}), in the low bits of doubles (see {@link VectorStatistics#slots}). */
    private final double[] slotStride;
    /** Log-magnitude cells of one chunk, indices into {@link #logCellSlot}. */
    private final long[] cellEst;
    /**
     * The chunk before's slots and cells: counted one chunk late, once the vector stores that made
     * them are long done. The joint histograms run over the layer as one flat array, in chunks that
     * end at the last multiple of {@link #LANES} entries within each row (up to maxCols + 7 entries),
     * so that row tails are counted on the vector route too.
     */
    private final double[] slotStrideLast;
    private final long[] cellEstLast;
    /** Per log cell: the lower bound of the slot after the cell's first one (NaN when none). */
    private final double[] logCellNext;
    /**
     * Per log cell: its slot when every value in it has that slot, else the complement (negative)
     * of its first slot: only the few cells holding a log edge need the compare against
     * {@link #logCellNext}.
     */
    private final int[] logCellPure;
    /**
     * Whether the Vector API route's linear slots are exact and one step against the recorded
     * edges corrects every log cell's slot (checked at construction): that route then counts both
     * histograms at once.
     */
    private final boolean oneStep;
    /** Joint counts of (linear slot, log slot), by column mod COPIES. */
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
        this.slotStride = new double[maxCols + LANES];
        this.cellEst = new long[maxCols + LANES];
        this.slotStrideLast = new double[maxCols + LANES];
        this.cellEstLast = new long[maxCols + LANES];
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
        this.logCellNext = new double[logCellSlot.length];
        for (int c = 0; c < logCellSlot.length; c++) {
            logCellNext[c] = logSlotLower[logCellSlot[c] + 1];
        }
        this.oneStep = nearestEdgeDecides() && logOneStep();
        this.logCellPure = new int[logCellSlot.length];
        for (int c = 0; c < logCellSlot.length; c++) {
            // the cell's largest magnitude: just below the next cell's smallest; the last cell is open
            double largest = c == logCellSlot.length - 1 ? Double.POSITIVE_INFINITY
                    : Math.nextDown(Double.longBitsToDouble((logCellBase + c) << logCellShift));
            logCellPure[c] = largest >= logCellNext[c] ? ~logCellSlot[c] : logCellSlot[c];
        }
        this.jointSlots = new int[oneStep ? COPIES * histSlotStride * logSlotStride : 0];
        double[] band = activation.saturationBand(config.saturationThreshold(), activationParam);
        this.satLo = band[0];
        this.satHi = band[1];
        this.satCount = new double[maxCols];
    }

    /** Whether observe counts both histograms at once from the Vector API's slots (else slot by slot). */
    boolean jointHistograms() {
        return vector && oneStep;
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
        final int histBins = hist.bins();
        final double lo = hist.lo();
        final double histWidth = hist.hi() - hist.lo();
        final double aboveHi = histSlotLower[histBins + 1];
        final boolean flatJoint = vector && oneStep;
        int histFrom = 0;
        int lastFrom = 0;
        int lastLen = 0;
        int chunks = 0;
        for (int r = 0; r < rows; r++) {
            final int base = r * cols;
            if (vector) {
                if (VectorStatistics.WIDE) {
                    VectorStatistics.momentsAndCounts512(a, z, base, body, shiftA, shiftZ, acc, satLo, satHi, satCount);
                } else {
                    VectorStatistics.moments256(a, z, base, body, shiftA, shiftZ, acc);
                    VectorStatistics.counts(a, z, base, body, satLo, satHi, satCount, acc);
                }
                if (oneStep) {
                    // the flat chunk [histFrom, histTo): every entry up to this row's end, in whole tiles
                    final int histTo = (base + cols) & -LANES;
                    final int len = histTo - histFrom;
                    if (len > 0) {
                        final boolean even = (chunks & 1) == 0;
                        VectorStatistics.slots(z, histFrom, len, lo, histInvWidth, histWidth, histBins, aboveHi,
                                logSlotStride, logCellShift, logCellBase, logCellSlot.length - 1,
                                even ? slotStride : slotStrideLast, even ? cellEst : cellEstLast);
                        if (chunks > 0) {
                            histogramsJoint(z, lastFrom, lastLen, even ? slotStrideLast : slotStride,
                                    even ? cellEstLast : cellEst);
                        }
                        lastFrom = histFrom;
                        lastLen = len;
                        chunks++;
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
        }
        if (flatJoint) {
            if (chunks > 0) {
                boolean lastEven = ((chunks - 1) & 1) == 0;
                histogramsJoint(z, lastFrom, lastLen, lastEven ? slotStride : slotStrideLast,
                        lastEven ? cellEst : cellEstLast);
            }
            histogramsPlain(z, 0, histFrom, n); // the last n mod 8 entries
        }
        if (body < cols) {
            momentsTail(a, z, rows, cols, body, shiftA, shiftZ, acc);
            for (int r = 0; r < rows; r++) {
                countsPlain(a, z, r * cols, body, cols);
                if (!flatJoint) {
                    histogramsPlain(z, r * cols, body, cols);
                }
            }
        }
        if (flatJoint) {
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
            out.preMin[layer] = min(acc, MIN_A);
            out.preMax[layer] = max(acc, MAX_A);
            out.preNonfinite[layer] = 0;
            out.actMean[layer] = shiftZ + mZ;
            out.actStd[layer] = Math.sqrt(Math.max(sumZ2 / n - mZ * mZ, 0.0));
            out.actMin[layer] = min(acc, MIN_Z);
            out.actMax[layer] = max(acc, MAX_Z);
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

    /**
     * The sums over one row body in the fixed order: entry j goes to lane partial j mod
     * {@link #LANES}, added in row order; min and max likewise per lane. The Vector API route
     * ({@link VectorStatistics#moments256}, {@link VectorStatistics#momentsAndCounts512}) computes exactly these operations.
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
     * The row tails [body, cols) of every row: one more partial per sum, in row-major order; min
     * and max into lane 0.
     */
    private static void momentsTail(double[] a, double[] z, int rows, int cols, int body, double shiftA,
            double shiftZ, double[] acc) {
        double sumA = acc[TAIL_SUM_A];
        double sumA2 = acc[TAIL_SUM_A2];
        double sqA = acc[TAIL_SQ_A];
        double sumZ = acc[TAIL_SUM_Z];
        double sumZ2 = acc[TAIL_SUM_Z2];
        double minA = acc[MIN_A];
        double maxA = acc[MAX_A];
        double minZ = acc[MIN_Z];
        double maxZ = acc[MAX_Z];
        for (int r = 0; r < rows; r++) {
            for (int i = r * cols + body; i < (r + 1) * cols; i++) {
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

    /**
     * Both histograms over the flat entries z[base .. base + body), from their slots and cells made by
     * {@link VectorStatistics#slots}: the linear slot exact, the log cell's slot exact after one
     * step ({@link #oneStep}); one count per entry records both.
     */
    private void histogramsJoint(double[] z, int base, int body, double[] slotStride, long[] cellEst) {
        final int copyStride = histSlotStride * logSlotStride;
        for (int j = 0; j < body; j++) {
            final int s = (int) Double.doubleToRawLongBits(slotStride[j]);
            final int c = (int) cellEst[j];
            int t = logCellPure[c];
            if (t < 0) { // a cell holding a log edge: rare, so the branch is predicted
                t = ~t + (Math.abs(z[base + j]) >= logCellNext[c] ? 1 : 0);
            }
            jointSlots[(j & (COPIES - 1)) * copyStride + s + t]++;
        }
    }

    /** Adds the joint counts into the first copy of each histogram's slots. */
    private void foldJoint() {
        final int logStride = logSlotStride;
        for (int c = 0; c < COPIES; c++) {
            int o = c * histSlotStride * logStride;
            for (int s = 0; s < histSlotStride; s++) {
                int rowSum = 0;
                for (int t = 0; t < logStride; t++) {
                    int k = jointSlots[o + s * logStride + t];
                    rowSum += k;
                    logSlots[t] += k;
                }
                histSlots[s] += rowSum;
            }
        }
    }

    /** r of {@link VectorStatistics#slots} for one value, by the same operations. */
    private long nearestEdge(double v) {
        double r = (v - hist.lo()) * histInvWidth;
        r = r < 0.0 ? 0.0 : r;
        r = r > hist.bins() ? hist.bins() : r;
        return (long) (r + VectorStatistics.MAGIC - VectorStatistics.MAGIC);
    }

    /** Exact slot of a finite value (0 underflow, k + 1 bin k, bins + 1 overflow). */
    private int exactSlot(double v) {
        int s = 0;
        while (s < hist.bins() + 1 && v >= histSlotLower[s + 1]) {
            s++;
        }
        return s;
    }

    /**
     * Whether {@link VectorStatistics#slots} finds every finite value's slot: its bound for r is
     * the recorded lower bound of slot r + 1, and r is always the slot or the slot less one. Both
     * r and the slot are monotone in the value, so checking each slot's smallest and largest
     * value suffices.
     */
    private boolean nearestEdgeDecides() {
        final int bins = hist.bins();
        final double width = hist.hi() - hist.lo();
        for (int r = 0; r < bins; r++) {
            double bound = (double) r * width / bins + hist.lo();
            if (Double.doubleToRawLongBits(bound) != Double.doubleToRawLongBits(histSlotLower[r + 1])
                    && bound != histSlotLower[r + 1]) {
                return false;
            }
        }
        final int top = bins + 1;
        for (int q = 0; q <= top; q++) {
            double smallest = q == 0 ? -Double.MAX_VALUE : histSlotLower[q];
            double largest = q == top ? Double.MAX_VALUE : Math.nextDown(histSlotLower[q + 1]);
            if (smallest > largest) {
                continue; // an empty slot
            }
            if (exactSlot(smallest) != q || exactSlot(largest) != q) {
                return false;
            }
            for (double v : new double[] {smallest, largest}) {
                long r = nearestEdge(v);
                if (r != q && r != q - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether every log cell holds at most one slot bound beyond its first slot, so one step suffices. */
    private boolean logOneStep() {
        final int top = logHist.bins() + 1;
        for (int c = 1; c < logCellSlot.length - 1; c++) {
            int s = logCellSlot[c];
            double largest = Math.nextDown(Double.longBitsToDouble((logCellBase + c) << logCellShift));
            int steps = 0;
            while (s < top && largest >= logSlotLower[s + 1]) {
                s++;
                steps++;
            }
            if (steps > 1) {
                return false;
            }
        }
        return true;
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
