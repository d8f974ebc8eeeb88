package io.initsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.job.Planner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives {@code bin/initsweep run} starts its JVM with
 * ({@code jobs/submit/conf/jit-directives.json}): HotSpot accepts the file, Spark's methods are
 * kept from the optimizing compiler (C2) and end compiled by C1, and initsweep's own methods still
 * reach C2. Checked in a fresh JVM from what {@code -XX:+PrintCompilation} reports; the JVM runs
 * with {@code -Xbatch} so that a compilation the loop triggers is done before the loop goes on.
 */
class JitDirectivesTest {
    static final Path DIRECTIVES = Path.of("jobs", "submit", "conf", "jit-directives.json");

    /** A hot loop through one Spark method and one initsweep method. */
    public static final class HotLoop {
        public static void main(String[] args) {
            long s = 0;
            for (int i = 0; i < 400_000; i++) {
                s += org.apache.spark.util.Utils.bytesToString(i).length();
                s += Planner.defaultPartitions(i, 1 + (i & 7));
            }
            System.out.println("sum " + s);
        }
    }

    @Test
    void sparkStopsAtC1AndTheKernelReachesC2() throws Exception {
        assertThat(DIRECTIVES).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("jit-directives", ".log");
        Process p = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions", "-XX:+DisplayVMOutputToStderr",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath(), "-XX:+PrintCompilation",
                // compile in the foreground: otherwise, on a loaded machine, the loop can end
                // while the C2 compilation it asked for still waits in the queue
                "-Xbatch",
                "-cp", System.getProperty("java.class.path"), HotLoop.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(io.initsweep.TimeLimits.waitFor(p, 200)).as("the probe JVM finished").isTrue();
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(String.join("\n", lines.subList(0, Math.min(20, lines.size())))).isZero();
            assertThat(lines).contains("1 compiler directives added");
            assertThat(lines).anyMatch(l -> l.startsWith("sum "));
            // Spark: C2 refused, then a tier-1 (C1) compilation of the same method
            assertThat(lines).anyMatch(l -> l.contains("made not compilable on level 4")
                    && l.contains("org.apache.spark.util.Utils$::bytesToString") && l.contains("excluded"));
            assertThat(lines).anyMatch(l -> tier(l) == 1 && l.contains("org.apache.spark.util.Utils$::bytesToString"));
            assertThat(lines).noneMatch(l -> tier(l) == 4 && l.contains("org.apache.spark."));
            // initsweep: compiled by C2
            assertThat(lines).anyMatch(l -> tier(l) == 4 && l.contains("io.initsweep.job.Planner::defaultPartitions"));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /**
     * The tier of a PrintCompilation line ("time id [flags] tier method (size)"), or -1: the
     * first column after the id that is a lone digit.
     */
    static int tier(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].matches("\\d+") || !f[1].matches("\\d+")) {
            return -1;
        }
        for (int i = 2; i < f.length - 1; i++) {
            if (f[i].matches("[0-4]")) {
                return Integer.parseInt(f[i]);
            }
        }
        return -1;
    }
}
