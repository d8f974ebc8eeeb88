package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The default kernel route gives the same bits before and after the JIT's top tier compiles it,
 * for every activation, all on the Vector API route. Run in a fresh JVM with C2 enabled (the
 * test JVM stops at C1), which must have compiled every activation's kernel with C2, since the Vector API's own exp/tanh lanes change their rounding once C2
 * intrinsifies them: the kernels use none of them, only exactly rounded operations
 * ({@link DetMath} and its lane-by-lane twin in {@link VectorKernels}).
 */
class KernelDeterminismTest {
    /** Applies each activation cold, then 4,000 times more, and prints how many outputs changed. */
    public static void main(String[] args) {
        int n = 4096;
        double[] x = new double[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * 4;
        }
        for (Activation act : Activation.values()) {
            double[] cold = new double[n];
            double[] warm = new double[n];
            Kernels.apply(act, act.defaultParam(), x, cold, n);
            for (int k = 0; k < 4000; k++) {
                Kernels.apply(act, act.defaultParam(), x, warm, n);
            }
            int changed = 0;
            for (int i = 0; i < n; i++) {
                if (Double.doubleToRawLongBits(cold[i]) != Double.doubleToRawLongBits(warm[i])) {
                    changed++;
                }
            }
            System.out.println(act.id() + " " + changed);
        }
        System.out.println("route " + Kernels.route());
    }

    /** leaky_relu → leakyRelu: an activation's method name in {@link VectorKernels}. */
    /**
     * The C2-compiled kernel methods the vector route of the activations rests on: {@code
     * VectorKernels::<id in camel case>} of each activation that has a vector kernel of its own
     * (its class overrides {@code applyVector}; the others run the plain-Java loop), linear aside
     * (a copy).
     */
    static String[] vectorKernelMethods() {
        return Arrays.stream(Activation.values()).filter(act -> act != Activation.LINEAR && hasOwnVectorKernel(act))
                .map(act -> "VectorKernels::" + camelCase(act.id())).toArray(String[]::new);
    }

    static boolean hasOwnVectorKernel(Activation act) {
        try {
            // not the bridge javac adds to a public class for a public method of its package-private base
            return !act.getClass().getDeclaredMethod("applyVector", double.class, double[].class, double[].class, int.class)
                    .isSynthetic();
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    static String camelCase(String id) {
        StringBuilder b = new StringBuilder();
        for (String part : id.split("_")) {
            b.append(b.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return b.toString();
    }

    /**
     * Every activation has a vector kernel of its own, so that {@link #vectorKernelMethods} names
     * them all (linear's is a copy) and none runs the plain-Java loop on the vector route.
     */
    @Test
    void everyActivationHasAVectorKernelOfItsOwn() {
        for (Activation act : Activation.values()) {
            assertThat(hasOwnVectorKernel(act)).as("%s overrides applyVector", act).isTrue();
        }
        assertThat(vectorKernelMethods()).hasSize(Activation.values().length - 1)
                .contains("VectorKernels::swish", "VectorKernels::hardsigmoid", "VectorKernels::hardswish",
                        "VectorKernels::relu6", "VectorKernels::leakyRelu", "VectorKernels::geluTanh");
    }

    @Test
    void theDefaultRouteGivesTheSameBitsColdAndCompiled() throws Exception {
        FreshJvm.Output out = FreshJvm.run(KernelDeterminismTest.class, 300);
        List<String> lines = out.lines();
        assertThat(lines).hasSize(Activation.values().length + 1);
        // "compiled" must mean C2's code: each activation's vector kernel (linear is a copy)
        out.assertCompiledByC2(vectorKernelMethods());
        assertThat(lines.get(lines.size() - 1)).startsWith("route vector-api");
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(line).as("outputs changed after compilation").endsWith(" 0");
        }
    }
}
