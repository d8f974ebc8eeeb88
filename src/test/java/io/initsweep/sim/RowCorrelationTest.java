package io.initsweep.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RowCorrelationTest {
    /** The all-pairs mean by its definition: every pair's cosine, O(rows²·cols). */
    private static double direct(double[] a, int rows, int cols) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < rows; i++) {
            for (int k = i + 1; k < rows; k++) {
                double dot = 0;
                double ni = 0;
                double nk = 0;
                for (int j = 0; j < cols; j++) {
                    dot += a[i * cols + j] * a[k * cols + j];
                    ni += a[i * cols + j] * a[i * cols + j];
                    nk += a[k * cols + j] * a[k * cols + j];
                }
                if (ni > 0 && nk > 0) {
                    sum += dot / Math.sqrt(ni * nk);
                    pairs++;
                }
            }
        }
        return sum / pairs;
    }

    @Test
    void allPairsInLinearTimeEqualTheDefinition() {
        SplittableRandom r = new SplittableRandom(7);
        int rows = 60;
        int cols = 13;
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble(-1, 2); // a positive mean: correlated rows
        }
        for (int j = 0; j < cols; j++) {
            a[5 * cols + j] = 0; // a zero row is left out
        }
        assertEquals(direct(a, rows, cols), RowCorrelation.meanPairwiseCosine(a, rows, cols), 1e-13);
    }

    @Test
    void sharedComponentGivesItsCorrelation() {
        // rows x_i = √c·g + √(1−c)·e_i: E[x_i·x_j]/E[x²] = c; at width 4000 the mean cosine over 200 rows
        // is within a few 1/√(width) of c
        SplittableRandom r = new SplittableRandom(11);
        int rows = 200;
        int cols = 4000;
        double c = 0.3;
        double[] g = new double[cols];
        for (int j = 0; j < cols; j++) {
            g[j] = r.nextGaussian();
        }
        double[] a = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i * cols + j] = Math.sqrt(c) * g[j] + Math.sqrt(1 - c) * r.nextGaussian();
            }
        }
        double mean = RowCorrelation.meanPairwiseCosine(a, rows, cols);
        // the shared g's own norm fluctuates by ~√(2/cols) relative: 5 of those is 0.11·c
        assertEquals(c, mean, 5 * Math.sqrt(2.0 / cols));
        // one pair's cosine scatters by about (1 − c²)/√cols around c (Fisher, for large cols)
        double spread = RowCorrelation.disjointPairSpread(a, rows, cols);
        double expected = (1 - c * c) / Math.sqrt(cols);
        assertTrue(spread > 0.7 * expected && spread < 1.3 * expected, "spread " + spread + " vs " + expected);
    }

    @Test
    void identicalRowsHaveCosineOneAndFewRowsNone() {
        double[] a = {1, 2, 3, 1, 2, 3, 2, 4, 6};
        assertEquals(1.0, RowCorrelation.meanPairwiseCosine(a, 3, 3), 1e-15);
        assertTrue(Double.isNaN(RowCorrelation.meanPairwiseCosine(a, 1, 3)));
        assertTrue(Double.isNaN(RowCorrelation.disjointPairSpread(a, 3, 3)));
    }
}
