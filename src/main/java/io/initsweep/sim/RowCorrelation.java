package io.initsweep.sim;

/**
 * How correlated the samples of a batch are at a layer: the cosine of two rows of the
 * pre-activations A (rows × cols, row-major), which at large width is the mean-field correlation
 * c^l of two inputs (E[a_i a_j]/q). {@link #meanPairwiseCosine} averages it over all
 * rows·(rows − 1)/2 pairs in O(rows·cols), from the sum of the unit-normalised rows:
 * Σ_{i&lt;j} u_i·u_j = (‖Σ u_i‖² − Σ ‖u_i‖²)/2. Rows of norm 0 (or non-finite) have no direction
 * and are left out of the pairs.
 */
public final class RowCorrelation {
    private RowCorrelation() {}

    /** Mean cosine over all pairs of usable rows; NaN when fewer than two rows are usable. */
    public static double meanPairwiseCosine(double[] a, int rows, int cols) {
        double[] sum = new double[cols];
        int used = 0;
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            double norm = norm(a, off, cols);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                continue;
            }
            double inv = 1.0 / norm;
            for (int j = 0; j < cols; j++) {
                sum[j] += a[off + j] * inv;
            }
            used++;
        }
        if (used < 2) {
            return Double.NaN;
        }
        double s2 = 0;
        for (double v : sum) {
            s2 += v * v;
        }
        // each unit row contributes ‖u_i‖² = 1 (to rounding)
        return (s2 - used) / ((double) used * (used - 1));
    }

    /**
     * The standard deviation (n − 1 denominator) of the cosines of the disjoint pairs of rows
     * (0, 1), (2, 3), …: how much one pair's correlation scatters around the mean. Pairs with a row
     * of norm 0 are left out; NaN with fewer than two pairs.
     */
    public static double disjointPairSpread(double[] a, int rows, int cols) {
        int n = 0;
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i + 1 < rows; i += 2) {
            int p = i * cols;
            int q = p + cols;
            double np = norm(a, p, cols);
            double nq = norm(a, q, cols);
            if (!(np > 0 && nq > 0) || !Double.isFinite(np) || !Double.isFinite(nq)) {
                continue;
            }
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += a[p + j] * a[q + j];
            }
            double cos = dot / (np * nq);
            n++;
            double d = cos - mean;
            mean += d / n;
            m2 += d * (cos - mean);
        }
        return n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1));
    }

    private static double norm(double[] a, int off, int cols) {
        double s = 0;
        for (int j = 0; j < cols; j++) {
            s += a[off + j] * a[off + j];
        }
        return Math.sqrt(s);
    }
}
