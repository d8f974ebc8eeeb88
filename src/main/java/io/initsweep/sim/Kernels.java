package io.initsweep.sim;

/**
 * Elementwise activation kernels, z[i] = φ(a[i]). Activations built from exact IEEE operations
 * (relu, leaky_relu, softsign, hardtanh, linear: max, multiply, blend, divide) use the JDK Vector
 * API when the JVM was started with {@code --add-modules=jdk.incubator.vector}; every activation
 * that needs exp, expm1, log1p or tanh uses {@link Math} in plain Java. The Vector API's
 * transcendental lanes round differently once C2 compiles them (an intrinsic) than before (Java
 * code calling Math), so the same chain would give different last bits depending on how warm
 * the JVM was — breaking bit-identical rows across partitionings, executors and retries. Both
 * routes evaluate the same formulas in the same order (see {@link ActivationMath}).
 */
public final class Kernels {
    /** Whether the Vector API module is present in this JVM. */
    public static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("initsweep.scalar");

    private Kernels() {}

    /** A description of the kernel route in use, for logs and the manifest. */
    public static String route() {
        return VECTOR_API ? "vector-api (relu, leaky_relu, softsign, hardtanh, linear), scalar (the rest)" : "scalar";
    }

    /**
     * Whether the Vector API route of {@code activation} uses only exactly rounded operations, so
     * that it gives the same bits as plain Java however the JIT compiled it.
     */
    public static boolean exactInVector(Activation activation) {
        return switch (activation) {
            case RELU, LEAKY_RELU, SOFTSIGN, HARDTANH, LINEAR -> true;
            case SIGMOID, TANH, ELU, SELU, GELU, GELU_TANH, SILU, MISH, SOFTPLUS -> false;
        };
    }

    /**
     * z[0..n) = φ(a[0..n)). {@code a} is not modified; {@code z} may not alias {@code a}.
     */
    public static void apply(Activation activation, double param, double[] a, double[] z, int n) {
        if (VECTOR_API && exactInVector(activation)) {
            applyVector(activation, param, a, z, n);
        } else {
            applyScalar(activation, param, a, z, n);
        }
    }

    /**
     * The Vector API route of every activation, including those whose transcendental lanes are not
     * reproducible across JIT tiers ({@link #exactInVector}); for benchmarks and tests only.
     */
    static void applyVector(Activation activation, double param, double[] a, double[] z, int n) {
        switch (activation) {
            case SIGMOID -> VectorKernels.sigmoid(a, z, n);
            case TANH -> VectorKernels.tanh(a, z, n);
            case RELU -> VectorKernels.relu(a, z, n);
            case LEAKY_RELU -> VectorKernels.leakyRelu(a, z, n, param);
            case ELU -> VectorKernels.elu(a, z, n, param);
            case SELU -> VectorKernels.selu(a, z, n);
            case GELU -> VectorKernels.gelu(a, z, n);
            case GELU_TANH -> VectorKernels.geluTanh(a, z, n);
            case SILU -> VectorKernels.silu(a, z, n);
            case MISH -> VectorKernels.mish(a, z, n);
            case SOFTPLUS -> VectorKernels.softplus(a, z, n);
            case SOFTSIGN -> VectorKernels.softsign(a, z, n);
            case HARDTANH -> VectorKernels.hardtanh(a, z, n);
            case LINEAR -> VectorKernels.linear(a, z, n);
        }
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
        switch (activation) {
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    z[i] = 1.0 / (1.0 + Math.exp(-a[i]));
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    z[i] = Math.tanh(a[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    z[i] = Math.max(a[i], 0.0);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    double v = a[i];
                    z[i] = v > 0 ? v : param * v;
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    double v = a[i];
                    z[i] = v > 0 ? v : param * Math.expm1(v);
                }
            }
            case SELU -> {
                for (int i = 0; i < n; i++) {
                    double v = a[i];
                    z[i] = v > 0 ? ActivationMath.SELU_SCALE * v : ActivationMath.SELU_SCALE_ALPHA * Math.expm1(v);
                }
            }
            case GELU -> {
                for (int i = 0; i < n; i++) {
                    z[i] = ActivationMath.gelu(a[i]);
                }
            }
            case GELU_TANH -> {
                for (int i = 0; i < n; i++) {
                    z[i] = ActivationMath.geluTanh(a[i]);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    z[i] = ActivationMath.silu(a[i]);
                }
            }
            case MISH -> {
                for (int i = 0; i < n; i++) {
                    z[i] = ActivationMath.mish(a[i]);
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < n; i++) {
                    z[i] = ActivationMath.softplus(a[i]);
                }
            }
            case SOFTSIGN -> {
                for (int i = 0; i < n; i++) {
                    z[i] = ActivationMath.softsign(a[i]);
                }
            }
            case HARDTANH -> {
                for (int i = 0; i < n; i++) {
                    z[i] = Math.min(Math.max(a[i], -1.0), 1.0);
                }
            }
            case LINEAR -> System.arraycopy(a, 0, z, 0, n);
        }
    }
}
