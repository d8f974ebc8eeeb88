package io.initsweep.sim;

/**
 * Elementwise activation kernels, z[i] = φ(a[i]). Every activation uses the JDK Vector API when
 * the JVM was started with {@code --add-modules=jdk.incubator.vector} (and not
 * {@code -Dinitsweep.scalar=true}), else plain Java. Both routes are built only from exactly
 * rounded operations: the activations that need exp, expm1, log1p or tanh call {@link DetMath}
 * (plain Java) or its lane-by-lane twin in {@link VectorKernels}, never {@link Math}'s
 * transcendentals or the Vector API's EXP/TANH/EXPM1/LOG1P lanes, whose last bits change once
 * C2 intrinsifies them. So the two routes, cold or compiled, at any vector width, give the same
 * bits as {@link Activation#value}, and a sweep's rows are bit-identical across partitionings,
 * executors and retries. Both routes evaluate the same formulas in the same order (see
 * {@link ActivationMath} and {@link DetMath}).
 */
public final class Kernels {
    /** Whether the Vector API module is present in this JVM (and not switched off). */
    public static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("initsweep.scalar");

    private Kernels() {}

    /** A description of the kernel route in use, for logs and the manifest. */
    public static String route() {
        return VECTOR_API ? "vector-api (every activation; exact-operation exp/expm1/log1p/tanh)"
                : "scalar (exact-operation exp/expm1/log1p/tanh)";
    }

    /**
     * x = max(a, 0) in float32: relu on a float32 pre-activation, the bits of {@link #apply} on a
     * widened and rounded back to float32 (max is exact).
     */
    public static void relu32(float[] a, float[] x, int n) {
        if (VECTOR_API) {
            VectorKernels32.relu(a, x, n);
        } else {
            for (int i = 0; i < n; i++) {
                x[i] = Math.max(a[i], 0f);
            }
        }
    }

    /**
     * d = p · (x &gt; 0 ? 1 : 0) in float32: relu's backward step from its output x = max(a, 0)
     * (x &gt; 0 exactly where a &gt; 0), the bits of {@link Activation#multiplyDerivative} on p
     * widened and rounded back ({@code d} may be {@code p}).
     */
    public static void multiplyPositive32(float[] x, float[] p, float[] d, int n) {
        if (VECTOR_API) {
            VectorKernels32.multiplyPositive(x, p, d, n);
        } else {
            for (int i = 0; i < n; i++) {
                d[i] = p[i] * (x[i] > 0 ? 1f : 0f);
            }
        }
    }

    /**
     * z[0..n) = φ(a[0..n)). {@code a} is not modified; {@code z} may not alias {@code a}.
     */
    public static void apply(Activation activation, double param, double[] a, double[] z, int n) {
        if (VECTOR_API) {
            applyVector(activation, param, a, z, n);
        } else {
            applyScalar(activation, param, a, z, n);
        }
    }

    /** z[0..n) = {@link DetMath#exp}(z[0..n)), in place, the same bits on either route. */
    public static void exp(double[] z, int n) {
        if (VECTOR_API) {
            VectorKernels.exp(z, z, n);
        } else {
            for (int i = 0; i < n; i++) {
                z[i] = DetMath.exp(z[i]);
            }
        }
    }

    /** dst[0..n) = src[0..n) widened to float64 (exact). */
    public static void widen(float[] src, double[] dst, int n) {
        if (VECTOR_API) {
            VectorConversions.widen(src, dst, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst[i] = src[i];
            }
        }
    }

    /** acc[j] += src[from + j] widened, for j in [0, n): the scalar loop's sums on either route. */
    public static void addWidened(float[] src, int from, double[] acc, int n) {
        if (VECTOR_API) {
            VectorConversions.addWidened(src, from, acc, n);
        } else {
            for (int j = 0; j < n; j++) {
                acc[j] += src[from + j];
            }
        }
    }

    /** Rounds z[0..n) to float32 (nearest even): out[i] = (float) z[i], and z[i] = out[i] widened back. */
    public static void roundToFloat(double[] z, float[] out, int n) {
        if (VECTOR_API) {
            VectorConversions.roundToFloat(z, out, n);
        } else {
            for (int i = 0; i < n; i++) {
                float v = (float) z[i];
                out[i] = v;
                z[i] = v;
            }
        }
    }

    /** The Vector API route of every activation (needs the incubator module). */
    static void applyVector(Activation activation, double param, double[] a, double[] z, int n) {
        activation.applyVector(param, a, z, n);
    }

    /** Every activation's Vector API code when the module is present, else the plain-Java route (tests). */
    static void applyVectorIfPresent(Activation activation, double param, double[] a, double[] z, int n) {
        if (VECTOR_API) {
            applyVector(activation, param, a, z, n);
        } else {
            applyScalar(activation, param, a, z, n);
        }
    }

    /** The plain-Java route, z[i] = {@link Activation#value}(a[i]). */
    public static void applyScalar(Activation activation, double param, double[] a, double[] z, int n) {
        activation.applyScalar(param, a, z, n);
    }
}
