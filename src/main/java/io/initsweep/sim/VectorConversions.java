package io.initsweep.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 ⇄ float64 conversions of whole arrays through the Vector API, for the float32 route of
 * {@link ForwardPass}. Both directions are the IEEE conversions Java's casts make (widening is
 * exact, narrowing rounds to nearest even), lane by lane, so the results are the casts' bits. In
 * JDK 17 C2 does not vectorize a scalar loop that converts between types of different sizes:
 * measured over 100,000 entries, widening took 24 µs as a loop and 13 µs here, and the round trip
 * of {@link #roundToFloat} 110 µs as a loop and 15 µs here. Loaded only when the incubator module
 * is present.
 */
final class VectorConversions {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** As many float lanes as D has double lanes. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    private VectorConversions() {}

    /** dst[0..n) = src[0..n), widened. */
    static void widen(float[] src, double[] dst, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            ((DoubleVector) FloatVector.fromArray(F, src, i).convertShape(VectorOperators.F2D, D, 0)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = src[i];
        }
    }

    /** acc[j] += src[from + j] widened, for j in [0, n): each sum as the scalar loop's, lane by lane. */
    static void addWidened(float[] src, int from, double[] acc, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            DoubleVector.fromArray(D, acc, j)
                    .add((DoubleVector) FloatVector.fromArray(F, src, from + j).convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] += src[from + j];
        }
    }

    /** out[i] = (float) z[i], and z[i] = out[i] widened back, for i in [0, n). */
    static void roundToFloat(double[] z, float[] out, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = (FloatVector) DoubleVector.fromArray(D, z, i).convertShape(VectorOperators.D2F, F, 0);
            v.intoArray(out, i);
            ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).intoArray(z, i);
        }
        for (; i < n; i++) {
            float v = (float) z[i];
            out[i] = v;
            z[i] = v;
        }
    }
}
