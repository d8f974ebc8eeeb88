package io.initsweep.theory;

import io.initsweep.sim.Activation;
import java.util.Objects;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Mean-field signal propagation through a deep network at initialization (Poole et al. 2016,
 * "Exponential expressivity in deep neural networks through transient chaos"; Schoenholz et al.
 * 2017, "Deep information propagation"), for any registered activation, with weights of variance
 * σ_w²/fan_in and biases of variance σ_b²:
 * <ul>
 *   <li>length map q^l = σ_w²·E[φ(a)²] + σ_b², a ~ N(0, q^{l−1}) ({@link #lengthMap});
 *   <li>correlation map c^l = (σ_w²·E[φ(a₁)φ(a₂)] + σ_b²)/q^l, (a₁, a₂) of variance q^{l−1} and
 *       correlation c^{l−1} ({@link #correlationMap});
 *   <li>χ₁ = σ_w²·E[φ'(a)²] ({@link #chi1}): the factor by which a backpropagated mean squared
 *       gradient grows per layer, and the slope of the c-map at c = 1;
 *   <li>χ_c = σ_w²·E[φ'(a₁)φ'(a₂)] ({@link #chiC}), the slope of the c-map at c;
 *   <li>the slope of the length map, dq^l/dq^{l−1} = σ_w²·E[a·φ(a)·φ'(a)]/q ({@link #lengthSlope};
 *       by Stein's lemma, so no φ'' is needed).
 * </ul>
 * Expectations by {@link GaussianQuadrature}; the correlation map's two-dimensional one in closed
 * form or by Mehler's series where it can ({@link #crossMoment}). Fixed points, depth scales and the phase are in
 * {@link #fixedPoint}.
 */
public final class MeanField {
    /**
     * |χ₁ − 1| at most this is called critical: the correlation depth scale is then at least
     * −1/ln(1 − 0.01) ≈ 99.5 layers, deeper than the networks a sweep usually simulates.
     */
    public static final double CRITICAL_TOLERANCE = 0.01;
    /** q above this is taken as divergent (q* = ∞). */
    static final double Q_INFINITE = 1e200;
    /** q below this is taken as collapsed (q* = 0). */
    static final double Q_ZERO = 1e-200;
    /** At most this many steps of plain iteration before {@link #qStar} brackets the root. */
    static final int FAST_STEPS = 50;
    /** Relative change of q at which the fixed-point iteration stops. */
    static final double Q_TOLERANCE = 1e-14;
    /** Relative size of the quadrature's rounding in lengthMap(q) − q: differences below it have no sign. */
    static final double ROUNDING = 1e-12;

    private final Activation activation;
    private final double param;
    private final double sigmaW2;
    private final double sigmaB2;
    private final double[] kinks;
    /** φ(a) = s₊·a for a &gt; 0 and s₋·a for a &lt; 0, NaN when φ is not positively homogeneous. */
    private final double slopeUp;
    private final double slopeDown;
    /** The last Hermite expansion built (an immutable value; a race only builds it twice). */
    private HermiteExpansion expansion;

    /**
     * @param param the activation's parameter (NaN when it takes none)
     * @param sigmaW2 σ_w² = fan_in·Var(W), ≥ 0
     * @param sigmaB2 σ_b² = Var(b), ≥ 0
     */
    public MeanField(Activation activation, double param, double sigmaW2, double sigmaB2) {
        this.activation = Objects.requireNonNull(activation, "activation");
        if (!(sigmaW2 >= 0 && Double.isFinite(sigmaW2)) || !(sigmaB2 >= 0 && Double.isFinite(sigmaB2))) {
            throw new IllegalArgumentException("Cannot build a mean field with σ_w² = " + sigmaW2 + ", σ_b² = " + sigmaB2
                    + ": both must be finite and >= 0");
        }
        this.param = param;
        this.sigmaW2 = sigmaW2;
        this.sigmaB2 = sigmaB2;
        this.kinks = activation.kinks(param);
        boolean homogeneous = activation.positivelyHomogeneous();
        this.slopeUp = homogeneous ? activation.value(1.0, param) : Double.NaN;
        this.slopeDown = homogeneous ? -activation.value(-1.0, param) : Double.NaN;
    }

    public double sigmaW2() {
        return sigmaW2;
    }

    public double sigmaB2() {
        return sigmaB2;
    }

    private double phi(double a) {
        return activation.value(a, param);
    }

    private double dphi(double a) {
        return activation.derivative(a, param);
    }

    /** E[φ(a)²], a ~ N(0, q). */
    public double meanSquare(double q) {
        return GaussianQuadrature.expect(a -> {
            double v = phi(a);
            return v * v;
        }, q, kinks);
    }

    /** E[φ(a)], a ~ N(0, q). */
    public double mean(double q) {
        return GaussianQuadrature.expect(this::phi, q, kinks);
    }

    /** q^l from q^{l−1}. */
    public double lengthMap(double q) {
        return sigmaW2 * meanSquare(q) + sigmaB2;
    }

    /** dq^l/dq^{l−1} at q = σ_w²·E[a·φ(a)·φ'(a)]/q (q &gt; 0). */
    public double lengthSlope(double q) {
        return sigmaW2 * GaussianQuadrature.expect(a -> a * phi(a) * dphi(a), q, kinks) / q;
    }

    /** χ₁ at q: σ_w²·E[φ'(a)²], a ~ N(0, q). */
    public double chi1(double q) {
        return sigmaW2 * GaussianQuadrature.expect(a -> {
            double d = dphi(a);
            return d * d;
        }, q, kinks);
    }

    /** c^l from (q^{l−1}, c^{l−1}); c = 1 gives 1. */
    public double correlationMap(double q, double c) {
        double qNext = lengthMap(q);
        if (c >= 1.0) {
            return 1.0;
        }
        return (sigmaW2 * crossMoment(q, c) + sigmaB2) / qNext;
    }

    /**
     * E[φ(a₁)φ(a₂)] for (a₁, a₂) of variance q and correlation c &lt; 1: for a positively
     * homogeneous φ (relu, leaky_relu, linear) in closed form, q·[(s₊² + s₋²)·k(c) − 2s₊s₋·k(−c)]
     * with the arc-cosine kernel k(c) = (√(1 − c²) + (π − arccos c)·c)/(2π) (Cho and Saul 2009);
     * otherwise by Mehler's series ({@link HermiteExpansion}) where its truncation is below 10⁻¹⁴
     * of E[φ²], else by the two-dimensional rule.
     */
    double crossMoment(double q, double c) {
        if (q > 0 && !Double.isNaN(slopeUp)) {
            return q * ((slopeUp * slopeUp + slopeDown * slopeDown) * arcCosine(c)
                    - 2 * slopeUp * slopeDown * arcCosine(-c));
        }
        HermiteExpansion e = expansion;
        if (e == null || Double.doubleToLongBits(e.q()) != Double.doubleToLongBits(q)) {
            e = HermiteExpansion.of(this::phi, q, kinks);
            expansion = e;
        }
        double product = e.product(c);
        return Double.isNaN(product) ? GaussianQuadrature.expectProduct(this::phi, q, c, kinks) : product;
    }

    /** The arc-cosine kernel of degree 1 at unit variance, E[relu(a₁)relu(a₂)]: (√(1 − c²) + (π − arccos c)·c)/(2π). */
    static double arcCosine(double c) {
        return (Math.sqrt(Math.max(0.0, (1 - c) * (1 + c))) + (Math.PI - Math.acos(c)) * c) / (2 * Math.PI);
    }

    /**
     * χ_c at (q, c): σ_w²·E[φ'(a₁)φ'(a₂)]; at c = 1 it is χ₁. For a positively homogeneous φ and q
     * &gt; 0 from the orthant probabilities: σ_w²·[(s₊² + s₋²)·(π − arccos c) + 2s₊s₋·arccos c]/(2π).
     */
    public double chiC(double q, double c) {
        if (c >= 1.0) {
            return chi1(q);
        }
        if (q > 0 && !Double.isNaN(slopeUp)) {
            double angle = Math.acos(c);
            return sigmaW2 * ((slopeUp * slopeUp + slopeDown * slopeDown) * (Math.PI - angle)
                    + 2 * slopeUp * slopeDown * angle) / (2 * Math.PI);
        }
        return sigmaW2 * GaussianQuadrature.expectProduct(this::dphi, q, c, kinks);
    }

    /**
     * The Gaussian prediction of the saturation rate at q: P(a outside the band), a ~ N(0, q), the
     * band {@link Activation#saturationBand} at τ (φ'(a) &lt; τ·max φ' outside it).
     */
    public double saturationRate(double q, double tau) {
        double[] band = activation.saturationBand(tau, param);
        double sd = Math.sqrt(q);
        if (!(sd > 0)) {
            return band[0] > 0 || band[1] < 0 ? 1.0 : 0.0;
        }
        return NormalTail.cdf(band[0] / sd) + NormalTail.cdf(-band[1] / sd);
    }

    /** The Gaussian prediction of the share of φ(a) exactly 0 at q: Φ(u/√q), u = {@link Activation#zeroBelow}. */
    public double zeroRate(double q) {
        double u = activation.zeroBelow(param);
        double sd = Math.sqrt(q);
        if (!(sd > 0)) {
            return u >= 0 ? 1.0 : 0.0;
        }
        return NormalTail.cdf(u / sd);
    }

    /** Φ, accurate in both tails (Commons Statistics: erfc based). */
    static final class NormalTail {
        private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

        private NormalTail() {}

        static double cdf(double x) {
            return STANDARD.cumulativeProbability(x);
        }
    }

    /** The phase of a configuration, from χ₁ at q*. */
    public enum Phase {
        /** χ₁ &lt; 1 − tolerance: nearby inputs converge (c* = 1), gradients vanish. */
        ORDERED("ordered"),
        /** |χ₁ − 1| ≤ tolerance. */
        CRITICAL("critical"),
        /** χ₁ &gt; 1 + tolerance: nearby inputs decorrelate (c* &lt; 1), gradients explode. */
        CHAOTIC("chaotic");

        private final String id;

        Phase(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Phase of(double chi1) {
            if (Math.abs(chi1 - 1) <= CRITICAL_TOLERANCE) {
                return CRITICAL;
            }
            return chi1 < 1 ? ORDERED : CHAOTIC;
        }
    }

    /**
     * Fixed points and depth scales.
     *
     * @param qStar the fixed point q* reached from the start (∞ when q diverges, 0 when it collapses)
     * @param cStar the stable correlation fixed point at q*: 1 in the ordered and critical phases,
     *     the root of c = C(c) in [0, 1) in the chaotic one; when q* is 0 or ∞, 1 if ordered, else NaN
     * @param chi1 χ₁ at q*; when q* is 0 or ∞, its limit there (evaluated at q = 10⁻²⁰⁰ or 10²⁰⁰)
     * @param chiC χ_c at (q*, c*)
     * @param xiQ −1/ln(dq/dq at q*): layers over which q approaches q*; NaN when q* is 0 or ∞,
     *     +∞ when the slope is 1
     * @param xiC −1/ln χ_c: layers over which correlations approach c*; +∞ when χ_c ≥ 1
     * @param phase from χ₁ ({@link #CRITICAL_TOLERANCE}); null when χ₁ is NaN
     */
    public record FixedPoint(double qStar, double cStar, double chi1, double chiC, double xiQ, double xiC, Phase phase) {}

    /** The fixed point of the length map reached from q1, then c*, χ₁, χ_c, ξ_q, ξ_c and the phase. */
    public FixedPoint fixedPoint(double q1) {
        double qStar = qStar(q1);
        if (!(qStar > 0) || Double.isInfinite(qStar)) {
            // collapsed or divergent: χ₁ in the limit, evaluated at q = 10⁻²⁰⁰ or 10²⁰⁰ (not at the point
            // mass: relu's χ₁ is σ_w²/2 at every q > 0, while φ'(0)² = 0)
            double chi1 = chi1(qStar == 0 ? Q_ZERO : Q_INFINITE);
            Phase phase = Double.isNaN(chi1) ? null : Phase.of(chi1);
            double cStar = phase == Phase.ORDERED ? 1.0 : Double.NaN;
            return new FixedPoint(qStar, cStar, chi1, chi1, Double.NaN, depthScale(chi1), phase);
        }
        double chi1 = chi1(qStar);
        double cStar = cStar(qStar, chi1);
        double chiC = cStar >= 1 ? chi1 : chiC(qStar, cStar);
        double xiQ = depthScale(lengthSlope(qStar));
        return new FixedPoint(qStar, cStar, chi1, chiC, xiQ, depthScale(chiC), Phase.of(chi1));
    }

    /** −1/ln(x) for x in (0, 1); +∞ for x ≥ 1; 0 for x = 0. */
    static double depthScale(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        return x <= 0 ? 0.0 : -1.0 / Math.log(x);
    }

    /**
     * The fixed point of q ↦ lengthMap(q) reached by iterating from q1: iteration while it
     * converges fast (each step at most half the one before, at most {@value #FAST_STEPS} steps),
     * then a sign change of lengthMap(q) − q is bracketed in the direction the iterates move, by
     * steps of a factor 2, 4, 16, 256, then 2¹⁶ at a time, and solved. No sign change up to 10²⁰⁰
     * means q diverges (∞), down to 10⁻²⁰⁰ that it collapses (0). The root by {@link #illinois}, to
     * 10⁻¹⁴ of the bracket's low end.
     */
    public double qStar(double q1) {
        double q = q1;
        double step = Double.NaN;
        for (int i = 0; i < FAST_STEPS; i++) {
            double next = lengthMap(q);
            if (!Double.isFinite(next) || next > Q_INFINITE) {
                return Double.POSITIVE_INFINITY;
            }
            if (Math.abs(next - q) <= Q_TOLERANCE * Math.max(next, Q_ZERO)) {
                return next;
            }
            if (next < Q_ZERO) {
                return 0.0;
            }
            double last = step;
            step = Math.abs(next - q);
            q = next;
            if (i >= 2 && step > 0.5 * last) {
                break; // slow: near-critical, or heading to 0 or ∞ by a constant factor
            }
        }
        double h = lengthMap(q) - q;
        double a = q;
        double b = q;
        double factor = 2;
        while (true) {
            b = h > 0 ? b * factor : b / factor;
            factor = Math.min(factor * factor, 65536.0);
            if (b > Q_INFINITE) {
                return Double.POSITIVE_INFINITY;
            }
            if (b < Q_ZERO) {
                return 0.0;
            }
            double hb = lengthMap(b) - b;
            // a sign change within the quadrature's rounding (10⁻¹² of q) is no root: ReLU under He with a bias
            // grows q by σ_b² a layer, without end, and q + σ_b² rounds to q past 10¹³
            if (Math.abs(hb) > ROUNDING * b && (hb > 0) != (h > 0)) {
                break;
            }
            a = b;
        }
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        return illinois(x -> lengthMap(x) - x, lo, lengthMap(lo) - lo, hi, lengthMap(hi) - hi, Q_TOLERANCE * lo);
    }

    /**
     * The stable correlation fixed point at q*: 1 unless χ₁ &gt; 1 + tolerance; then the root of
     * g(c) = C(c) − c on [0, 1 − 10⁻⁶] (g(0) = (σ_w²E[φ]² + σ_b²)/q* ≥ 0, and just below 1 g has
     * slope χ₁ − 1 &gt; 0 from the left, so it is negative there), by the Illinois variant of regula falsi (superlinear; ~10 evaluations of the
     * two-dimensional expectation instead of bisection's 40) to 10⁻¹³.
     */
    double cStar(double qStar, double chi1) {
        if (!(chi1 > 1 + CRITICAL_TOLERANCE)) {
            return 1.0;
        }
        double lo = 0.0;
        double gLo = correlationMap(qStar, lo) - lo;
        if (gLo <= 0) {
            return 0.0;
        }
        double hi = 1 - 1e-6;
        double gHi = correlationMap(qStar, hi) - hi;
        if (gHi >= 0) {
            return 1.0;
        }
        return illinois(c -> correlationMap(qStar, c) - c, lo, gLo, hi, gHi, 1e-13);
    }

    /**
     * Per layer, from the input: q^l, c^l and χ₁ at q^l for l = 1..depth.
     *
     * @param inputMeanSquare the input's mean(x²) (over rows and features)
     * @param inputCorrelation c⁰, the inputs' mean pairwise correlation (NaN: do not trace c)
     */
    public Trace trace(double inputMeanSquare, double inputCorrelation, int depth) {
        double q1 = sigmaW2 * inputMeanSquare + sigmaB2;
        return traceFrom(q1, firstCorrelation(q1, inputMeanSquare, inputCorrelation), depth);
    }

    /** c¹ of this layer's pre-activations for inputs of mean square m and mean pairwise correlation c⁰, given its q¹. */
    public double firstCorrelation(double q1, double inputMeanSquare, double inputCorrelation) {
        return q1 > 0 ? (sigmaW2 * inputCorrelation * inputMeanSquare + sigmaB2) / q1 : Double.NaN;
    }

    /** As {@link #trace}, from a given first layer's q¹ and c¹ (a first layer of another σ_w² than the rest). */
    public Trace traceFrom(double q1, double c1, int depth) {
        double[] q = new double[depth];
        double[] c = new double[depth];
        double[] chi = new double[depth];
        q[0] = q1;
        c[0] = c1;
        for (int l = 0; l < depth; l++) {
            if (l > 1 && same(q[l - 1], q[l - 2]) && same(c[l - 1], c[l - 2])) {
                // a fixed point to the last bit: the maps are deterministic, so every later layer repeats it
                q[l] = q[l - 1];
                c[l] = c[l - 1];
                chi[l] = chi[l - 1];
                continue;
            }
            if (l > 0) {
                q[l] = lengthMap(q[l - 1]);
                c[l] = Double.isNaN(c[l - 1]) || !(q[l] > 0) || !Double.isFinite(q[l]) ? Double.NaN
                        : correlationMap(q[l - 1], c[l - 1]);
            }
            chi[l] = Double.isFinite(q[l]) ? chi1(q[l]) : Double.NaN;
        }
        return new Trace(q, c, chi);
    }

    private static boolean same(double x, double y) {
        return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }

    /**
     * The σ_w² in [lo, hi] where χ₁ at q* crosses 1 (the edge of chaos) for a given σ_b², q*
     * reached from q1 = σ_w²·inputMeanSquare + σ_b², by {@link #illinois} to 10⁻¹²; NaN when χ₁ − 1 has the
     * same sign at both ends.
     */
    public static double criticalSigmaW2(Activation activation, double param, double sigmaB2, double inputMeanSquare,
            double lo, double hi) {
        double fLo = chi1AtFixedPoint(activation, param, lo, sigmaB2, inputMeanSquare) - 1;
        double fHi = chi1AtFixedPoint(activation, param, hi, sigmaB2, inputMeanSquare) - 1;
        if (!(fLo * fHi <= 0)) {
            return Double.NaN;
        }
        return illinois(w -> chi1AtFixedPoint(activation, param, w, sigmaB2, inputMeanSquare) - 1, lo, fLo, hi, fHi,
                1e-12 * hi);
    }

    private static double chi1AtFixedPoint(Activation activation, double param, double sigmaW2, double sigmaB2,
            double inputMeanSquare) {
        MeanField mf = new MeanField(activation, param, sigmaW2, sigmaB2);
        double q = mf.qStar(sigmaW2 * inputMeanSquare + sigmaB2);
        return Double.isFinite(q) ? mf.chi1(q) : Double.POSITIVE_INFINITY;
    }

    /**
     * A root of f in [lo, hi], f(lo) and f(hi) of opposite signs (or one 0), by the Illinois
     * algorithm: regula falsi that halves the stale end's value when the same end is kept twice,
     * so it converges superlinearly and never leaves the bracket. Stops when the bracket is below
     * {@code tol} (absolute) or f is 0.
     */
    static double illinois(java.util.function.DoubleUnaryOperator f, double lo, double fLo, double hi, double fHi,
            double tol) {
        if (fLo == 0) {
            return lo;
        }
        if (fHi == 0) {
            return hi;
        }
        int side = 0;
        for (int i = 0; i < 200 && hi - lo > tol; i++) {
            double x = (lo * fHi - hi * fLo) / (fHi - fLo);
            if (!(x > lo && x < hi)) {
                x = 0.5 * (lo + hi);
            }
            double fx = f.applyAsDouble(x);
            if (fx == 0) {
                return x;
            }
            if ((fx > 0) == (fLo > 0)) {
                lo = x;
                fLo = fx;
                if (side == -1) {
                    fHi /= 2;
                }
                side = -1;
            } else {
                hi = x;
                fHi = fx;
                if (side == 1) {
                    fLo /= 2;
                }
                side = 1;
            }
        }
        return (lo * fHi - hi * fLo) / (fHi - fLo);
    }

    /** Per-layer theory, index 0 the first layer's pre-activations. */
    public record Trace(double[] q, double[] c, double[] chi1) {}
}
