package io.initsweep.theory;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Expectations over Gaussian pre-activations, E[f(a)] with a ~ N(m, s²), and over correlated
 * pairs, by composite Gauss–Legendre quadrature on [m − 9s, m + 9s] (the mass outside is
 * 2·Φ(−9) ≈ 2·10⁻¹⁹).
 *
 * <p>Why not Gauss–Hermite: it is exact for polynomials times the Gaussian, but an activation's
 * features sit at a fixed scale in a (tanh's step, relu's kink at 0, hardtanh's ±1), so at large
 * variance φ(√q·z) is a steep function of z and Gauss–Hermite's error falls only slowly with the
 * node count, and at a kink only algebraically (with 128 nodes, hardtanh's E[φ²] at q = 1 is off by 2.8·10⁻³,
 * tanh's at q = 100 by 3·10⁻²; numpy's hermegauss against scipy's quad).
 * Here the interval is cut at the activation's {@link io.initsweep.sim.Activation#kinks kinks}
 * and at ±8 (the window of every registered activation's curvature), panels are at most 1 wide
 * inside that window, 4 out to ±24 and at most s wide everywhere, and each panel gets {@value #NODES}
 * Gauss–Legendre nodes times the Gaussian density: every panel's integrand is smooth, so the error
 * falls geometrically with the nodes ({@code MeanFieldTest} checks 10⁻¹² against closed forms and 10⁻¹⁰ against
 * a finer rule). A rule has 20–90 panels whatever the variance.
 */
public final class GaussianQuadrature {
    /** Gauss–Legendre nodes per panel. */
    public static final int NODES = 8;
    /** Half-width of the integration interval, in standard deviations. */
    static final double HALF_WIDTH_SD = 9.0;
    /** Half-width of the window, in a, where activations bend: panels there are at most {@link #FINE_PANEL} wide. */
    static final double WINDOW = 8.0;
    static final double FINE_PANEL = 1.0;
    /**
     * Beyond the window, out to ±{@value}, panels are at most {@link #TAIL_PANEL} wide: activations
     * approach their asymptotes there like e^(−|a|) (sigmoid's is the slowest), which a panel as
     * wide as a large s would integrate to only ~10⁻¹².
     */
    static final double TAILS = 24.0;
    static final double TAIL_PANEL = 4.0;

    private static final double[] GL_X = new double[NODES];
    private static final double[] GL_W = new double[NODES];
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    static {
        legendre(NODES, GL_X, GL_W);
    }

    private GaussianQuadrature() {}

    /** A rule for a ~ N(mean, sd²): Σ weight[i]·f(x[i]) ≈ E[f(a)]. */
    public record Rule(double[] x, double[] weight) {
        /** Σ weight·f(x). */
        public double expect(DoubleUnaryOperator f) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += weight[i] * f.applyAsDouble(x[i]);
            }
            return sum;
        }
    }

    /**
     * The rule for a ~ N(mean, sd²), its panels cut at {@code kinks}. sd = 0 gives the point mass
     * at the mean (one node, weight 1).
     */
    public static Rule rule(double mean, double sd, double[] kinks) {
        return rule(mean, sd, kinks, 0.0);
    }

    /**
     * As {@link #rule(double, double, double[])}, with panels at most {@code zoneWidth} wide within
     * 9·zoneWidth of each kink (0: no such zones): where an integrand is a Gaussian smoothing of a
     * kink at that scale (the inner expectation of {@link #expect2} as a function of the outer
     * variable).
     */
    static Rule rule(double mean, double sd, double[] kinks, double zoneWidth) {
        return rule(mean, sd, kinks, zoneWidth, HALF_WIDTH_SD, 1.0);
    }

    /**
     * The rule for a ~ N(0, sd²) on ±halfWidthSd·sd with panels at most panelSd·sd wide (besides
     * the usual limits): for integrands that oscillate on a scale finer than sd and reach further
     * out than 9 sd, as φ(a) times a Hermite polynomial of high degree in a/sd does
     * ({@link HermiteExpansion}).
     */
    static Rule rule(double sd, double[] kinks, double halfWidthSd, double panelSd) {
        return rule(0.0, sd, kinks, 0.0, halfWidthSd, panelSd);
    }

    private static Rule rule(double mean, double sd, double[] kinks, double zoneWidth, double halfWidthSd,
            double panelSd) {
        if (!(sd > 0)) {
            return new Rule(new double[] {mean}, new double[] {1.0});
        }
        double lo = mean - halfWidthSd * sd;
        double hi = mean + halfWidthSd * sd;
        double zone = zoneWidth > 0 && zoneWidth < sd ? zoneWidth : 0.0;
        double[] cuts = new double[6 + kinks.length * (zone > 0 ? 3 : 1)];
        int n = cuts(lo, hi, kinks, zone, cuts);
        double panel = panelSd * sd;
        int count = walk(mean, sd, lo, hi, cuts, n, kinks, zone, panel, null);
        double[] x = new double[count];
        double[] w = new double[count];
        walk(mean, sd, lo, hi, cuts, n, kinks, zone, panel, new Nodes() {
            private int k;

            @Override
            public void node(double xi, double weight) {
                x[k] = xi;
                w[k++] = weight;
            }
        });
        return new Rule(x, w);
    }

    /** Receives a rule's nodes, in order. */
    private interface Nodes {
        void node(double x, double weight);
    }

    /** Σ weight·f(x) over the nodes received. */
    private static final class Sum implements Nodes {
        private final DoubleUnaryOperator f;
        private double sum;

        Sum(DoubleUnaryOperator f) {
            this.f = f;
        }

        @Override
        public void node(double x, double weight) {
            sum += weight * f.applyAsDouble(x);
        }
    }

    /**
     * A rule's cuts, sorted, into {@code cuts}: the ends lo and hi, the kinks (with their zones'
     * ends when zoneWidth > 0), ±{@link #WINDOW} and ±{@link #TAILS}. Returns their count.
     */
    private static int cuts(double lo, double hi, double[] kinks, double zoneWidth, double[] cuts) {
        int n = 0;
        cuts[n++] = lo;
        cuts[n++] = hi;
        for (double k : kinks) {
            cuts[n++] = k;
            if (zoneWidth > 0) {
                cuts[n++] = k - HALF_WIDTH_SD * zoneWidth;
                cuts[n++] = k + HALF_WIDTH_SD * zoneWidth;
            }
        }
        cuts[n++] = -WINDOW;
        cuts[n++] = WINDOW;
        cuts[n++] = -TAILS;
        cuts[n++] = TAILS;
        for (int i = 1; i < n; i++) { // insertion sort: a handful of values
            double v = cuts[i];
            int j = i - 1;
            while (j >= 0 && cuts[j] > v) {
                cuts[j + 1] = cuts[j];
                j--;
            }
            cuts[j + 1] = v;
        }
        return n;
    }

    /**
     * The nodes of the rule for N(mean, sd²) on [lo, hi] between the sorted cuts: each segment in
     * equal panels no wider than {@link #limit}, {@value #NODES} Gauss–Legendre nodes a panel,
     * weighted by the Gaussian density. Hands each to {@code sink} (none when null) and returns
     * their count.
     */
    private static int walk(double mean, double sd, double lo, double hi, double[] cuts, int n, double[] kinks,
            double zoneWidth, double panel, Nodes sink) {
        int k = 0;
        for (int i = 0; i + 1 < n; i++) {
            double a = Math.max(cuts[i], lo);
            double b = Math.min(cuts[i + 1], hi);
            if (!(b > a)) {
                continue;
            }
            int p = (int) Math.ceil((b - a) / limit(a, b, panel, kinks, zoneWidth));
            k += p * NODES;
            if (sink == null) {
                continue;
            }
            double width = (b - a) / p;
            for (int j = 0; j < p; j++) {
                double half = width / 2;
                double mid = a + j * width + half;
                for (int g = 0; g < NODES; g++) {
                    double xi = mid + half * GL_X[g];
                    double z = (xi - mean) / sd;
                    sink.node(xi, half * GL_W[g] * INV_SQRT_2PI * Math.exp(-0.5 * z * z) / sd);
                }
            }
        }
        return k;
    }

    /**
     * The widest panel allowed on [a, b] (a segment between two cuts, so inside or outside each
     * zone): {@code panel} (the sd, unless a finer rule asks less) and the limits of the window,
     * the tails and the zones.
     */
    private static double limit(double a, double b, double panel, double[] kinks, double zoneWidth) {
        double limit = panel;
        if (a >= -WINDOW && b <= WINDOW) {
            limit = Math.min(limit, FINE_PANEL);
        } else if (a >= -TAILS && b <= TAILS) {
            limit = Math.min(limit, TAIL_PANEL);
        }
        if (zoneWidth > 0) {
            for (double kink : kinks) {
                if (a >= kink - HALF_WIDTH_SD * zoneWidth && b <= kink + HALF_WIDTH_SD * zoneWidth) {
                    limit = Math.min(limit, zoneWidth);
                }
            }
        }
        return limit;
    }

    /** E[f(a)], a ~ N(0, q). */
    public static double expect(DoubleUnaryOperator f, double q, double[] kinks) {
        return integrate(f, 0.0, Math.sqrt(q), kinks, new double[6 + kinks.length]);
    }

    /**
     * Σ weight·f(x) over the nodes of {@link #rule(double, double, double[]) rule(mean, sd, kinks)},
     * in the same order and with the same weights, without building the rule: no allocation (the
     * cuts go into {@code cuts}, at least 6 + kinks.length long). The inner expectations of the
     * two-dimensional ones, one per outer node, are most of the theory's cost.
     */
    static double integrate(DoubleUnaryOperator f, double mean, double sd, double[] kinks, double[] cuts) {
        if (!(sd > 0)) {
            return 0.0 + 1.0 * f.applyAsDouble(mean); // as the point-mass rule sums it
        }
        double lo = mean - HALF_WIDTH_SD * sd;
        double hi = mean + HALF_WIDTH_SD * sd;
        Sum sum = new Sum(f);
        walk(mean, sd, lo, hi, cuts, cuts(lo, hi, kinks, 0.0, cuts), kinks, 0.0, sd, sum);
        return sum.sum;
    }

    /**
     * E[f(a₁, a₂)] for (a₁, a₂) jointly Gaussian, both of variance q, correlation c in [−1, 1]:
     * a₁ ~ N(0, q) outside, a₂ | a₁ ~ N(c·a₁, q(1 − c²)) inside, both rules cut at the kinks
     * (f is smooth apart from them in each argument).
     */
    public static double expect2(DoubleBinaryOperator f, double q, double c, double[] kinks) {
        double innerSd = Math.sqrt(q * Math.max(0.0, (1 - c) * (1 + c)));
        Rule outer = outer(q, c, innerSd, kinks);
        double[] cuts = new double[6 + kinks.length];
        double sum = 0;
        for (int i = 0; i < outer.x.length; i++) {
            double a1 = outer.x[i];
            sum += outer.weight[i] * integrate(a2 -> f.applyAsDouble(a1, a2), c * a1, innerSd, kinks, cuts);
        }
        return sum;
    }

    /**
     * E[g(a₁)·g(a₂)], as {@link #expect2} with f(a₁, a₂) = g(a₁)·g(a₂) and the same nodes, with
     * g(a₁) taken out of the inner expectation: half the evaluations of g, and none of the inner
     * expectation where g(a₁) = 0 (relu's negative half).
     */
    public static double expectProduct(DoubleUnaryOperator g, double q, double c, double[] kinks) {
        double innerSd = Math.sqrt(q * Math.max(0.0, (1 - c) * (1 + c)));
        Rule outer = outer(q, c, innerSd, kinks);
        double[] cuts = new double[6 + kinks.length];
        double sum = 0;
        for (int i = 0; i < outer.x.length; i++) {
            double a1 = outer.x[i];
            double g1 = g.applyAsDouble(a1);
            if (g1 != 0) {
                sum += outer.weight[i] * g1 * integrate(g, c * a1, innerSd, kinks, cuts);
            }
        }
        return sum;
    }

    /**
     * The outer rule of a two-dimensional expectation: a₁ ~ N(0, q), with fine zones around a₁ =
     * k/c, where the inner expectation smooths g's kinks k over innerSd.
     */
    private static Rule outer(double q, double c, double innerSd, double[] kinks) {
        if (c != 0 && innerSd > 0 && kinks.length > 0) {
            double[] all = new double[2 * kinks.length];
            for (int i = 0; i < kinks.length; i++) {
                all[i] = kinks[i];
                all[kinks.length + i] = kinks[i] / c;
            }
            return rule(0.0, Math.sqrt(q), all, innerSd / Math.abs(c));
        }
        return rule(0.0, Math.sqrt(q), kinks);
    }

    /** Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n from Chebyshev guesses). */
    static void legendre(int n, double[] x, double[] w) {
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double pp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p1 = 1;
                double p2 = 0;
                for (int j = 1; j <= n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j;
                }
                pp = n * (z * p1 - p2) / (z * z - 1);
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 1e-16) {
                    break;
                }
            }
            x[i] = -z;
            w[i] = 2.0 / ((1 - z * z) * pp * pp);
        }
    }
}
