package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The default kernel route gives the same bits before and after the JIT's top tier compiles it,
 * for every activation, now all on the Vector API route. Run in a fresh JVM with C2 enabled (the
 * test JVM stops at C1), since the Vector API's own exp/tanh lanes change their rounding once C2
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

    @Test
    void theDefaultRouteGivesTheSameBitsColdAndCompiled() throws Exception {
        List<String> lines = FreshJvm.lines(KernelDeterminismTest.class, 120);
        assertThat(lines).hasSize(Activation.values().length + 1);
        assertThat(lines.get(lines.size() - 1)).startsWith("route vector-api");
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(line).as("outputs changed after compilation").endsWith(" 0");
        }
    }
}
