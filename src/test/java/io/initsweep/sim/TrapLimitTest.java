package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.TimeLimits;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Why every JVM of the project runs with {@code -XX:PerMethodTrapLimit=100000} (in the pom's
 * {@code spark.jvm.opens}). The Vector API's calls are inlined late by C2, where a vector's exact
 * class is not yet known; C2 then guards the call with the class its profile saw and deoptimizes on
 * a miss, unless it judges the method to have trapped too often: the class-check traps of every
 * method it inlines, summed once per inlined copy, against {@code PerMethodTrapLimit} (100). The
 * Vector API's small shared methods are inlined dozens of times into one statistics or activation
 * kernel, so a few traps in them, taken anywhere in the JVM and at times that vary from run to run,
 * pass 100; the call then stays virtual, the vector's species is no longer a constant, the store
 * intrinsic fails ("missing constant") and every tile boxes its vectors for the life of the JVM.
 * That was the slow compile of the statistics kernel and the training step that once allocated.
 * Here it is made to happen on demand: under a limit of 0 the joint-slot kernel allocates on every
 * call once C2 has compiled it; under the project's options it allocates nothing.
 */
class TrapLimitTest {

    /** Runs the statistics kernel on the whole tiles of a row of 100 until C2 has compiled it, then prints the median bytes of five windows. */
    public static final class Probe {
        public static void main(String[] args) {
            StatsConfig config = new StatsConfig(new HistogramSpec(-1.0, 1.0, 30), StatsConfig.DEFAULT_LOG_HISTOGRAM, 0.1);
            LayerStatistics stats = new LayerStatistics(config, Activation.TANH, Double.NaN, 100);
            double[] z = new double[100];
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < z.length; i++) {
                z[i] = Math.tanh(r.nextGaussian());
            }
            int len = z.length - z.length % VectorStatistics.vectorLength(); // whole tiles: the caller's share
            long[] out = new long[z.length + VectorStatistics.vectorLength()];
            long sink = 0;
            for (int i = 0; i < 100_000; i++) { // -Xbatch: C2 has compiled the kernel well before this ends
                sink += stats.jointSlotsDecide(z, 0, len, out) ? 1 : 0;
            }
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long[] windows = new long[5];
            for (int w = 0; w < windows.length; w++) {
                long before = mx.getThreadAllocatedBytes(id);
                for (int i = 0; i < 10_000; i++) {
                    sink += stats.jointSlotsDecide(z, 0, len, out) ? 1 : 0;
                }
                windows[w] = mx.getThreadAllocatedBytes(id) - before;
            }
            Arrays.sort(windows);
            System.out.println("bytes per 10000 calls " + windows[2] + " (" + sink + ")");
        }
    }

    /** The median bytes the kernel allocated per 10,000 calls in a fresh JVM with these options. */
    static long probe(String... options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xbatch"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Path log = Files.createTempFile("trap-limit", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(TimeLimits.waitFor(p, 120)).as("the probe JVM finished").isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            Matcher m = Pattern.compile("bytes per 10000 calls (\\d+)").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return Long.parseLong(m.group(1));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void underTheDefaultFailureModeTheKernelBoxesAndUnderTheProjectsLimitItDoesNot() throws Exception {
        // 12 tiles of 8 lanes per call at AVX-512 (24 of 4 at AVX2), each boxing at least one vector: megabytes
        long failing = probe("-XX:PerMethodTrapLimit=0");
        assertThat(failing).as("bytes per 10,000 calls with every compile over its trap limit").isGreaterThan(1_000_000);
        long project = probe("-XX:PerMethodTrapLimit=100000");
        assertThat(project).as("bytes per 10,000 calls under the project's limit").isLessThan(1024);
    }

    /** The test JVM itself (surefire's argLine from spark.jvm.opens) runs under the project's limit. */
    @Test
    void theTestJvmRunsUnderTheProjectsLimit() {
        com.sun.management.HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        assertThat(hs.getVMOption("PerMethodTrapLimit").getValue()).isEqualTo("100000");
    }
}
