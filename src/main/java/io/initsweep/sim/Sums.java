package io.initsweep.sim;

/**
 * Sums of squares and dot products in one fixed order that does not depend on the machine:
 * eight running partial sums, partial k taking entries k, k + 8, k + 16, … of each whole block
 * of eight, combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)), then the entries
 * after the last whole block added one by one. Java neither reorders nor fuses floating-point
 * operations, so the bits are the same interpreted, at C1 and at C2, and on every CPU whatever
 * its vector width. The eight independent chains let the processor overlap eight additions
 * where one running sum waits out each addition's latency.
 */
public final class Sums {
    private Sums() {}

    /** Σ a[from + i]² for i in [0, n): {@link #dot} of the range with itself, the same bits. */
    static double squares(double[] a, int from, int n) {
        return dot(a, from, a, from, n);
    }

    /** Σ a[p + i]·b[q + i] for i in [0, n). */
    public static double dot(double[] a, int p, double[] b, int q, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        int blocks = n & ~7;
        for (; i < blocks; i += 8) {
            s0 += a[p + i] * b[q + i];
            s1 += a[p + i + 1] * b[q + i + 1];
            s2 += a[p + i + 2] * b[q + i + 2];
            s3 += a[p + i + 3] * b[q + i + 3];
            s4 += a[p + i + 4] * b[q + i + 4];
            s5 += a[p + i + 5] * b[q + i + 5];
            s6 += a[p + i + 6] * b[q + i + 6];
            s7 += a[p + i + 7] * b[q + i + 7];
        }
        double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) {
            s += a[p + i] * b[q + i];
        }
        return s;
    }
}
