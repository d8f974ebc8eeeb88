package io.initsweep.sim;

import java.util.Arrays;

/**
 * Units that cannot tell each other apart: two units whose activation columns are equal over the
 * batch receive equal weight gradients at every step (the same inputs, the same outgoing weights
 * when those are equal too), the "all hidden units learn the same" of a constant init.
 *
 * <p>Columns count as equal when every entry agrees within a relative {@linkplain #tolerance
 * tolerance} far above rounding and far below any difference an init makes. Equal to the last
 * bit would be wrong: BLAS kernels compute the edge columns of a block in another order than the
 * others (OpenBLAS's AVX-512 kernels at widths that are not a multiple of their block), so the
 * columns of X·W with identical columns of W can differ in their last bits.
 */
public final class Symmetry {
    private Symmetry() {}

    /** The relative tolerance for a dtype: 1e-9 for float64, 1e-4 for float32 (whose rounding is 6e-8). */
    public static double tolerance(Dtype dtype) {
        return dtype == Dtype.FLOAT32 ? 1e-4 : 1e-9;
    }

    /**
     * The number of distinct columns of the row-major batch × width matrix {@code z}: 1 when every
     * column is the same, width when no two are. Columns a and b are equal when |a_s − b_s| ≤
     * tolerance · max(|a_s|, |b_s|) for every row s (NaNs equal NaNs, infinities equal themselves);
     * each column is compared with the representatives found so far whose sums could match, so the
     * count is exact whenever columns are either equal or farther apart than the tolerance. One pass
     * for the column sums, a sort of width values, then batch per comparison: O(batch·width +
     * width·log width) when the columns are all distinct or all equal.
     *
     * @param scratch at least 2·width values
     */
    public static int distinctColumns(double[] z, int batch, int width, double[] scratch, double tolerance) {
        Check.argument(scratch.length >= 2 * width, "scratch must hold 2 * width = %s values, found %s", 2 * width,
                scratch.length);
        // scratch[0, width): column sums; scratch[width, 2·width): sums of magnitudes (NaN/∞ included)
        Arrays.fill(scratch, 0, 2 * width, 0.0);
        for (int s = 0; s < batch; s++) {
            final int row = s * width;
            for (int j = 0; j < width; j++) {
                double v = z[row + j];
                scratch[j] += v;
                scratch[width + j] += Math.abs(v);
            }
        }
        Integer[] order = new Integer[width];
        for (int j = 0; j < width; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scratch[a], scratch[b])); // NaN sums sort last, together
        int[] reps = new int[width];
        int nReps = 0;
        double largestMagnitude = 0;
        for (int i = 0; i < width; i++) {
            int col = order[i];
            double sum = scratch[col];
            boolean seen = false;
            // representatives are in sum order: walk back while the sums could still be within tolerance
            for (int r = nReps - 1; r >= 0 && !seen; r--) {
                int rep = reps[r];
                double gap = sum - scratch[rep];
                if (gap > tolerance * (largestMagnitude + scratch[width + col])) {
                    break;
                }
                seen = equalColumns(z, batch, width, rep, col, tolerance);
            }
            if (!seen) {
                reps[nReps++] = col;
                largestMagnitude = Math.max(largestMagnitude, scratch[width + col]);
            }
        }
        return nReps;
    }

    private static boolean equalColumns(double[] z, int batch, int width, int a, int b, double tolerance) {
        for (int s = 0; s < batch; s++) {
            double x = z[s * width + a];
            double y = z[s * width + b];
            if (x == y || (x != x && y != y)) {
                continue;
            }
            if (!(Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y)))) {
                return false;
            }
        }
        return true;
    }
}
