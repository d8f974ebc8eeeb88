package io.initsweep.theory;

import io.initsweep.sim.Sums;
import java.util.function.DoubleUnaryOperator;

/**
 * φ(√q·z), z ~ N(0, 1), in normalized Hermite polynomials: φ(√q·z) = Σ b_k·h_k(z), with h_k =
 * He_k/√(k!) orthonormal under N(0, 1), b_k = E[φ(√q·z)·h_k(z)]. For (a₁, a₂) of variance q and
 * correlation c, Mehler's formula gives the correlation map's two-dimensional expectation as a
 * power series in c (Poole et al. 2016; Daniely et al. 2016, "Toward deeper understanding of
 * neural networks: the power of initialization and a dual view on expressivity"):
 *
 * <pre>E[φ(a₁)·φ(a₂)] = Σ_k c^k·b_k²</pre>
 *
 * <p>One expansion costs one fine one-dimensional rule ({@link GaussianQuadrature#rule(double,
 * double[], double, double)}: ±{@value #HALF_WIDTH_SD} sd, panels at most {@value #PANEL_SD} sd,
 * since h_k of degree up to {@value #DEGREE} oscillates with zeros ~π/√(2k) apart and reaches past
 * 9 sd) and serves every c at that q: a c-map trace, whose q settles within a few layers, and the
 * root search for c* evaluate it many times at the same q. Each evaluation is then {@value #DEGREE}
 * multiply-adds instead of the ~10⁴–10⁵ evaluations of φ of the two-dimensional rule.
 *
 * <p>The series is used only where its truncation provably does not matter: by Parseval,
 * Σ_k b_k² = E[φ²], so the terms left out sum to at most |c|^{K+1}·(E[φ²] − Σ_{k≤K} b_k²);
 * {@link #product} returns NaN when that bound exceeds {@value #TOLERANCE} of E[φ²], and the
 * caller falls back to the two-dimensional rule. Smooth activations at moderate q have b_k
 * falling geometrically and pass at every c; kinks (relu6, hardtanh) make b_k² fall only like
 * k^{−3/2}, and c near 1 makes |c|^{K+1} large: those go to the rule.
 *
 * @param q the variance of the pre-activation
 * @param b b_0..b_K
 * @param meanSquare E[φ(a)²] by the same rule
 * @param tail E[φ²] − Σ b_k², floored at 0: the coefficients' squared mass beyond K
 */
record HermiteExpansion(double q, double[] b, double meanSquare, double tail) {
    /** K, the highest degree kept. */
    static final int DEGREE = 64;
    /** The truncation bound allowed, relative to E[φ²]. */
    static final double TOLERANCE = 1e-14;
    static final double HALF_WIDTH_SD = 14.0;
    static final double PANEL_SD = 0.25;

    /** The expansion of φ at variance q ≥ 0 (q = 0: the point mass, b = [φ(0)]). */
    static HermiteExpansion of(DoubleUnaryOperator phi, double q, double[] kinks) {
        double sd = Math.sqrt(q);
        if (!(sd > 0)) {
            double v = phi.applyAsDouble(0.0);
            return new HermiteExpansion(q, new double[] {v}, v * v, 0.0);
        }
        GaussianQuadrature.Rule rule = GaussianQuadrature.rule(sd, kinks, HALF_WIDTH_SD, PANEL_SD);
        double[] x = rule.x();
        double[] w = rule.weight();
        int n = x.length;
        // by degree, across the nodes: the nodes are independent, so the loop pipelines (by node, the
        // recurrence is one chain of dependent multiplies)
        double[] wv = new double[n];
        double[] z = new double[n];
        double[] hPrev = new double[n];
        double[] h = new double[n];
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            double v = phi.applyAsDouble(x[i]);
            wv[i] = w[i] * v;
            m2 += wv[i] * v;
            z[i] = x[i] / sd;
            hPrev[i] = 1.0;
            h[i] = z[i];
        }
        double[] b = new double[DEGREE + 1];
        b[0] = Sums.dot(wv, 0, hPrev, 0, n);
        b[1] = Sums.dot(wv, 0, h, 0, n);
        for (int k = 1; k < DEGREE; k++) {
            // h_{k+1} = (z·h_k − √k·h_{k−1})/√(k+1), written over h_{k−1}
            double root = Math.sqrt(k);
            double inverse = 1.0 / Math.sqrt(k + 1);
            for (int i = 0; i < n; i++) {
                hPrev[i] = (z[i] * h[i] - root * hPrev[i]) * inverse;
            }
            b[k + 1] = Sums.dot(wv, 0, hPrev, 0, n);
            double[] swap = hPrev;
            hPrev = h;
            h = swap;
        }
        double sum = 0;
        for (double bk : b) {
            sum += bk * bk;
        }
        return new HermiteExpansion(q, b, m2, Math.max(0.0, m2 - sum));
    }

    /**
     * E[φ(a₁)·φ(a₂)] at correlation c in [−1, 1] by Mehler's formula, or NaN when the truncation
     * bound |c|^{K+1}·tail exceeds {@value #TOLERANCE}·E[φ²].
     */
    double product(double c) {
        int top = b.length - 1;
        double bound = Math.pow(Math.abs(c), top + 1) * tail;
        if (bound > TOLERANCE * meanSquare) {
            return Double.NaN;
        }
        double sum = 0;
        for (int k = top; k >= 0; k--) {
            sum = sum * c + b[k] * b[k];
        }
        return sum;
    }
}
