package io.initsweep.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API part of {@link LayerStatistics}, one row body (a multiple of
 * {@link LayerStatistics#LANES} entries) per call. Loaded only when the incubator module is present.
 *
 * <p>{@link #moments256} and {@link #momentsAndCounts512} keep the sums in the fixed order of {@link LayerStatistics#momentsPlain}:
 * entry j of a row body goes to partial j mod 8, whatever the machine's vector width (one 512-bit
 * vector, or two 256-bit halves where 512-bit vectors are not native), with lanewise add, multiply,
 * min and max only, all exactly rounded. {@link #counts} makes the zero and per-unit saturation
 * counts with compares and blends into lane counters (in a ReLU layer their outcome is a coin flip
 * per entry, a mispredicted branch for scalar code). {@link #slots} finds each entry's linear histogram slot by comparing it with
 * the recorded edge nearest its estimate (exact, as LayerStatistics checks for its histogram), and
 * the log-magnitude cell of |z|, whose slot LayerStatistics looks up and corrects by one step
 * against the recorded edges: the counts are exact whichever route made them.
 */
final class VectorStatistics {
    private static final VectorSpecies<Double> D512 = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Double> D256 = DoubleVector.SPECIES_256;
    /** Whether 512-bit vectors are native here; either way the sums come out the same. */
    static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorStatistics() {}

    /**
     * {@link #moments256}'s sums and {@link #counts} in one pass over the row body, for machines with
     * 512-bit vectors: the same sums in the same order, the same counts.
     */
    static void momentsAndCounts512(double[] a, double[] z, int base, int body, double shiftA, double shiftZ,
            double[] acc, double satLo, double satHi, double[] satCount) {
        DoubleVector sumA = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_A);
        DoubleVector sumA2 = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_A2);
        DoubleVector sqA = DoubleVector.fromArray(D512, acc, LayerStatistics.SQ_A);
        DoubleVector sumZ = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_Z);
        DoubleVector sumZ2 = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_Z2);
        DoubleVector minA = DoubleVector.fromArray(D512, acc, LayerStatistics.MIN_A);
        DoubleVector maxA = DoubleVector.fromArray(D512, acc, LayerStatistics.MAX_A);
        DoubleVector minZ = DoubleVector.fromArray(D512, acc, LayerStatistics.MIN_Z);
        DoubleVector maxZ = DoubleVector.fromArray(D512, acc, LayerStatistics.MAX_Z);
        DoubleVector zeros = DoubleVector.fromArray(D512, acc, LayerStatistics.ZEROS);
        DoubleVector none = DoubleVector.zero(D512);
        for (int j = 0; j < body; j += 8) {
            DoubleVector av = DoubleVector.fromArray(D512, a, base + j);
            DoubleVector zv = DoubleVector.fromArray(D512, z, base + j);
            DoubleVector da = av.sub(shiftA);
            DoubleVector dz = zv.sub(shiftZ);
            sumA = sumA.add(da);
            sumA2 = sumA2.add(da.mul(da));
            sqA = sqA.add(av.mul(av));
            sumZ = sumZ.add(dz);
            sumZ2 = sumZ2.add(dz.mul(dz));
            minA = minA.min(av);
            maxA = maxA.max(av);
            minZ = minZ.min(zv);
            maxZ = maxZ.max(zv);
            // below and above the band exclude each other: two blends, no mask arithmetic
            DoubleVector sat = none.blend(1.0, av.lt(satLo)).add(none.blend(1.0, av.compare(VectorOperators.GT, satHi)));
            DoubleVector.fromArray(D512, satCount, j).add(sat).intoArray(satCount, j);
            zeros = zeros.add(none.blend(1.0, zv.eq(0.0)));
        }
        sumA.intoArray(acc, LayerStatistics.SUM_A);
        sumA2.intoArray(acc, LayerStatistics.SUM_A2);
        sqA.intoArray(acc, LayerStatistics.SQ_A);
        sumZ.intoArray(acc, LayerStatistics.SUM_Z);
        sumZ2.intoArray(acc, LayerStatistics.SUM_Z2);
        minA.intoArray(acc, LayerStatistics.MIN_A);
        maxA.intoArray(acc, LayerStatistics.MAX_A);
        minZ.intoArray(acc, LayerStatistics.MIN_Z);
        maxZ.intoArray(acc, LayerStatistics.MAX_Z);
        zeros.intoArray(acc, LayerStatistics.ZEROS);
    }

    /** Two 4-lane halves per partial: lanes 0–3 and 4–7 of the 8-lane order. */
    static void moments256(double[] a, double[] z, int base, int body, double shiftA, double shiftZ, double[] acc) {
        moments256Half(a, z, base, body, shiftA, shiftZ, acc, 0);
        moments256Half(a, z, base, body, shiftA, shiftZ, acc, 4);
    }

    /** Lanes half .. half + 3 of every 8-entry tile: an order of its own, independent of the other half. */
    private static void moments256Half(double[] a, double[] z, int base, int body, double shiftA, double shiftZ,
            double[] acc, int half) {
        DoubleVector sumA = DoubleVector.fromArray(D256, acc, LayerStatistics.SUM_A + half);
        DoubleVector sumA2 = DoubleVector.fromArray(D256, acc, LayerStatistics.SUM_A2 + half);
        DoubleVector sqA = DoubleVector.fromArray(D256, acc, LayerStatistics.SQ_A + half);
        DoubleVector sumZ = DoubleVector.fromArray(D256, acc, LayerStatistics.SUM_Z + half);
        DoubleVector sumZ2 = DoubleVector.fromArray(D256, acc, LayerStatistics.SUM_Z2 + half);
        DoubleVector minA = DoubleVector.fromArray(D256, acc, LayerStatistics.MIN_A + half);
        DoubleVector maxA = DoubleVector.fromArray(D256, acc, LayerStatistics.MAX_A + half);
        DoubleVector minZ = DoubleVector.fromArray(D256, acc, LayerStatistics.MIN_Z + half);
        DoubleVector maxZ = DoubleVector.fromArray(D256, acc, LayerStatistics.MAX_Z + half);
        for (int j = half; j < body; j += 8) {
            DoubleVector av = DoubleVector.fromArray(D256, a, base + j);
            DoubleVector zv = DoubleVector.fromArray(D256, z, base + j);
            DoubleVector da = av.sub(shiftA);
            DoubleVector dz = zv.sub(shiftZ);
            sumA = sumA.add(da);
            sumA2 = sumA2.add(da.mul(da));
            sqA = sqA.add(av.mul(av));
            sumZ = sumZ.add(dz);
            sumZ2 = sumZ2.add(dz.mul(dz));
            minA = minA.min(av);
            maxA = maxA.max(av);
            minZ = minZ.min(zv);
            maxZ = maxZ.max(zv);
        }
        sumA.intoArray(acc, LayerStatistics.SUM_A + half);
        sumA2.intoArray(acc, LayerStatistics.SUM_A2 + half);
        sqA.intoArray(acc, LayerStatistics.SQ_A + half);
        sumZ.intoArray(acc, LayerStatistics.SUM_Z + half);
        sumZ2.intoArray(acc, LayerStatistics.SUM_Z2 + half);
        minA.intoArray(acc, LayerStatistics.MIN_A + half);
        maxA.intoArray(acc, LayerStatistics.MAX_A + half);
        minZ.intoArray(acc, LayerStatistics.MIN_Z + half);
        maxZ.intoArray(acc, LayerStatistics.MAX_Z + half);
    }

    /** 1.5 · 2^52: x + MAGIC − MAGIC rounds x in [−2^51, 2^51] to an integer; small integers + MAGIC keep them in the low bits. */
    static final double MAGIC = 0x1.8p52;

    /**
     * Over one row body a[base .. base + body), z likewise: adds 1 to satCount[j] for every
     * saturated a[base + j], and counts the zeros of z in the lanes of acc at
     * {@link LayerStatistics#ZEROS} (lane j mod 8; counts are exact whatever the order).
     */
    static void counts(double[] a, double[] z, int base, int body, double satLo, double satHi, double[] satCount,
            double[] acc) {
        DoubleVector none = DoubleVector.zero(S);
        for (int k = 0; k < LayerStatistics.LANES; k += L) {
            DoubleVector zeros = DoubleVector.fromArray(S, acc, LayerStatistics.ZEROS + k);
            for (int j = k; j < body; j += LayerStatistics.LANES) {
                DoubleVector av = DoubleVector.fromArray(S, a, base + j);
                DoubleVector sat = none.blend(1.0, av.lt(satLo)).add(none.blend(1.0, av.compare(VectorOperators.GT, satHi)));
                DoubleVector.fromArray(S, satCount, j).add(sat).intoArray(satCount, j);
                zeros = zeros.add(none.blend(1.0, DoubleVector.fromArray(S, z, base + j).eq(0.0)));
            }
            zeros.intoArray(acc, LayerStatistics.ZEROS + k);
        }
    }

    /**
     * Linear histogram slots of one row body z[base .. base + body), exact, times logStride, in
     * the low 32 bits of slotStride[j] (a NaN leaves 0); and cellEst[j], the log cell of |z|
     * clamped to [0, lastCell]. The slot: r = round(clamp((z − lo) · invWidth, 0, bins)), then
     * r + 1 when z reaches the lower bound of slot r + 1 (edge r = lo + (width · r) / bins, the
     * recorded edge by the same operations; above the last bin, just above hi). LayerStatistics
     * checks that the slot is always r or r + 1 before it takes this route.
     */
    static void slots(double[] z, int base, int body, double lo, double invWidth, double width, double bins,
            double aboveHi, double logStride, int cellShift, long cellBase, long lastCell, double[] slotStride,
            long[] cellEst) {
        for (int j = 0; j < body; j += L) {
            slotTile(z, base + j, j, lo, invWidth, width, bins, aboveHi, logStride, slotStride);
            ((LongVector) DoubleVector.fromArray(S, z, base + j).viewAsIntegralLanes()).and(Long.MAX_VALUE)
                    .lanewise(VectorOperators.LSHR, cellShift).sub(cellBase - 1).max(0L).min(lastCell)
                    .intoArray(cellEst, j);
        }
    }

    private static void slotTile(double[] z, int i, int j, double lo, double invWidth, double width, double bins,
            double aboveHi, double logStride, double[] slotStride) {
        DoubleVector zv = DoubleVector.fromArray(S, z, i);
        DoubleVector t = zv.sub(lo).mul(invWidth);
        t = t.blend(0.0, t.lt(0.0)); // compare and blend: cheaper than min and max, and NaN stays NaN
        t = t.blend(bins, t.compare(VectorOperators.GT, bins));
        DoubleVector r = t.add(MAGIC).sub(MAGIC);
        DoubleVector bound = r.mul(width).div(bins).add(lo).blend(aboveHi, r.eq(bins));
        DoubleVector step = DoubleVector.zero(S).blend(1.0, zv.compare(VectorOperators.GE, bound));
        r.add(step).mul(logStride).add(MAGIC).intoArray(slotStride, j);
    }
}
