package io.initsweep.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API activation kernels. Loaded only when the incubator module is present (see
 * {@link Kernels#VECTOR_API}). Each inner tile is its own small method: HotSpot compiled a
 * monolithic loop far slower in some JVMs.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorKernels() {}

    static void sigmoid(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            sigmoidTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = 1.0 / (1.0 + Math.exp(-a[i]));
        }
    }

    private static void sigmoidTile(double[] a, double[] z, int i) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        DoubleVector e = v.neg().lanewise(VectorOperators.EXP).add(1.0);
        DoubleVector.broadcast(S, 1.0).div(e).intoArray(z, i);
    }

    static void tanh(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            tanhTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = Math.tanh(a[i]);
        }
    }

    private static void tanhTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.TANH).intoArray(z, i);
    }

    static void relu(double[] a, double[] z, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            reluTile(a, z, i);
        }
        for (; i < n; i++) {
            z[i] = Math.max(a[i], 0.0);
        }
    }

    private static void reluTile(double[] a, double[] z, int i) {
        DoubleVector.fromArray(S, a, i).max(0.0).intoArray(z, i);
    }

    static void leakyRelu(double[] a, double[] z, int n, double slope) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            leakyTile(a, z, i, slope);
        }
        for (; i < n; i++) {
            double v = a[i];
            z[i] = v > 0 ? v : slope * v;
        }
    }

    private static void leakyTile(double[] a, double[] z, int i, double slope) {
        DoubleVector v = DoubleVector.fromArray(S, a, i);
        VectorMask<Double> positive = v.compare(VectorOperators.GT, 0.0);
        v.mul(slope).blend(v, positive).intoArray(z, i);
    }
}
