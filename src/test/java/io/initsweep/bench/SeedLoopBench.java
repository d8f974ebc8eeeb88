package io.initsweep.bench;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Kernels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The seed-loop benchmark, the Java side: the seed notebook's work (X ~ N(0,1) 1000×100, 5 layers of
 * width 100, sigmoid, 30-bin histogram per layer; here with every other statistic the kernel
 * records too) through {@link ForwardPass}, one grid point after another on one thread, after a
 * warm-up. bench/seed_loop.py is the numpy side. Prints grid points per second (median round).
 *
 * <pre>
 * OPENBLAS_NUM_THREADS=1 java --add-modules=jdk.incubator.vector -XX:PerMethodTrapLimit=100000 -cp &lt;test classpath&gt; \
 *     io.initsweep.bench.SeedLoopBench [--dtype f64] [--rounds 5] [--round-seconds 2] [--warmup-seconds 4]
 *     [--init normal] [--std 1.0] [--activation sigmoid] [--depth 5] [--width 100] [--batch 1000] [--json FILE]
 * </pre>
 * Exit status 3 (and "float32: not available") for a dtype the kernel does not have.
 */
public final class SeedLoopBench {
    private SeedLoopBench() {}

    public static void main(String[] args) throws IOException {
        String dtype = "f64";
        int rounds = 5;
        double roundSeconds = 2.0;
        double warmupSeconds = 4.0;
        String init = "normal";
        double std = 1.0;
        String activation = "sigmoid";
        int depth = 5;
        int width = 100;
        int batch = 1000;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dtype" -> dtype = v;
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--round-seconds" -> roundSeconds = Double.parseDouble(v);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
                case "--init" -> init = v;
                case "--std" -> std = Double.parseDouble(v);
                case "--activation" -> activation = v;
                case "--depth" -> depth = Integer.parseInt(v);
                case "--width" -> width = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--json" -> json = Path.of(v);
                default -> {
                    System.err.println("SeedLoopBench: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        try {
            BenchChains.requireAvailable(dtype);
        } catch (UnsupportedOperationException e) {
            System.out.println(e.getMessage());
            if (json != null) {
                Files.writeString(json, "{\"dtype\": \"" + dtype + "\", \"available\": false, \"reason\": \""
                        + e.getMessage() + "\"}\n", StandardCharsets.UTF_8);
            }
            System.exit(3);
        }
        BenchChains.requireSingleThreadedBlas();

        ChainParams base = BenchChains.chain(dtype, init, std, activation, width, batch, depth, 0);
        ForwardPass pass = new ForwardPass();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long seed = 0;
        double sink = 0;

        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            sink += pass.run(withSeed(base, seed++)).actMean[0];
        }

        double[] rates = new double[rounds];
        double[] cpuShare = new double[rounds];
        long totalPoints = 0;
        for (int r = 0; r < rounds; r++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + (long) (roundSeconds * 1e9);
            int points = 0;
            long t;
            do {
                sink += pass.run(withSeed(base, seed++)).actMean[0];
                points++;
                t = System.nanoTime();
            } while (t < end);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            double seconds = (t - t0) / 1e9;
            rates[r] = points / seconds;
            cpuShare[r] = cpu / 1e9 / seconds;
            totalPoints += points;
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[rounds / 2];
        double cpuMedian = median(cpuShare);
        String blas = Gemm.implementation();
        System.out.printf(Locale.ROOT,
                "java kernel %s, one thread: %s %s std %s depth %d, %d×%d: %.1f points/s (%.2f ms/point; median of %d"
                        + " rounds, min %.1f max %.1f; thread CPU/wall %.2f); BLAS %s, kernels %s%n",
                dtype, init, activation, std, depth, batch, width, median, 1000.0 / median, rounds, sorted[0],
                sorted[rounds - 1], cpuMedian, blas, Kernels.route());
        if (json != null) {
            Files.writeString(json, String.format(Locale.ROOT,
                    "{\"dtype\": \"%s\", \"available\": true, \"init\": \"%s\", \"std\": %s, \"activation\": \"%s\","
                            + " \"depth\": %d, \"width\": %d, \"batch\": %d, \"rounds\": %d, \"points\": %d,"
                            + " \"points_per_s\": %.4f, \"points_per_s_rounds\": %s, \"cpu_wall\": %.4f,"
                            + " \"blas\": \"%s\", \"kernel_route\": \"%s\", \"checksum\": %s}%n",
                    dtype, init, std, activation, depth, width, batch, rounds, totalPoints, median,
                    Arrays.toString(rates), cpuMedian, blas, Kernels.route(), Double.isFinite(sink) ? sink : 0),
                    StandardCharsets.UTF_8);
        }
    }

    private static ChainParams withSeed(ChainParams p, long seed) {
        return p.withSeed(seed);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
