package io.initsweep.sim;

import java.util.Arrays;

/**
 * Units that cannot tell each other apart: two units whose activation columns are equal over the
 * batch receive equal weight gradients at every step (the same inputs, the same outgoing weights
 * when those are equal too), the "all hidden units learn the same" of a constant init.
 */
public final class Symmetry {
    private Symmetry() {}

    /**
     * The number of distinct columns of the row-major batch × width matrix {@code z}, compared
     * exactly (bit patterns, with −0.0 taken as 0.0 and every NaN as one value): 1 when every
     * column is the same, width when no two are. Columns are hashed in one pass over the rows, then
     * sorted by hash; columns with equal hashes are compared entry by entry, so a hash collision
     * cannot merge two columns. O(batch·width + width·log width), plus batch per equal-hash pair.
     *
     * @param hashes scratch of at least width entries
     */
    public static int distinctColumns(double[] z, int batch, int width, long[] hashes) {
        Check.argument(hashes.length >= width, "hashes must hold width = %s values, found %s", width, hashes.length);
        Arrays.fill(hashes, 0, width, 0x243F6A8885A308D3L);
        for (int s = 0; s < batch; s++) {
            final int row = s * width;
            for (int j = 0; j < width; j++) {
                hashes[j] = (hashes[j] ^ bits(z[row + j])) * 0x9E3779B97F4A7C15L;
                hashes[j] ^= hashes[j] >>> 29;
            }
        }
        Integer[] order = new Integer[width];
        for (int j = 0; j < width; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
        int distinct = 0;
        int start = 0;
        while (start < width) {
            int end = start + 1;
            while (end < width && hashes[order[end]] == hashes[order[start]]) {
                end++;
            }
            // within one hash: count columns not equal to an earlier representative
            int[] reps = new int[end - start];
            int nReps = 0;
            for (int i = start; i < end; i++) {
                int col = order[i];
                boolean seen = false;
                for (int r = 0; r < nReps && !seen; r++) {
                    seen = equalColumns(z, batch, width, reps[r], col);
                }
                if (!seen) {
                    reps[nReps++] = col;
                }
            }
            distinct += nReps;
            start = end;
        }
        return distinct;
    }

    private static long bits(double v) {
        return Double.doubleToLongBits(v + 0.0); // −0.0 + 0.0 = +0.0; every NaN to the canonical NaN
    }

    private static boolean equalColumns(double[] z, int batch, int width, int a, int b) {
        for (int s = 0; s < batch; s++) {
            if (bits(z[s * width + a]) != bits(z[s * width + b])) {
                return false;
            }
        }
        return true;
    }
}
