package io.initsweep.sim;

/**
 * exp, expm1, log1p and tanh built only from exactly rounded IEEE operations (+, −, ×, ÷,
 * {@link Math#fma}, min/max, compares) and bit reinterpretation with integer adds, masks and
 * shifts, so that their results cannot depend on the JIT tier, the hardware or the vector width.
 * {@link VectorKernels} evaluates the same formulas with the same constants in the same order
 * lane by lane, with blends where this code branches: the two give identical bits for every
 * input.
 *
 * <p>exp: x = k·ln2 + r with k = round(x·log₂e) by the magic constant 1.5·2⁵² (k's bits are then
 * the low bits of the sum), r by Cody and Waite's two-part ln2 (k·LN2_HI and x − k·LN2_HI exact)
 * with the rounding error of r carried in rlo; e^r − 1 = r + r²·u(r) + rlo, u the Taylor
 * polynomial to r¹³/13! (truncation below 2⁻⁵⁷ for |r| ≤ ln2/2), and 1 + r added by Fast2Sum so
 * that only the last addition rounds at full weight; then ×2^k, a normal double built from the
 * exponent bits, or beyond |x| = 708 in two factors 2^⌊k/2⌉ and 2^(k − ⌊k/2⌉), so that overflow
 * gives ∞ and underflow rounds once into the subnormals or 0 (where one factor suffices, both
 * give the single rounding of p·2^k, so the same bits). expm1: the same reduction, then
 * (2^k − 1) + 2^k·r by Fast2Sum plus 2^k·(r²u + rlo), exact near 0. log1p: u = 1 + x with its
 * exact error e (TwoSum), u = 2^k·m with m ∈ [√2/2, √2) from the exponent bits, and fdlibm's
 * log(m) = f − f²/2 + s(f²/2 + R(s²)), f = m − 1, s = f/(2 + f), R the Taylor series of
 * atanh to s²¹, plus e/u. tanh(|x|) = −t/(t + 2), t = expm1(−2|x|), below 1, and
 * 1 − 2/(t + 2), t = expm1(2|x|), from 1 (fdlibm's split); 1 from |x| = 20 on.
 *
 * <p>Accuracy against {@link StrictMath} (fdlibm, itself within 1 ulp), as tested in DetMathTest
 * over dense sweeps and a million wide-ranging inputs: exp, expm1 and log1p within 1 ulp, tanh
 * within 3 ulps (its expm1, the rounding of t + 2 and the division add up).
 */
final class DetMath {
    /** log₂e. */
    static final double LOG2E = 0x1.71547652b82fep0;
    /** 1.5·2⁵²: t = x + SHIFTER rounds x to an integer k held in t's low mantissa bits. */
    static final double SHIFTER = 0x1.8p52;
    /** ln2's high part (fdlibm's ln2_hi): 32 significant bits, so k·LN2_HI is exact for |k| &lt; 2²¹. */
    static final double LN2_HI = 0x1.62e42feep-1;
    /** ln2 − LN2_HI (fdlibm's ln2_lo). */
    static final double LN2_LO = 0x1.a39ef35793c76p-33;
    /** exp's input clamp: e^−746 rounds to 0, e^710 overflows. */
    static final double EXP_MIN = -746.0;
    static final double EXP_MAX = 710.0;
    /** Up to |x| = 708, k ∈ [−1022, 1022] and e^x is normal: one factor 2^k gives the same bits as two. */
    static final double EXP_ONE_FACTOR = 708.0;
    /** expm1's input clamp: e^−60 − 1 rounds to −1; up to 709 2^k is finite; beyond, expm1 = exp. */
    static final double EXPM1_MIN = -60.0;
    static final double EXPM1_MAX = 709.0;
    /** |x| from which tanh(x) rounds to ±1 (1 − tanh 20 ≈ 8·10⁻¹⁸ &lt; 2⁻⁵⁴). */
    static final double TANH_ONE = 20.0;
    /** |x| below which log1p(x) rounds to x. */
    static final double LOG1P_TINY = 0x1p-54;
    /** 2^1023 in the exponent field. */
    static final long EXP_BIAS = 1023L;
    /** Adds (1 − √2/2)'s exponent distance so that the exponent field of u + LOG_ADJ is k + 1023 with m ∈ [√2/2, √2) (musl's log1p). */
    static final long LOG_ADJ = 0x3ff0000000000000L - 0x3fe6a09e00000000L;
    /** The bits of √2/2 (truncated): m's bits are (u + LOG_ADJ)'s mantissa + LOG_M_BASE. */
    static final long LOG_M_BASE = 0x3fe6a09e00000000L;
    static final long MANTISSA = 0x000fffffffffffffL;
    static final long SIGN = 0x8000000000000000L;

    /** Taylor coefficients 1/n! of e^r. */
    static final double E2 = 1.0 / 2;
    static final double E3 = 1.0 / 6;
    static final double E4 = 1.0 / 24;
    static final double E5 = 1.0 / 120;
    static final double E6 = 1.0 / 720;
    static final double E7 = 1.0 / 5040;
    static final double E8 = 1.0 / 40320;
    static final double E9 = 1.0 / 362880;
    static final double E10 = 1.0 / 3628800;
    static final double E11 = 1.0 / 39916800;
    static final double E12 = 1.0 / 479001600;
    static final double E13 = 1.0 / 6227020800.0;

    /** Taylor coefficients 2/(2n + 1) of 2·atanh(s)/s − 2 in z = s², n = 1..10. */
    static final double L1 = 2.0 / 3;
    static final double L2 = 2.0 / 5;
    static final double L3 = 2.0 / 7;
    static final double L4 = 2.0 / 9;
    static final double L5 = 2.0 / 11;
    static final double L6 = 2.0 / 13;
    static final double L7 = 2.0 / 15;
    static final double L8 = 2.0 / 17;
    static final double L9 = 2.0 / 19;
    static final double L10 = 2.0 / 21;

    private DetMath() {}

    /** 2^k for t = SHIFTER + k, k + 1023 in [1, 2046]: k's bits moved into the exponent field. */
    static double pow2(double t) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(t) + EXP_BIAS) << 52);
    }

    /** u(r) = Σ_{n=2..13} r^(n−2)/n!, by Horner with FMA. */
    static double expPoly(double r) {
        double u = Math.fma(r, E13, E12);
        u = Math.fma(u, r, E11);
        u = Math.fma(u, r, E10);
        u = Math.fma(u, r, E9);
        u = Math.fma(u, r, E8);
        u = Math.fma(u, r, E7);
        u = Math.fma(u, r, E6);
        u = Math.fma(u, r, E5);
        u = Math.fma(u, r, E4);
        u = Math.fma(u, r, E3);
        return Math.fma(u, r, E2);
    }

    /** e^x, within 1 ulp of StrictMath; +∞ above ~709.78, 0 below ~−745.13, NaN for NaN. */
    static double exp(double x) {
        double xc = x < EXP_MIN ? EXP_MIN : x;
        xc = xc > EXP_MAX ? EXP_MAX : xc;
        double t = Math.fma(xc, LOG2E, SHIFTER);
        double k = t - SHIFTER;
        double hi = Math.fma(k, -LN2_HI, xc);
        double r = Math.fma(k, -LN2_LO, hi);
        double rlo = Math.fma(k, -LN2_LO, hi - r);
        double q = Math.fma(r * r, expPoly(r), rlo);
        double h = 1.0 + r;
        double p = h + (((1.0 - h) + r) + q);
        if (!(Math.abs(x) > EXP_ONE_FACTOR)) {
            return p * pow2(t); // exact: the same bits as the two factors below
        }
        double th = Math.fma(k, 0.5, SHIFTER);
        double t2 = (k - (th - SHIFTER)) + SHIFTER;
        return p * pow2(th) * pow2(t2);
    }

    /** e^x − 1 for x ≤ {@link #EXPM1_MAX}, x clamped below at {@link #EXPM1_MIN}; ±0 at ±0. */
    static double expm1Core(double x) {
        double xc = x < EXPM1_MIN ? EXPM1_MIN : x;
        xc = xc > EXPM1_MAX ? EXPM1_MAX : xc;
        double t = Math.fma(xc, LOG2E, SHIFTER);
        double k = t - SHIFTER;
        double hi = Math.fma(k, -LN2_HI, xc);
        double r = Math.fma(k, -LN2_LO, hi);
        double rlo = Math.fma(k, -LN2_LO, hi - r);
        double q = Math.fma(r * r, expPoly(r), rlo);
        double s = pow2(t);
        double a = s - 1.0;
        double b = s * r;
        double h = a + b;
        double l = (a - h) + b;
        double y = h + (l + s * q);
        return x == 0.0 ? x : y;
    }

    /** e^x − 1, within 1 ulp of StrictMath, relative accuracy near 0 included. */
    static double expm1(double x) {
        return x > EXPM1_MAX ? exp(x) : expm1Core(x);
    }

    /** ln(1 + x), within 1 ulp of StrictMath; −∞ at −1, NaN below. */
    static double log1p(double x) {
        double u = 1.0 + x;
        double bb = u - x;
        double e = (x - (u - bb)) + (1.0 - bb);
        long bits = Double.doubleToRawLongBits(u) + LOG_ADJ;
        double kt = Double.longBitsToDouble((bits >>> 52) | Double.doubleToRawLongBits(SHIFTER));
        double k = kt - (SHIFTER + EXP_BIAS);
        double m = Double.longBitsToDouble((bits & MANTISSA) + LOG_M_BASE);
        double f = m - 1.0;
        double c = e / u;
        double hfsq = 0.5 * f * f;
        double s = f / (2.0 + f);
        double z = s * s;
        double w = Math.fma(z, L10, L9);
        w = Math.fma(w, z, L8);
        w = Math.fma(w, z, L7);
        w = Math.fma(w, z, L6);
        w = Math.fma(w, z, L5);
        w = Math.fma(w, z, L4);
        w = Math.fma(w, z, L3);
        w = Math.fma(w, z, L2);
        w = Math.fma(w, z, L1);
        double big = z * w;
        double y = k * LN2_HI - ((hfsq - (s * (hfsq + big) + (k * LN2_LO + c))) - f);
        if (x < -1.0) {
            return Double.NaN;
        }
        if (x == -1.0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        return Math.abs(x) < LOG1P_TINY ? x : y;
    }

    /** tanh(x), within 3 ulps of StrictMath; odd (sign of zero kept), ±1 at ±∞. */
    static double tanh(double x) {
        double a = Math.min(Math.abs(x), TANH_ONE);
        boolean small = a < 1.0;
        double t = expm1Core(small ? -2.0 * a : 2.0 * a);
        double d = t + 2.0;
        double q = (small ? -t : -2.0) / d;
        double y = small ? q : 1.0 + q;
        return Double.longBitsToDouble((Double.doubleToRawLongBits(y) & ~SIGN)
                | (Double.doubleToRawLongBits(x) & SIGN));
    }
}
