package io.initsweep.sim;

import static io.initsweep.sim.ActivationMath.A0;
import static io.initsweep.sim.ActivationMath.A1;
import static io.initsweep.sim.ActivationMath.A2;
import static io.initsweep.sim.ActivationMath.A3;
import static io.initsweep.sim.ActivationMath.A4;
import static io.initsweep.sim.ActivationMath.B0;
import static io.initsweep.sim.ActivationMath.B1;
import static io.initsweep.sim.ActivationMath.B2;
import static io.initsweep.sim.ActivationMath.B3;
import static io.initsweep.sim.ActivationMath.C0;
import static io.initsweep.sim.ActivationMath.C1;
import static io.initsweep.sim.ActivationMath.C2;
import static io.initsweep.sim.ActivationMath.C3;
import static io.initsweep.sim.ActivationMath.C4;
import static io.initsweep.sim.ActivationMath.C5;
import static io.initsweep.sim.ActivationMath.C6;
import static io.initsweep.sim.ActivationMath.C7;
import static io.initsweep.sim.ActivationMath.C8;
import static io.initsweep.sim.ActivationMath.D0;
import static io.initsweep.sim.ActivationMath.D1;
import static io.initsweep.sim.ActivationMath.D2;
import static io.initsweep.sim.ActivationMath.D3;
import static io.initsweep.sim.ActivationMath.D4;
import static io.initsweep.sim.ActivationMath.D5;
import static io.initsweep.sim.ActivationMath.D6;
import static io.initsweep.sim.ActivationMath.D7;
import static io.initsweep.sim.ActivationMath.P0;
import static io.initsweep.sim.ActivationMath.P1;
import static io.initsweep.sim.ActivationMath.P2;
import static io.initsweep.sim.ActivationMath.P3;
import static io.initsweep.sim.ActivationMath.P4;
import static io.initsweep.sim.ActivationMath.P5;
import static io.initsweep.sim.ActivationMath.Q0;
import static io.initsweep.sim.ActivationMath.Q1;
import static io.initsweep.sim.ActivationMath.Q2;
import static io.initsweep.sim.ActivationMath.Q3;
import static io.initsweep.sim.ActivationMath.Q4;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API activation kernels. Loaded only when the incubator module is present (see
 * {@link Kernels#VECTOR_API}). Each inner tile is its own small method: HotSpot compiled a
 * monolithic loop far slower in some JVMs. Every tile evaluates the formula of its scalar twin
 * in {@link ActivationMath} in the same order, with blends where the scalar code branches, and
 * the loop tails call that twin.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorKernels() {}

    static void sigmoid(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            sigmoidTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.sigmoid(a[i]);
        }
    }

    private static void sigmoidTile(double[] a, double[] z, int i) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        DoubleVector e = exp(v.neg()).add(1.0);
        DoubleVector.broadcast(S, 1.0).div(e).intoArray(z, i);
    }

    static void tanh(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            tanhTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = DetMath.tanh(a[i]);
        }
    }

    private static void tanhTile(double[] a, double[] z, int i) {
        tanh(DoubleVector.fromArray(S, a, i)).intoArray(z, i);
    }

    static void relu(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            reluTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = Math.max(a[i], 0.0);
        }
    }

    private static void reluTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).max(0.0).intoArray(z, i);
    }

    static void leakyRelu(double[] a, double[] z, int n, double slope) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            leakyTile(a, z, i, slope);
        }
        for (; i < n; i++) {
            double v = a[i];
            z[i] = v > 0 ? v : slope * v;
        }
    }

    private static void leakyTile(double[] a, double[] z, int i, double slope) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        VectorMask<Double> positive = v.compare(VectorOperators.GT, 0.0);
        v.mul(slope).blend(v, positive).intoArray(z, i);
    }

    static void elu(double[] a, double[] z, int n, double alpha) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            eluTile(a, z, i, alpha);
        }
        for (; i < n; i++) {
            double v = a[i];
            z[i] = v > 0 ? v : alpha * DetMath.expm1(v);
        }
    }

    private static void eluTile(double[] a, double[] z, int i, double alpha) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        expm1Core(v.min(0.0)).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(z, i);
    }

    static void selu(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            seluTile(a, z, i);
        }
        for (; i < n; i++) {
            double v = a[i];
            z[i] = v > 0 ? ActivationMath.SELU_SCALE * v : ActivationMath.SELU_SCALE_ALPHA * DetMath.expm1(v);
        }
    }

    private static void seluTile(double[] a, double[] z, int i) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        DoubleVector negative = expm1Core(v.min(0.0)).mul(ActivationMath.SELU_SCALE_ALPHA);
        negative.blend(v.mul(ActivationMath.SELU_SCALE), v.compare(VectorOperators.GT, 0.0)).intoArray(z, i);
    }

    static void gelu(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            geluTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.gelu(a[i]);
        }
    }

    private static void geluTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        x.mul(normalCdf(x)).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    /**
     * {@link ActivationMath#normalCdf} lane by lane. The central and middle rational forms are
     * evaluated on every lane and their numerators and denominators blended before the one
     * division (both polynomials are finite on every lane after the clamp to |x| ≤ 40); the rare
     * tail form only when some lane needs it.
     */
    static DoubleVector normalCdf(DoubleVector x) {
        DoubleVector ax = x.abs().min(ActivationMath.NORMAL_CDF_CLAMP);
        DoubleVector y = ax.mul(ActivationMath.INV_SQRT2);
        DoubleVector t = x.mul(ActivationMath.INV_SQRT2);
        DoubleVector zz = t.mul(t);
        VectorMask<Double> central = y.compare(VectorOperators.LE, ActivationMath.CODY_THRESH);
        DoubleVector numA = zz.mul(A4).add(A0).mul(zz).add(A1).mul(zz).add(A2).mul(zz).add(A3);
        DoubleVector denA = zz.add(B0).mul(zz).add(B1).mul(zz).add(B2).mul(zz).add(B3);
        DoubleVector numC = y.mul(C8).add(C0).mul(y).add(C1).mul(y).add(C2).mul(y).add(C3).mul(y).add(C4)
                .mul(y).add(C5).mul(y).add(C6).mul(y).add(C7);
        DoubleVector denC = y.add(D0).mul(y).add(D1).mul(y).add(D2).mul(y).add(D3).mul(y).add(D4)
                .mul(y).add(D5).mul(y).add(D6).mul(y).add(D7);
        DoubleVector q = numC.blend(numA, central).div(denC.blend(denA, central));
        VectorMask<Double> tail = y.compare(VectorOperators.GT, ActivationMath.CODY_FOUR);
        DoubleVector r = tail.anyTrue() ? q.blend(codyTail(y), tail) : q;
        DoubleVector halfErfc = expMinusHalfSquare(ax).mul(0.5).mul(r);
        DoubleVector outer = halfErfc.blend(halfErfc.neg().add(1.0), x.compare(VectorOperators.GT, 0.0));
        return outer.blend(t.mul(q).mul(0.5).add(0.5), central);
    }

    private static DoubleVector codyTail(DoubleVector y) {
        DoubleVector z = DoubleVector.broadcast(S, 1.0).div(y.mul(y));
        DoubleVector num = z.mul(P5).add(P0).mul(z).add(P1).mul(z).add(P2).mul(z).add(P3).mul(z).add(P4);
        DoubleVector den = z.add(Q0).mul(z).add(Q1).mul(z).add(Q2).mul(z).add(Q3).mul(z).add(Q4);
        return z.mul(num).div(den).neg().add(ActivationMath.INV_SQRT_PI).div(y);
    }

    /** {@link ActivationMath#expMinusHalfSquare} lane by lane. */
    private static DoubleVector expMinusHalfSquare(DoubleVector x) {
        DoubleVector p = x.mul(x);
        DoubleVector t = x.mul(134217729.0);
        DoubleVector hi = t.sub(t.sub(x));
        DoubleVector lo = x.sub(hi);
        DoubleVector e = hi.mul(hi).sub(p).add(hi.mul(2.0).mul(lo)).add(lo.mul(lo));
        return exp(p.mul(-0.5)).mul(e.mul(-0.5).add(1.0));
    }

    static void geluTanh(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            geluTanhTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.geluTanh(a[i]);
        }
    }

    private static void geluTanhTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        DoubleVector t = x.mul(x).mul(x).mul(ActivationMath.GELU_TANH_K).add(x).mul(2.0 * ActivationMath.GELU_TANH_C);
        x.div(exp(t.neg()).add(1.0)).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    static void silu(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            siluTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.silu(a[i]);
        }
    }

    private static void siluTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        x.div(exp(x.neg()).add(1.0)).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    static void mish(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            mishTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.mish(a[i]);
        }
    }

    /** x·tanh(softplus(x)) by {@link ActivationMath#tanhSoftplus}: one exp and one division. */
    private static void mishTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        DoubleVector m = exp(x.abs().neg());
        VectorMask<Double> nonNegative = x.compare(VectorOperators.GE, 0.0);
        DoubleVector num = m.add(2.0).mul(m).blend(m.mul(2.0).add(1.0), nonNegative);
        DoubleVector den = num.add(DoubleVector.broadcast(S, 2.0).blend(m.mul(m).mul(2.0), nonNegative));
        x.mul(num.div(den)).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    static void softplus(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            softplusTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.softplus(a[i]);
        }
    }

    private static void softplusTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        DoubleVector log = log1p(exp(x.abs().neg()));
        x.max(0.0).add(log).intoArray(z, i);
    }

    static void softsign(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            softsignTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.softsign(a[i]);
        }
    }

    private static void softsignTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        x.div(x.abs().add(1.0))
                .blend(1.0, x.eq(Double.POSITIVE_INFINITY))
                .blend(-1.0, x.eq(Double.NEGATIVE_INFINITY))
                .intoArray(z, i);
    }

    static void hardtanh(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            hardtanhTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = Math.min(Math.max(a[i], -1.0), 1.0);
        }
    }

    private static void hardtanhTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).max(-1.0).min(1.0).intoArray(z, i);
    }

    /** The identity: a copy (nothing for lanes to do). */
    static void linear(double[] a, double[] z, int n) {
        System.arraycopy(a, 0, z, 0, n);
    }

    /** z[0..n) = {@link DetMath#exp}(a[0..n)) lane by lane (for tests). */
    static void exp(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            expTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = DetMath.exp(a[i]);
        }
    }

    private static void expTile(double[] a, double[] z, int i) {
        exp(DoubleVector.fromArray(S, a, i)).intoArray(z, i);
    }

    /** z[0..n) = {@link DetMath#expm1}(a[0..n)) lane by lane (for tests). */
    static void expm1(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            expm1Tile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = DetMath.expm1(a[i]);
        }
    }

    private static void expm1Tile(double[] a, double[] z, int i) {
        expm1(DoubleVector.fromArray(S, a, i)).intoArray(z, i);
    }

    /** z[0..n) = {@link DetMath#log1p}(a[0..n)) lane by lane (for tests). */
    static void log1p(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            log1pTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = DetMath.log1p(a[i]);
        }
    }

    private static void log1pTile(double[] a, double[] z, int i) {
        log1p(DoubleVector.fromArray(S, a, i)).intoArray(z, i);
    }

    /*
     * DetMath lane by lane: the same constants and operations in the same order, blends where
     * DetMath branches, so every lane gives DetMath's bits. Only exactly rounded lanewise
     * operations (add, sub, mul, div, fma, min, max, compares, blends) and bit reinterpretation
     * with long add, and, or and logical shifts.
     */

    /** {@link DetMath#pow2} lane by lane. */
    private static DoubleVector pow2(DoubleVector t) {
        return t.reinterpretAsLongs().add(DetMath.EXP_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    /** {@link DetMath#expPoly} lane by lane. */
    private static DoubleVector expPoly(DoubleVector r) {
        DoubleVector u = r.fma(DetMath.E13, DetMath.E12);
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E11));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E10));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E9));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E8));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E7));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E6));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E5));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E4));
        u = u.fma(r, DoubleVector.broadcast(S, DetMath.E3));
        return u.fma(r, DoubleVector.broadcast(S, DetMath.E2));
    }

    /** {@link DetMath#exp} lane by lane. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(DetMath.EXP_MIN).min(DetMath.EXP_MAX);
        DoubleVector t = xc.fma(DetMath.LOG2E, DetMath.SHIFTER);
        DoubleVector k = t.sub(DetMath.SHIFTER);
        DoubleVector hi = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_HI), xc);
        DoubleVector r = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi);
        DoubleVector rlo = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi.sub(r));
        DoubleVector q = r.mul(r).fma(expPoly(r), rlo);
        DoubleVector h = r.add(1.0);
        DoubleVector p = h.add(DoubleVector.broadcast(S, 1.0).sub(h).add(r).add(q));
        DoubleVector th = k.fma(0.5, DetMath.SHIFTER);
        DoubleVector t2 = k.sub(th.sub(DetMath.SHIFTER)).add(DetMath.SHIFTER);
        return p.mul(pow2(th)).mul(pow2(t2));
    }

    /** {@link DetMath#expm1Core} lane by lane. */
    static DoubleVector expm1Core(DoubleVector x) {
        DoubleVector xc = x.max(DetMath.EXPM1_MIN).min(DetMath.EXPM1_MAX);
        DoubleVector t = xc.fma(DetMath.LOG2E, DetMath.SHIFTER);
        DoubleVector k = t.sub(DetMath.SHIFTER);
        DoubleVector hi = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_HI), xc);
        DoubleVector r = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi);
        DoubleVector rlo = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi.sub(r));
        DoubleVector q = r.mul(r).fma(expPoly(r), rlo);
        DoubleVector s = pow2(t);
        DoubleVector a = s.sub(1.0);
        DoubleVector b = s.mul(r);
        DoubleVector h = a.add(b);
        DoubleVector l = a.sub(h).add(b);
        DoubleVector y = h.add(l.add(s.mul(q)));
        return y.blend(x, x.eq(0.0));
    }

    /** {@link DetMath#expm1} lane by lane; e^x only when some lane needs it. */
    static DoubleVector expm1(DoubleVector x) {
        DoubleVector y = expm1Core(x);
        VectorMask<Double> big = x.compare(VectorOperators.GT, DetMath.EXPM1_MAX);
        return big.anyTrue() ? y.blend(exp(x), big) : y;
    }

    /** {@link DetMath#log1p} lane by lane. */
    static DoubleVector log1p(DoubleVector x) {
        DoubleVector u = x.add(1.0);
        DoubleVector bb = u.sub(x);
        DoubleVector e = x.sub(u.sub(bb)).add(DoubleVector.broadcast(S, 1.0).sub(bb));
        LongVector bits = u.reinterpretAsLongs().add(DetMath.LOG_ADJ);
        DoubleVector kt = bits.lanewise(VectorOperators.LSHR, 52).or(Double.doubleToRawLongBits(DetMath.SHIFTER))
                .reinterpretAsDoubles();
        DoubleVector k = kt.sub(DetMath.SHIFTER + DetMath.EXP_BIAS);
        DoubleVector m = bits.and(DetMath.MANTISSA).add(DetMath.LOG_M_BASE).reinterpretAsDoubles();
        DoubleVector f = m.sub(1.0);
        DoubleVector c = e.div(u);
        DoubleVector hfsq = f.mul(0.5).mul(f);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.fma(DetMath.L10, DetMath.L9);
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L8));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L7));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L6));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L5));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L4));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L3));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L2));
        w = w.fma(z, DoubleVector.broadcast(S, DetMath.L1));
        DoubleVector big = z.mul(w);
        DoubleVector inner = s.mul(hfsq.add(big)).add(k.mul(DetMath.LN2_LO).add(c));
        DoubleVector y = k.mul(DetMath.LN2_HI).sub(hfsq.sub(inner).sub(f));
        return y.blend(Double.NaN, x.compare(VectorOperators.LT, -1.0))
                .blend(Double.NEGATIVE_INFINITY, x.eq(-1.0))
                .blend(Double.POSITIVE_INFINITY, x.eq(Double.POSITIVE_INFINITY))
                .blend(x, x.abs().compare(VectorOperators.LT, DetMath.LOG1P_TINY));
    }

    /** {@link DetMath#tanh} lane by lane. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs().min(DetMath.TANH_ONE);
        VectorMask<Double> small = a.compare(VectorOperators.LT, 1.0);
        DoubleVector t = expm1Core(a.mul(2.0).blend(a.mul(-2.0), small));
        DoubleVector d = t.add(2.0);
        DoubleVector q = DoubleVector.broadcast(S, -2.0).blend(t.neg(), small).div(d);
        DoubleVector y = q.add(1.0).blend(q, small);
        return y.reinterpretAsLongs().and(~DetMath.SIGN)
                .or(x.reinterpretAsLongs().and(DetMath.SIGN)).reinterpretAsDoubles();
    }
}
