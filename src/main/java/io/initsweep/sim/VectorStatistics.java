package io.initsweep.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API part of {@link LayerStatistics}. Loaded only when the incubator module is present.
 *
 * <p>{@link #rowPass} makes one row body's sums in the fixed order of {@link LayerStatistics#momentsPlain}
 * (entry j of a row body goes to partial j mod 8, whatever the preferred vector's length, with
 * lanewise add and multiply only, all exactly rounded), the lane minima and maxima as order keys
 * (integer min and max: JDK 17's floating-point min and max take several instructions each, for NaN
 * and −0.0), the zero counts and the per-unit saturation counts (compares and blends into lane
 * counters: in a ReLU layer their outcome is a coin flip per entry, a mispredicted branch for
 * scalar code). {@link #jointSlots} finds each entry's joint histogram index from fixed-point
 * estimates with integer clamps, without masks or branches per tile (JDK 17 keeps vector masks in
 * vector registers, so every compare and blend costs several instructions); an entry whose
 * estimate falls within its margin of an edge is marked and redone exactly, so the counts are exact.
 * StatisticsRoutesTest holds {@link #rowPass}'s lane partials to {@link LayerStatistics#momentsPlain}'s,
 * and the whole pass to the plain route at every vector width.
 */
final class VectorStatistics {
    /** Whether 512-bit vectors are native here (AVX-512 has a 64-bit arithmetic shift, {@link #orderKey}). */
    static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Long> LS = S.withLanes(long.class);

    private VectorStatistics() {}

    /** Entries per tile of {@link #jointSlots}: the preferred vector's lanes. */
    static int vectorLength() {
        return L;
    }

    /** 1.5 · 2^52: x + MAGIC − MAGIC rounds x in [−2^51, 2^51] to an integer; small integers + MAGIC keep them in the low bits. */
    static final double MAGIC = 0x1.8p52;

    /** The moments' species: the preferred one, at most {@link LayerStatistics#LANES} lanes (the summation order's). */
    private static final VectorSpecies<Double> M = S.length() <= LayerStatistics.LANES ? S
            : VectorSpecies.of(double.class, VectorShape.forBitSize(LayerStatistics.LANES * Double.SIZE));
    private static final VectorSpecies<Long> MK = M.withLanes(long.class);
    private static final int ML = M.length();

    /**
     * The order key of each lane: its bits, with the magnitude bits flipped where the sign is set, so
     * that signed comparison of keys orders values like {@link Math#min} (−0.0 below +0.0; NaN,
     * which the pass leaves to its careful route, above +∞ or below −∞ by its sign). Shifts, not a
     * mask: JDK 17 materializes masks.
     */
    static LongVector orderKey(DoubleVector v) {
        LongVector bits = (LongVector) v.viewAsIntegralLanes();
        // AVX2 has no 64-bit arithmetic shift: there, the sign's logical shift, negated
        LongVector sign = WIDE ? bits.lanewise(VectorOperators.ASHR, 63) : bits.lanewise(VectorOperators.LSHR, 63).neg();
        return sign.lanewise(VectorOperators.LSHR, 1).lanewise(VectorOperators.XOR, bits);
    }

    /**
     * One row body: the five sums in the order of {@link LayerStatistics#momentsPlain}; the order
     * keys ({@link #orderKey}) of the lane minima and maxima of a and z into keys (layout
     * {@link LayerStatistics#KEY_MIN_A} ...); zeros of z into the lanes at {@link LayerStatistics#ZEROS};
     * 1 into satCount[j] for every saturated a.
     */
    static void rowPass(double[] a, double[] z, int base, int body, double shiftA, double shiftZ, double[] acc,
            long[] keys, double satLo, double satHi, double[] satCount) {
        for (int k = 0; k < LayerStatistics.LANES; k += ML) {
            rowPassLanes(a, z, base, body, shiftA, shiftZ, acc, keys, satLo, satHi, satCount, k);
        }
    }

    /** Lanes k .. k + ML − 1 of every 8-entry tile of the row body. */
    private static void rowPassLanes(double[] a, double[] z, int base, int body, double shiftA, double shiftZ,
            double[] acc, long[] keys, double satLo, double satHi, double[] satCount, int k) {
        DoubleVector sumA = DoubleVector.fromArray(M, acc, LayerStatistics.SUM_A + k);
        DoubleVector sumA2 = DoubleVector.fromArray(M, acc, LayerStatistics.SUM_A2 + k);
        DoubleVector sqA = DoubleVector.fromArray(M, acc, LayerStatistics.SQ_A + k);
        DoubleVector sumZ = DoubleVector.fromArray(M, acc, LayerStatistics.SUM_Z + k);
        DoubleVector sumZ2 = DoubleVector.fromArray(M, acc, LayerStatistics.SUM_Z2 + k);
        DoubleVector zeros = DoubleVector.fromArray(M, acc, LayerStatistics.ZEROS + k);
        LongVector minA = LongVector.fromArray(MK, keys, LayerStatistics.KEY_MIN_A + k);
        LongVector maxA = LongVector.fromArray(MK, keys, LayerStatistics.KEY_MAX_A + k);
        LongVector minZ = LongVector.fromArray(MK, keys, LayerStatistics.KEY_MIN_Z + k);
        LongVector maxZ = LongVector.fromArray(MK, keys, LayerStatistics.KEY_MAX_Z + k);
        DoubleVector none = DoubleVector.zero(M);
        for (int j = k; j < body; j += LayerStatistics.LANES) {
            DoubleVector av = DoubleVector.fromArray(M, a, base + j);
            DoubleVector zv = DoubleVector.fromArray(M, z, base + j);
            DoubleVector da = av.sub(shiftA);
            DoubleVector dz = zv.sub(shiftZ);
            sumA = sumA.add(da);
            sumA2 = sumA2.add(da.mul(da));
            sqA = sqA.add(av.mul(av));
            sumZ = sumZ.add(dz);
            sumZ2 = sumZ2.add(dz.mul(dz));
            LongVector ka = orderKey(av);
            LongVector kz = orderKey(zv);
            minA = minA.min(ka);
            maxA = maxA.max(ka);
            minZ = minZ.min(kz);
            maxZ = maxZ.max(kz);
            DoubleVector sat = none.blend(1.0, av.lt(satLo).or(av.compare(VectorOperators.GT, satHi)));
            DoubleVector.fromArray(M, satCount, j).add(sat).intoArray(satCount, j);
            zeros = zeros.add(none.blend(1.0, zv.eq(0.0)));
        }
        sumA.intoArray(acc, LayerStatistics.SUM_A + k);
        sumA2.intoArray(acc, LayerStatistics.SUM_A2 + k);
        sqA.intoArray(acc, LayerStatistics.SQ_A + k);
        sumZ.intoArray(acc, LayerStatistics.SUM_Z + k);
        sumZ2.intoArray(acc, LayerStatistics.SUM_Z2 + k);
        zeros.intoArray(acc, LayerStatistics.ZEROS + k);
        minA.intoArray(keys, LayerStatistics.KEY_MIN_A + k);
        maxA.intoArray(keys, LayerStatistics.KEY_MAX_A + k);
        minZ.intoArray(keys, LayerStatistics.KEY_MIN_Z + k);
        maxZ.intoArray(keys, LayerStatistics.KEY_MAX_Z + k);
    }

    /** Offsets into {@link #jointSlots}'s constants (see {@link LayerStatistics}'s constructor). */
    static final int C_LO = 0;
    static final int C_INV = 1;
    static final int C_LOG_Y = 2;
    static final int C_LOG_A = 3;
    static final int C_LOG_B = 4;
    static final int C_LOG_C = 5;
    static final int C_LOG_OFF = 6;
    static final int C_BIAS = 7;
    static final int C_LENGTH = 8;
    /** Offsets into its integer constants. */
    static final int K_LIN_LO = 0;
    static final int K_LIN_HI = 1;
    static final int K_LIN_EPS = 2;
    static final int K_LOG_LO = 3;
    static final int K_LOG_HI = 4;
    static final int K_LOG_EPS = 5;
    static final int K_KEY_LO = 6;
    static final int K_KEY_HI = 7;
    static final int K_BASE = 8;
    static final int K_TOP = 9;
    static final int K_SHIFT = 10;
    /** Then one per lane: the lane's copy offset, less the fixed-point bases' slots. */
    static final int K_COPY = 11;

    /** Fraction bits of the fixed-point estimates: an estimate g is the double FIXED + g, whose bits end in g · 2^FRACTION. */
    static final int FRACTION = 20;
    static final double FIXED = 0x1.8p32;
    private static final long FRACTION_MASK = (1L << FRACTION) - 1;

    /** Mantissa bits of a double and the exponent bits of 1.0. */
    private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;
    private static final long ONE_BITS = 0x3FF0_0000_0000_0000L;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

    /**
     * The joint histogram index of each entry of z[from .. from + len) (len a multiple of the vector
     * length) into out[0 .. len): copy offset + (linear slot &lt;&lt; shift) + log slot. Each slot is
     * the integer part of a monotone estimate in fixed point, clamped in the integer domain, where
     * the recorded edges fall within a few units of the integers (see {@link LayerStatistics}'s
     * constructor); the first and last linear edges are compared exactly through order keys.
     * An entry whose estimate lies within the margin of an integer may have the wrong index: its
     * index gets the sign bit ({@link Long#MIN_VALUE}), and the caller redoes just those entries
     * exactly. Returns the least distance, less the margin, of any estimate from an integer, in
     * units of 2^−{@value #FRACTION}: ≤ 0 when some entry was marked. No masks and no branches per
     * tile.
     */
    static long jointSlots(double[] z, int from, int len, double[] c, long[] k, long[] out) {
        final double lo = c[C_LO];
        final double inv = c[C_INV];
        final double logY = c[C_LOG_Y];
        final double logA = c[C_LOG_A];
        final double logB = c[C_LOG_B];
        final double logC = c[C_LOG_C];
        final double logOff = c[C_LOG_OFF];
        final long bias = Double.doubleToRawLongBits(c[C_BIAS]);
        final long linLo = k[K_LIN_LO];
        final long linHi = k[K_LIN_HI];
        final long linEps = k[K_LIN_EPS];
        final long logLo = k[K_LOG_LO];
        final long logHi = k[K_LOG_HI];
        final long logEps = k[K_LOG_EPS];
        final long keyLo = k[K_KEY_LO];
        final long keyHi = k[K_KEY_HI];
        final long base = k[K_BASE];
        final long top = k[K_TOP];
        final int shift = (int) k[K_SHIFT];
        final LongVector copy = LongVector.fromArray(LS, k, K_COPY);
        LongVector worstLin = LongVector.broadcast(LS, Long.MAX_VALUE);
        LongVector worstLog = worstLin;
        for (int j = 0; j < len; j += L) {
            DoubleVector zv = DoubleVector.fromArray(S, z, from + j);
            LongVector zb = (LongVector) zv.viewAsIntegralLanes();
            // linear: FIXED + (z − lo) · bins / (hi − lo) + 1, clamped to [1.5, bins + 0.5]
            LongVector g = ((LongVector) zv.sub(lo).mul(inv).add(FIXED + 1.0).viewAsIntegralLanes()).max(linLo).min(linHi);
            LongVector fracLin = g.add(linEps).and(FRACTION_MASK);
            worstLin = worstLin.min(fracLin);
            // above hi: +1, below lo: −1, exactly, from the order key clamped next to each end (no overflow)
            LongVector key = orderKey(zv);
            LongVector ends = key.max(keyHi).min(keyHi + 1).add(key.min(keyLo).max(keyLo - 1)).sub(keyHi + keyLo);
            LongVector linear = g.lanewise(VectorOperators.LSHR, FRACTION).add(ends.lanewise(VectorOperators.LSHL, 24))
                    .max(base).min(top);
            // log: FIXED + K · log2~|z| + off (+ the bias at exact powers of two), clamped to [0.5, bins + 1.5]
            LongVector bits = zb.and(Long.MAX_VALUE);
            DoubleVector y = ((DoubleVector) bits.lanewise(VectorOperators.LSHR, 12).or(MAGIC_BITS).viewAsFloatingLanes())
                    .sub(MAGIC);
            LongVector mantissa = bits.and(MANTISSA);
            DoubleVector x = ((DoubleVector) mantissa.or(ONE_BITS).viewAsFloatingLanes()).sub(1.0);
            DoubleVector atPower = (DoubleVector) mantissa.min(1L).sub(1L).and(bias).viewAsFloatingLanes();
            DoubleVector h = y.mul(logY).add(x.mul(x.mul(logC).add(logB).mul(x).add(logA).mul(x.neg().add(1.0)))).add(atPower).add(logOff);
            LongVector t = ((LongVector) h.viewAsIntegralLanes()).max(logLo).min(logHi);
            LongVector fracLog = t.add(logEps).and(FRACTION_MASK);
            worstLog = worstLog.min(fracLog);
            // the sign bit where either distance is within its margin (≤ 2 eps): the lane is redone
            LongVector near = fracLin.sub(2 * linEps + 1).or(fracLog.sub(2 * logEps + 1)).and(Long.MIN_VALUE);
            linear.lanewise(VectorOperators.LSHL, shift).add(t.lanewise(VectorOperators.LSHR, FRACTION)).add(copy)
                    .or(near).intoArray(out, j);
        }
        return Math.min(worstLin.reduceLanes(VectorOperators.MIN) - 2 * linEps,
                worstLog.reduceLanes(VectorOperators.MIN) - 2 * logEps);
    }
}
