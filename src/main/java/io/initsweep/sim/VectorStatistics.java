package io.initsweep.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API part of {@link LayerStatistics}: the zero, saturation and dead-unit counts,
 * whose outcome per entry is a coin flip in a ReLU layer (half its inputs are negative), so that
 * scalar code pays a mispredicted branch on every other entry. Mask counts have no branches.
 * Loaded only when the incubator module is present.
 */
final class VectorStatistics {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorStatistics() {}

    /**
     * Over one row a[base .. base + cols), z likewise: returns zeros of z in the row plus
     * 2^32 × saturated entries of a, and sets alive[j] for every unsaturated a[base + j].
     */
    static long row(double[] a, double[] z, int base, int cols, double satLo, double satHi, boolean[] alive) {
        long zeros = 0;
        long saturated = 0;
        int j = 0;
        int bound = S.loopBound(cols);
        for (; j < bound; j += L) {
            DoubleVector av = DoubleVector.fromArray(S, a, base + j);
            VectorMask<Double> sat = av.lt(satLo).or(av.compare(VectorOperators.GT, satHi));
            saturated += sat.trueCount();
            VectorMask.fromArray(S, alive, j).or(sat.not()).intoArray(alive, j);
            zeros += DoubleVector.fromArray(S, z, base + j).eq(0.0).trueCount();
        }
        for (; j < cols; j++) {
            double av = a[base + j];
            boolean sat = av < satLo || av > satHi;
            saturated += sat ? 1 : 0;
            alive[j] |= !sat;
            zeros += z[base + j] == 0.0 ? 1 : 0;
        }
        return zeros + (saturated << 32);
    }
}
