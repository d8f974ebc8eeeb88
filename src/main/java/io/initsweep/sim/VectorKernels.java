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
 * {@link Kernels#VECTOR_API}). Every tile evaluates the formula of its scalar twin in
 * {@link ActivationMath} and {@link DetMath} in the same order, with blends where the scalar
 * code branches, and the loop tails call that twin; only exactly rounded lanewise operations
 * (add, sub, mul, div, fma, min, max, compares, blends) and bit reinterpretation with long add,
 * and, or and logical shifts, so every lane gives the scalar bits.
 *
 * <p>Compilation shape. Each inner tile is its own small method taking arrays and an offset:
 * HotSpot compiled a monolithic loop far slower in some JVMs. No method takes or returns a
 * vector: a helper over vectors that the JIT declined to inline (too large, or past its
 * inlining node limit) boxed its vectors on every call (seen: 24 bytes allocated per element
 * and 3× the time). An activation needing exp, expm1 or log1p therefore runs as stages on the
 * same block of z ({@value #BLOCK_TILES} tiles), each its own method: the argument (z = −a, say),
 * then the transcendental in place ({@link #expBlock}, {@link #expm1Block}, {@link #log1pBlock}:
 * too large for the JIT to inline into the caller, so each loops over the block itself and
 * loads its constants once per block), then the rest of the formula; the block stays in L1.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Tiles per block of the staged activations: a and z of one block stay in L1. */
    private static final int BLOCK_TILES = 64;
    private static final int BLOCK = BLOCK_TILES * L;

    private VectorKernels() {}

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

    /**
     * d[i] *= (a[i] &gt; 0 ? 1 : below): the backward step of relu (below = 0) and leaky_relu
     * (below = the slope), the same multiplication as the scalar loop's, chosen by a mask instead
     * of a branch that a random sign mispredicts half the time.
     */
    static void multiplyStep(double[] a, double[] d, int n, double below) {
        int i = 0;
        int bound = S.loopBound(n);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector low = DoubleVector.broadcast(S, below);
        for (; i < bound; i += L) {
            DoubleVector av = DoubleVector.fromArray(S, a, i);
            DoubleVector factor = low.blend(one, av.compare(VectorOperators.GT, 0.0));
            DoubleVector.fromArray(S, d, i).mul(factor).intoArray(d, i);
        }
        for (; i < n; i++) {
            d[i] *= a[i] > 0 ? 1.0 : below;
        }
    }

    /** d[i] *= (−1 &lt; a[i] &lt; 1 ? 1 : 0): hardtanh's backward step, as {@link #multiplyStep}. */
    static void multiplyInside(double[] a, double[] d, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector zero = DoubleVector.zero(S);
        for (; i < bound; i += L) {
            DoubleVector av = DoubleVector.fromArray(S, a, i);
            var inside = av.compare(VectorOperators.GT, -1.0).and(av.compare(VectorOperators.LT, 1.0));
            DoubleVector.fromArray(S, d, i).mul(zero.blend(one, inside)).intoArray(d, i);
        }
        for (; i < n; i++) {
            double x = a[i];
            d[i] *= x <= -1.0 || x >= 1.0 ? 0.0 : 1.0;
        }
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

    /** z = −a on one tile. */
    private static void negTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).neg().intoArray(z, i);
    }

    /** z = −|a| on one tile. */
    private static void negAbsTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).abs().neg().intoArray(z, i);
    }

    /** z = min(a, 0) on one tile (the argument of elu's and selu's expm1, ±0 kept). */
    private static void minZeroTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).min(0.0).intoArray(z, i);
    }

    static void sigmoid(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                negTile(a, z, j);
            }
            expBlock(z, b, e);
            for (int j = b; j < e; j += L) {
                sigmoidTile(z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.sigmoid(a[i]);
        }
    }

    /** z = 1/(1 + z), z = e^(−a). */
    private static void sigmoidTile(double[] z, int i) {
        DoubleVector e = DoubleVector.fromArray(S, z, i).add(1.0);
        DoubleVector.broadcast(S, 1.0).div(e).intoArray(z, i);
    }

    static void tanh(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                tanhArgumentTile(a, z, j);
            }
            expm1Block(z, b, e);
            for (int j = b; j < e; j += L) {
                tanhTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = DetMath.tanh(a[i]);
        }
    }

    /** z = ∓2·min(|a|, 20), the argument of {@link DetMath#tanh}'s expm1 (− below 1). */
    private static void tanhArgumentTile(double[] a, double[] z, int i) {
        DoubleVector m = DoubleVector.fromArray(S, a, i).abs().min(DetMath.TANH_ONE);
        m.mul(2.0).blend(m.mul(-2.0), m.compare(VectorOperators.LT, 1.0)).intoArray(z, i);
    }

    /** {@link DetMath#tanh} after its expm1: z = t on entry. */
    private static void tanhTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        DoubleVector t = DoubleVector.fromArray(S, z, i);
        VectorMask<Double> small = x.abs().min(DetMath.TANH_ONE).compare(VectorOperators.LT, 1.0);
        DoubleVector d = t.add(2.0);
        DoubleVector q = DoubleVector.broadcast(S, -2.0).blend(t.neg(), small).div(d);
        DoubleVector y = q.add(1.0).blend(q, small);
        y.reinterpretAsLongs().and(~DetMath.SIGN).or(x.reinterpretAsLongs().and(DetMath.SIGN))
                .reinterpretAsDoubles().intoArray(z, i);
    }

    static void elu(double[] a, double[] z, int n, double alpha) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                minZeroTile(a, z, j);
            }
            expm1Block(z, b, e);
            for (int j = b; j < e; j += L) {
                eluTile(a, z, j, alpha);
            }
        }
        for (int i = bound; i < n; i++) {
            double v = a[i];
            z[i] = v > 0 ? v : alpha * DetMath.expm1(v);
        }
    }

    /** z = a for a &gt; 0, else α·z, z = expm1(min(a, 0)). */
    private static void eluTile(double[] a, double[] z, int i, double alpha) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        DoubleVector.fromArray(S, z, i).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(z, i);
    }

    static void selu(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                minZeroTile(a, z, j);
            }
            expm1Block(z, b, e);
            for (int j = b; j < e; j += L) {
                seluTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            double v = a[i];
            z[i] = v > 0 ? ActivationMath.SELU_SCALE * v : ActivationMath.SELU_SCALE_ALPHA * DetMath.expm1(v);
        }
    }

    /** z = λ·a for a &gt; 0, else λα·z, z = expm1(min(a, 0)). */
    private static void seluTile(double[] a, double[] z, int i) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        DoubleVector negative = DoubleVector.fromArray(S, z, i).mul(ActivationMath.SELU_SCALE_ALPHA);
        negative.blend(v.mul(ActivationMath.SELU_SCALE), v.compare(VectorOperators.GT, 0.0)).intoArray(z, i);
    }

    static void gelu(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                geluArgumentTile(a, z, j);
            }
            expBlock(z, b, e);
            geluBlock(a, z, b, e);
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.gelu(a[i]);
        }
    }

    /** z = −p/2, p = x² rounded, x = min(|a|, 40): the exponent of {@link ActivationMath#expMinusHalfSquare}. */
    private static void geluArgumentTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i).abs().min(ActivationMath.NORMAL_CDF_CLAMP);
        x.mul(x).mul(-0.5).intoArray(z, i);
    }

    /**
     * GELU, x·Φ(x), with z = e^(−p/2) on entry, over tiles [from, to): {@link ActivationMath#normalCdf} lane by lane.
     * The central and middle rational forms are evaluated on every lane and their numerators and
     * denominators blended before the one division (both polynomials are finite on every lane
     * after the clamp to |x| ≤ 40); the rare tail form only when some lane needs it.
     */
    private static void geluBlock(double[] a, double[] z, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, a, i);
            DoubleVector ax = x.abs().min(ActivationMath.NORMAL_CDF_CLAMP);
            // ActivationMath.expMinusHalfSquare(ax) from its exp: the rounding error of ax² by Veltkamp and Dekker
            DoubleVector p = ax.mul(ax);
            DoubleVector sp = ax.mul(134217729.0);
            DoubleVector hi = sp.sub(sp.sub(ax));
            DoubleVector lo = ax.sub(hi);
            DoubleVector e = hi.mul(hi).sub(p).add(hi.mul(2.0).mul(lo)).add(lo.mul(lo));
            DoubleVector gauss = DoubleVector.fromArray(S, z, i).mul(e.mul(-0.5).add(1.0));
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
            VectorMask<Double> positive = x.compare(VectorOperators.GT, 0.0);
            VectorMask<Double> minusInfinity = x.eq(Double.NEGATIVE_INFINITY);
            DoubleVector centralCdf = t.mul(q).mul(0.5).add(0.5);
            DoubleVector halfErfc = gauss.mul(0.5).mul(q);
            DoubleVector outer = halfErfc.blend(halfErfc.neg().add(1.0), positive);
            x.mul(outer.blend(centralCdf, central)).blend(-0.0, minusInfinity).intoArray(z, i);
            if (tail.anyTrue()) {
                // again with ActivationMath.codyTail(y) on the tail lanes; stored, not merged into
                // the vectors above (the JIT boxes a vector whose value depends on a branch)
                DoubleVector w = DoubleVector.broadcast(S, 1.0).div(y.mul(y));
                DoubleVector num = w.mul(P5).add(P0).mul(w).add(P1).mul(w).add(P2).mul(w).add(P3).mul(w).add(P4);
                DoubleVector den = w.add(Q0).mul(w).add(Q1).mul(w).add(Q2).mul(w).add(Q3).mul(w).add(Q4);
                DoubleVector r = q.blend(w.mul(num).div(den).neg().add(ActivationMath.INV_SQRT_PI).div(y), tail);
                DoubleVector halfErfcTail = gauss.mul(0.5).mul(r);
                DoubleVector outerTail = halfErfcTail.blend(halfErfcTail.neg().add(1.0), positive);
                x.mul(outerTail.blend(centralCdf, central)).blend(-0.0, minusInfinity).intoArray(z, i);
            }
        }
    }

    static void geluTanh(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                geluTanhArgumentTile(a, z, j);
            }
            expBlock(z, b, e);
            for (int j = b; j < e; j += L) {
                gateTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.geluTanh(a[i]);
        }
    }

    /** z = −2u, {@link ActivationMath#geluTanhArgument}. */
    private static void geluTanhArgumentTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        x.mul(x).mul(x).mul(ActivationMath.GELU_TANH_K).add(x).mul(2.0 * ActivationMath.GELU_TANH_C).neg().intoArray(z, i);
    }

    /** z = a/(1 + z), −0 at a = −∞: x·σ(s) from z = e^(−s) (silu, the tanh form of gelu). */
    private static void gateTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        x.div(DoubleVector.fromArray(S, z, i).add(1.0)).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    static void silu(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                negTile(a, z, j);
            }
            expBlock(z, b, e);
            for (int j = b; j < e; j += L) {
                gateTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.silu(a[i]);
        }
    }

    static void swish(double[] a, double[] z, int n, double beta) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                negScaledTile(a, z, j, beta);
            }
            expBlock(z, b, e);
            for (int j = b; j < e; j += L) {
                gateTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.swish(a[i], beta);
        }
    }

    /** z = −(β·a) on one tile, the exponent of {@link ActivationMath#swish}. */
    private static void negScaledTile(double[] a, double[] z, int i, double beta) {
        DoubleVector.fromArray(S, a, i).mul(beta).neg().intoArray(z, i);
    }

    static void mish(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                negAbsTile(a, z, j);
            }
            expBlock(z, b, e);
            for (int j = b; j < e; j += L) {
                mishTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.mish(a[i]);
        }
    }

    /** x·tanh(softplus(x)) by {@link ActivationMath#tanhSoftplus} from z = m = e^(−|x|): one division. */
    private static void mishTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        DoubleVector m = DoubleVector.fromArray(S, z, i);
        VectorMask<Double> nonNegative = x.compare(VectorOperators.GE, 0.0);
        DoubleVector num = m.add(2.0).mul(m).blend(m.mul(2.0).add(1.0), nonNegative);
        DoubleVector den = num.add(DoubleVector.broadcast(S, 2.0).blend(m.mul(m).mul(2.0), nonNegative));
        x.mul(num.div(den)).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    static void softplus(double[] a, double[] z, int n) {
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            for (int j = b; j < e; j += L) {
                negAbsTile(a, z, j);
            }
            expBlock(z, b, e);
            log1pBlock(z, b, e);
            for (int j = b; j < e; j += L) {
                softplusTile(a, z, j);
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = ActivationMath.softplus(a[i]);
        }
    }

    /** z = max(a, 0) + z, z = log1p(e^(−|a|)). */
    private static void softplusTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).max(0.0).add(DoubleVector.fromArray(S, z, i)).intoArray(z, i);
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

    static void relu6(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            relu6Tile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.relu6(a[i]);
        }
    }

    /** min(max(a, 0), 6): the lanewise max and min are {@link Math#max} and {@link Math#min}, ±0 and NaN included. */
    private static void relu6Tile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).max(0.0).min(6.0).intoArray(z, i);
    }

    static void hardsigmoid(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            hardsigmoidTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.hardsigmoid(a[i]);
        }
    }

    /** min(max(a + 3, 0), 6)/6. */
    private static void hardsigmoidTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).add(3.0).max(0.0).min(6.0).div(6.0).intoArray(z, i);
    }

    static void hardswish(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            hardswishTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = ActivationMath.hardswish(a[i]);
        }
    }

    /** (a·min(max(a + 3, 0), 6))/6, −0 at a = −∞. */
    private static void hardswishTile(double[] a, double[] z, int i) {
        DoubleVector x = DoubleVector.fromArray(S, a, i);
        x.mul(x.add(3.0).max(0.0).min(6.0)).div(6.0).blend(-0.0, x.eq(Double.NEGATIVE_INFINITY)).intoArray(z, i);
    }

    /** The identity: a copy (nothing for lanes to do). */
    static void linear(double[] a, double[] z, int n) {
        System.arraycopy(a, 0, z, 0, n);
    }

    /** z[0..n) = {@link DetMath#exp}(a[0..n)) lane by lane; z may be a. */
    static void exp(double[] a, double[] z, int n) {
        if (a != z) {
            System.arraycopy(a, 0, z, 0, n);
        }
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            expBlock(z, b, e);
        }
        for (int i = bound; i < n; i++) {
            z[i] = DetMath.exp(a[i]);
        }
    }

    /** z[0..n) = {@link DetMath#expm1}(a[0..n)) lane by lane (for tests): e^a on the tiles where some a exceeds {@link DetMath#EXPM1_MAX}. */
    static void expm1(double[] a, double[] z, int n) {
        System.arraycopy(a, 0, z, 0, n);
        double[] big = new double[L];
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            expm1Block(z, b, e);
            for (int j = b; j < e; j += L) {
                if (anyAbove(a, j, DetMath.EXPM1_MAX)) {
                    System.arraycopy(a, j, big, 0, L);
                    expBlock(big, 0, L);
                    blendAbove(a, big, z, j, DetMath.EXPM1_MAX);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            z[i] = DetMath.expm1(a[i]);
        }
    }

    private static boolean anyAbove(double[] a, int i, double limit) {
        return DoubleVector.fromArray(S, a, i).compare(VectorOperators.GT, limit).anyTrue();
    }

    /** z[i + j] = b[j] where a[i + j] &gt; limit. */
    private static void blendAbove(double[] a, double[] b, double[] z, int i, double limit) {
        VectorMask<Double> above = DoubleVector.fromArray(S, a, i).compare(VectorOperators.GT, limit);
        DoubleVector.fromArray(S, z, i).blend(DoubleVector.fromArray(S, b, 0), above).intoArray(z, i);
    }

    /** z[0..n) = {@link DetMath#log1p}(a[0..n)) lane by lane (for tests). */
    static void log1p(double[] a, double[] z, int n) {
        System.arraycopy(a, 0, z, 0, n);
        int bound = S.loopBound(n);
        for (int b = 0; b < bound; b += BLOCK) {
            int e = Math.min(b + BLOCK, bound);
            log1pBlock(z, b, e);
        }
        for (int i = bound; i < n; i++) {
            z[i] = DetMath.log1p(a[i]);
        }
    }

    /** z = {@link DetMath#exp}(z) over tiles [from, to), {@link DetMath#expPoly} and {@link DetMath#pow2} written out. */
    private static void expBlock(double[] z, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, z, i);
            DoubleVector x0 = x.blend(DetMath.EXP_MIN, x.compare(VectorOperators.LT, DetMath.EXP_MIN));
            DoubleVector xc = x0.blend(DetMath.EXP_MAX, x0.compare(VectorOperators.GT, DetMath.EXP_MAX));
            DoubleVector t = xc.fma(DetMath.LOG2E, DetMath.SHIFTER);
            DoubleVector k = t.sub(DetMath.SHIFTER);
            DoubleVector hi = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_HI), xc);
            DoubleVector r = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi);
            DoubleVector rlo = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi.sub(r));
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
            u = u.fma(r, DoubleVector.broadcast(S, DetMath.E2));
            DoubleVector q = r.mul(r).fma(u, rlo);
            DoubleVector h = r.add(1.0);
            DoubleVector p = h.add(DoubleVector.broadcast(S, 1.0).sub(h).add(r).add(q));
            p.mul(t.reinterpretAsLongs().add(DetMath.EXP_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .intoArray(z, i);
            VectorMask<Double> twoFactors = x.abs().compare(VectorOperators.GT, DetMath.EXP_ONE_FACTOR);
            if (twoFactors.anyTrue()) {
                // every lane again (where one factor suffices, two give the same bits); stored, not
                // merged into a vector above: the JIT boxes a vector whose value depends on a branch
                DoubleVector th = k.fma(0.5, DetMath.SHIFTER);
                DoubleVector t2 = k.sub(th.sub(DetMath.SHIFTER)).add(DetMath.SHIFTER);
                DoubleVector s1 = th.reinterpretAsLongs().add(DetMath.EXP_BIAS).lanewise(VectorOperators.LSHL, 52)
                        .reinterpretAsDoubles();
                DoubleVector s2 = t2.reinterpretAsLongs().add(DetMath.EXP_BIAS).lanewise(VectorOperators.LSHL, 52)
                        .reinterpretAsDoubles();
                p.mul(s1).mul(s2).intoArray(z, i);
            }
        }
    }

    /** z = {@link DetMath#expm1Core}(z) over tiles [from, to). */
    private static void expm1Block(double[] z, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, z, i);
            DoubleVector x0 = x.blend(DetMath.EXPM1_MIN, x.compare(VectorOperators.LT, DetMath.EXPM1_MIN));
            DoubleVector xc = x0.blend(DetMath.EXPM1_MAX, x0.compare(VectorOperators.GT, DetMath.EXPM1_MAX));
            DoubleVector t = xc.fma(DetMath.LOG2E, DetMath.SHIFTER);
            DoubleVector k = t.sub(DetMath.SHIFTER);
            DoubleVector hi = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_HI), xc);
            DoubleVector r = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi);
            DoubleVector rlo = k.fma(DoubleVector.broadcast(S, -DetMath.LN2_LO), hi.sub(r));
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
            u = u.fma(r, DoubleVector.broadcast(S, DetMath.E2));
            DoubleVector q = r.mul(r).fma(u, rlo);
            DoubleVector s = t.reinterpretAsLongs().add(DetMath.EXP_BIAS).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector a = s.sub(1.0);
            DoubleVector b = s.mul(r);
            DoubleVector h = a.add(b);
            DoubleVector l = a.sub(h).add(b);
            h.add(l.add(s.mul(q))).blend(x, x.eq(0.0)).intoArray(z, i);
        }
    }

    /** z = {@link DetMath#log1p}(z) over tiles [from, to). */
    private static void log1pBlock(double[] z, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, z, i);
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
            DoubleVector w2 = s.mul(s);
            DoubleVector w = w2.fma(DetMath.L10, DetMath.L9);
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L8));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L7));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L6));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L5));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L4));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L3));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L2));
            w = w.fma(w2, DoubleVector.broadcast(S, DetMath.L1));
            DoubleVector big = w2.mul(w);
            DoubleVector inner = s.mul(hfsq.add(big)).add(k.mul(DetMath.LN2_LO).add(c));
            DoubleVector y = k.mul(DetMath.LN2_HI).sub(hfsq.sub(inner).sub(f));
            y.blend(Double.NaN, x.compare(VectorOperators.LT, -1.0))
                    .blend(Double.NEGATIVE_INFINITY, x.eq(-1.0))
                    .blend(Double.POSITIVE_INFINITY, x.eq(Double.POSITIVE_INFINITY))
                    .blend(x, x.abs().compare(VectorOperators.LT, DetMath.LOG1P_TINY))
                    .intoArray(z, i);
        }
    }
}
