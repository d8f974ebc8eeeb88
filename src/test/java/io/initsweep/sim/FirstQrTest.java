package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first orthogonal draw in a process has the bits of every later one. (OpenBLAS's native QR
 * rounds a process's first factorization differently, so with it a layer's weights depended on
 * what the executor had computed before; the QR now runs on netlib's pure-Java LAPACK.) Each
 * shape is drawn twice in a fresh JVM, the very first QR of the process first.
 */
class FirstQrTest {
    static final int[] SIZES = {7, 24, 100};

    @Test
    void theFirstQrOfAProcessGivesTheBitsOfTheLaterOnes() throws Exception {
        List<String> lines = FreshJvm.lines(FirstQrTest.class, 100);
        assertThat(lines).hasSize(SIZES.length);
        assertThat(lines).allSatisfy(l -> assertThat(l).endsWith("first == later: true"));
    }

    public static void main(String[] args) {
        Initializer p = Orthogonal.SCHEME.defaults(Double.NaN);
        for (int n : SIZES) {
            double[] first = new double[n * n];
            double[] later = new double[n * n];
            new Weights().fill(p, 1, 2, 3, n, n, first);
            new Weights().fill(p, 1, 2, 3, n, n, later);
            System.out.println("orthogonal " + n + "x" + n + " first == later: " + Arrays.equals(first, later));
        }
    }
}
