package io.initsweep.sim;

import java.util.List;
import org.apache.commons.statistics.distribution.TruncatedNormalDistribution;

/**
 * N(0, std²) truncated to the absolute interval [a, b] (std from the std axis), a and b
 * defaulting to −2 and 2. PyTorch {@code nn.init.trunc_normal_(mean=0, std, a=−2, b=2)}. Unlike
 * Keras's {@code TruncatedNormal} the cutoffs are absolute, not multiples of std, and no variance
 * correction is applied: the nominal std is that of the truncated distribution ({@link #truncatedStd}).
 *
 * @param std the grid's std axis value
 * @param a the absolute lower cutoff
 * @param b the absolute upper cutoff
 */
public record TruncatedNormal(double std, double a, double b) implements Initializer {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.onStdAxis("truncated_normal", List.of("trunc_normal_"),
            "N(0, std²) restricted to [a, b], absolute cutoffs",
            "PyTorch `trunc_normal_` (Keras/JAX cut at multiples of the std instead)",
            List.of(InitParam.cutoff("a", -2.0, "lower cutoff (absolute)"), InitParam.cutoff("b", 2.0, "upper cutoff (absolute)")),
            p -> new TruncatedNormal(p.std(), p.real("a"), p.real("b")))
            .inCatalogueAs("{truncated_normal: {a: -2, b: 2}}", null);

    public TruncatedNormal {
        String id = SCHEME.id();
        SCHEME.checkedStd(std);
        SCHEME.checked("a", a);
        SCHEME.checked("b", b);
        Check.argument(a < b, "%s: cutoff a must be < b, found a = %s, b = %s", id, a, b);
        try {
            TruncatedNormalDistribution.of(0.0, std, a, b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(id + ": N(0, " + std + "²) has no probability mass a double can hold on ["
                    + a + ", " + b + "]");
        }
    }

    @Override
    public Family family() {
        return Family.TRUNCATED_ABSOLUTE;
    }

    @Override
    public void fill(Weights weights, double[] w) {
        weights.truncatedNormal(std, a, b, w);
    }

    /** The std of the truncated distribution (not std itself). */
    @Override
    public double nominalStd(int fanIn, int fanOut) {
        return truncatedStd(std, a, b);
    }

    /** Only a symmetric truncation keeps the weights zero-mean. */
    @Override
    public boolean meanFieldApplies() {
        return a == -b;
    }

    /**
     * The std of N(0, std²) truncated to [lo, hi]. Commons Statistics' closed form (erfcx based,
     * accurate far in the tails) loses digits on narrow intervals, where E[x²] − E[x]² cancels;
     * there, with x = mid + half·t, the density on t ∈ [−1, 1] is ∝ exp(−mid·half·t − half²t²/2),
     * which varies by at most e⁴ when half·(|mid| + half) ≤ 2, and composite Simpson on 2000
     * panels gives its central moments to ~10⁻¹³.
     */
    static double truncatedStd(double std, double lo, double hi) {
        double a = lo / std;
        double b = hi / std;
        double half = (b - a) / 2;
        double mid = a / 2 + b / 2;
        if (!(Double.isFinite(a) && Double.isFinite(b) && half * (Math.abs(mid) + half) <= 2)) {
            return Math.sqrt(TruncatedNormalDistribution.of(0.0, std, lo, hi).getVariance());
        }
        final int panels = 2000;
        final double h = 2.0 / panels;
        double z = 0;
        double first = 0;
        for (int k = 0; k <= panels; k++) {
            double t = -1 + k * h;
            double w = (k == 0 || k == panels) ? 1 : (k % 2 == 1 ? 4 : 2);
            double f = w * Math.exp(-mid * half * t - half * half * t * t / 2);
            z += f;
            first += f * t;
        }
        double mean = first / z;
        double second = 0;
        for (int k = 0; k <= panels; k++) {
            double t = -1 + k * h;
            double w = (k == 0 || k == panels) ? 1 : (k % 2 == 1 ? 4 : 2);
            double d = t - mean;
            second += w * Math.exp(-mid * half * t - half * half * t * t / 2) * d * d;
        }
        return std * half * Math.sqrt(second / z);
    }
}
