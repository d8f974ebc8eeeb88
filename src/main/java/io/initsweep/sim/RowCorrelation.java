package io.initsweep.sim;

/**
 * How correlated the samples of a batch are at a layer: the cosine of two rows of the
 * pre-activations A (rows × cols, row-major), which at large width is the mean-field correlation
 * c^l of two inputs (E[a_i a_j]/q). {@link #meanPairwiseCosine} averages it over all
 * rows·(rows − 1)/2 pairs in O(rows·cols), from the sum of the unit-normalised rows:
 * Σ_{i&lt;j} u_i·u_j = (‖Σ u_i‖² − Σ ‖u_i‖²)/2. Rows of norm 0 (or non-finite) have no direction
 * and are left out of the pairs. An instance keeps its buffers (one per task, not thread-safe).
 */
public final class RowCorrelation {
    private double[] norms = new double[0];
    private double[] sum = new double[0];
    private double mean;
    private double spread;

    /** Mean cosine over all pairs of usable rows (NaN when fewer than two are usable), as of the last {@link #observe}. */
    public double mean() {
        return mean;
    }

    /**
     * The standard deviation (n − 1 denominator) of the cosines of the disjoint pairs of rows
     * (0, 1), (2, 3), … (pairs with an unusable row left out; NaN with fewer than two pairs), as
     * of the last {@link #observe}: how far one pair's correlation scatters around the mean.
     */
    public double spread() {
        return spread;
    }

    /** Measures {@link #mean} and {@link #spread} of a[0 .. rows·cols). */
    public void observe(double[] a, int rows, int cols) {
        if (norms.length < rows) {
            norms = new double[rows];
        }
        if (sum.length < cols) {
            sum = new double[cols];
        }
        java.util.Arrays.fill(sum, 0, cols, 0.0);
        int used = 0;
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            double norm = Math.sqrt(Sums.squares(a, off, cols));
            boolean usable = norm > 0 && Double.isFinite(norm);
            norms[i] = usable ? norm : Double.NaN;
            if (!usable) {
                continue;
            }
            double inv = 1.0 / norm;
            for (int j = 0; j < cols; j++) {
                sum[j] += a[off + j] * inv;
            }
            used++;
        }
        if (used < 2) {
            mean = Double.NaN;
        } else {
            double s2 = 0;
            for (int j = 0; j < cols; j++) {
                s2 += sum[j] * sum[j];
            }
            // each unit row contributes ‖u_i‖² = 1 (to rounding)
            mean = (s2 - used) / ((double) used * (used - 1));
        }
        int n = 0;
        double m = 0;
        double m2 = 0;
        for (int i = 0; i + 1 < rows; i += 2) {
            double np = norms[i];
            double nq = norms[i + 1];
            if (Double.isNaN(np) || Double.isNaN(nq)) {
                continue;
            }
            int p = i * cols;
            int q = p + cols;
            double dot = Sums.dot(a, p, a, q, cols);
            double cos = dot / (np * nq);
            n++;
            double d = cos - m;
            m += d / n;
            m2 += d * (cos - m);
        }
        spread = n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1));
    }

    /** {@link #mean} of a fresh measurement. */
    public static double meanPairwiseCosine(double[] a, int rows, int cols) {
        RowCorrelation c = new RowCorrelation();
        c.observe(a, rows, cols);
        return c.mean();
    }

    /** {@link #spread} of a fresh measurement. */
    public static double disjointPairSpread(double[] a, int rows, int cols) {
        RowCorrelation c = new RowCorrelation();
        c.observe(a, rows, cols);
        return c.spread();
    }
}
