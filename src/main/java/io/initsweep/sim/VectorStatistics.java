package io.initsweep.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API part of {@link LayerStatistics}, one row body (a multiple of
 * {@link LayerStatistics#LANES} entries) per call. Loaded only when the incubator module is present.
 *
 * <p>{@link #moments} keeps the sums in the fixed order of {@link LayerStatistics#momentsPlain}:
 * entry j of a row body goes to partial j mod 8, whatever the machine's vector width (one 512-bit
 * vector, or two 256-bit halves where 512-bit vectors are not native), with lanewise add, multiply,
 * min and max only, all exactly rounded. {@link #counts} makes the zero, saturation and dead-unit
 * counts with masks (in a ReLU layer their outcome is a coin flip per entry, a mispredicted branch
 * for scalar code) and estimates each entry's histogram slot; LayerStatistics then corrects the
 * estimate against the recorded edges, so the counts are exact whichever route made them.
 */
final class VectorStatistics {
    private static final VectorSpecies<Double> D512 = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Double> D256 = DoubleVector.SPECIES_256;
    /** Whether 512-bit vectors are native here; either way the sums come out the same. */
    static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorStatistics() {}

    /** {@link LayerStatistics#momentsPlain}'s sums, min and max over one row body, into acc. */
    static void moments(double[] a, double[] z, int base, int body, double shiftA, double shiftZ, double[] acc) {
        if (WIDE) {
            moments512(a, z, base, body, shiftA, shiftZ, acc);
        } else {
            moments256(a, z, base, body, shiftA, shiftZ, acc);
        }
    }

    /** One 8-lane vector per partial. */
    static void moments512(double[] a, double[] z, int base, int body, double shiftA, double shiftZ, double[] acc) {
        DoubleVector sumA = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_A);
        DoubleVector sumA2 = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_A2);
        DoubleVector sqA = DoubleVector.fromArray(D512, acc, LayerStatistics.SQ_A);
        DoubleVector sumZ = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_Z);
        DoubleVector sumZ2 = DoubleVector.fromArray(D512, acc, LayerStatistics.SUM_Z2);
        DoubleVector minA = DoubleVector.fromArray(D512, acc, LayerStatistics.MIN_A);
        DoubleVector maxA = DoubleVector.fromArray(D512, acc, LayerStatistics.MAX_A);
        DoubleVector minZ = DoubleVector.fromArray(D512, acc, LayerStatistics.MIN_Z);
        DoubleVector maxZ = DoubleVector.fromArray(D512, acc, LayerStatistics.MAX_Z);
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

    /** 1.5 · 2^52 + 1: added to t in [−1, bins], leaves round(t) + 1 in the low bits of the sum. */
    static final double ROUND_PLUS_ONE = 0x1.8p52 + 1.0;

    /**
     * Over one row body a[base .. base + body), z likewise: returns zeros of z plus 2^32 × saturated
     * entries of a, and sets alive[j] for every unsaturated a[base + j].
     */
    static long counts(double[] a, double[] z, int base, int body, double satLo, double satHi, boolean[] alive) {
        long zeros = 0;
        long saturated = 0;
        for (int j = 0; j < body; j += L) {
            DoubleVector av = DoubleVector.fromArray(S, a, base + j);
            VectorMask<Double> sat = av.lt(satLo).or(av.compare(VectorOperators.GT, satHi));
            saturated += sat.trueCount();
            VectorMask.fromArray(S, alive, j).or(sat.not()).intoArray(alive, j);
            zeros += DoubleVector.fromArray(S, z, base + j).eq(0.0).trueCount();
        }
        return zeros + (saturated << 32);
    }

    /**
     * Slot estimates of one row body z[base .. base + body): slotEst[j]'s low 32 bits hold
     * round(clamp((z − lo) · invWidth − 0.5, −1, bins)) + 1 (mostly ⌊(z − lo) · invWidth⌋ + 1), within one of the linear histogram's slot
     * (checked by LayerStatistics); cellEst[j] the log cell of |z|, clamped to [0, lastCell].
     */
    static void slots(double[] z, int base, int body, double lo, double invWidth, double bins, int cellShift,
            long cellBase, long lastCell, double[] slotEst, long[] cellEst) {
        for (int j = 0; j < body; j += L) {
            DoubleVector zv = DoubleVector.fromArray(S, z, base + j);
            zv.sub(lo).mul(invWidth).sub(0.5).max(-1.0).min(bins).add(ROUND_PLUS_ONE).intoArray(slotEst, j);
            ((LongVector) zv.viewAsIntegralLanes()).and(Long.MAX_VALUE).lanewise(VectorOperators.LSHR, cellShift)
                    .sub(cellBase - 1).max(0L).min(lastCell).intoArray(cellEst, j);
        }
    }
}
