package io.initsweep.bench;

import java.util.Arrays;

/**
 * A training step over its GEMMs with the two measured alternately, call by call, in one thread:
 * each round times one {@link TrainingBenchmark#step} and then the products it is held to (2 ×
 * X·W, δ·Wᵀ, 2 × Xᵀ·δ, as TrainingBenchmark's summary adds them), and the figure is the median
 * of the rounds' ratios with its quartiles; beside it, φ of the two layers alone over the same
 * GEMMs (a step cannot cost less than 1 + that). Load that comes and goes hits both sides of a round
 * alike, which JMH's separate runs of the two cannot promise on a shared machine. By hand:
 *
 * <pre>OPENBLAS_NUM_THREADS=1 java --add-modules=jdk.incubator.vector,jdk.incubator.foreign \
 *   --enable-native-access=ALL-UNNAMED -XX:PerMethodTrapLimit=100000 -cp &lt;test classpath&gt; io.initsweep.bench.TrainingStepRatio [width] [rounds]</pre>
 */
public final class TrainingStepRatio {
    private TrainingStepRatio() {}

    public static void main(String[] args) {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        System.out.printf("step / its GEMMs, width %d, batch 1000, %d alternating rounds after %d warm-up rounds%n", width,
                rounds, rounds);
        for (String dtype : new String[] {"float64", "float32"}) {
            for (String activation : new String[] {"tanh", "relu"}) {
                TrainingBenchmark b = new TrainingBenchmark();
                b.activation = activation;
                b.width = width;
                b.batch = 1000;
                b.dtype = dtype;
                b.setUp();
                measure(b, rounds); // warm-up: C2 compiles the step and the GEMM wrappers
                double[][] r = measure(b, rounds);
                System.out.printf("  %-7s %-4s  median %.3f  (quartiles %.3f–%.3f);  φ alone / GEMMs %.3f%n", dtype, activation,
                        r[0][rounds / 2], r[0][rounds / 4], r[0][3 * rounds / 4], r[1][rounds / 2]);
            }
        }
    }

    /** The sorted ratios of step / GEMMs and of φ alone / GEMMs, one of each a round. */
    private static double[][] measure(TrainingBenchmark b, int rounds) {
        double[] ratio = new double[rounds];
        double[] phi = new double[rounds];
        double sink = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += b.step();
            long t1 = System.nanoTime();
            b.gemmForward();
            b.gemmForward();
            b.gemmDeltaWt();
            b.gemmXtDelta();
            b.gemmXtDelta();
            long t2 = System.nanoTime();
            b.phi();
            long t3 = System.nanoTime();
            ratio[i] = (double) (t1 - t0) / (t2 - t1);
            phi[i] = (double) (t3 - t2) / (t2 - t1);
        }
        if (sink == 42.4242) {
            System.out.println(sink);
        }
        Arrays.sort(ratio);
        Arrays.sort(phi);
        return new double[][] {ratio, phi};
    }
}
