package io.initsweep.sim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 kernels through the Vector API for the activations whose φ and φ' are exact in float32
 * (relu): lanewise max, compare and multiply by 0 or 1, each exactly rounded, so every lane gives
 * the bits of its scalar twin in {@link Kernels}, and those of the float64 route rounded once.
 * Loaded only when the incubator module is present.
 */
final class VectorKernels32 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private VectorKernels32() {}

    /** x = max(a, 0), lane by lane as {@link Math#max(float, float)}. */
    static void relu(float[] a, float[] x, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            reluTile(a, x, i);
        }
        for (; i < n; i++) {
            x[i] = Math.max(a[i], 0f);
        }
    }

    private static void reluTile(float[] a, float[] x, int i) {
        FloatVector.fromArray(F, a, i).max(0f).intoArray(x, i);
    }

    /** d = p · (x &gt; 0 ? 1 : 0) ({@code d} may be {@code p}). */
    static void multiplyPositive(float[] x, float[] p, float[] d, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            multiplyPositiveTile(x, p, d, i);
        }
        for (; i < n; i++) {
            d[i] = p[i] * (x[i] > 0 ? 1f : 0f);
        }
    }

    private static void multiplyPositiveTile(float[] x, float[] p, float[] d, int i) {
        FloatVector factor = FloatVector.zero(F).blend(1f, FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0f));
        FloatVector.fromArray(F, p, i).mul(factor).intoArray(d, i);
    }
}
