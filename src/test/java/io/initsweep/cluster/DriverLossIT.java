package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Driver loss: {@code kill -9} of the driver (spark-submit, client mode, on a two-worker
 * standalone cluster) while a wave of the sweep is being computed. What the done waves wrote is
 * kept, the wave in flight is lost, and {@code run --resume} on the same output computes only
 * the missing waves; the finished tables equal an uninterrupted run to the bit.
 */
class DriverLossIT {
    private static final String SPEC = "src/test/resources/cluster/driver-loss.yaml";
    /** 32 chains of 2 grid points (depths 10 and 50): waves of 8 points are 4 chains, 8 waves. */
    private static final int WAVE_SIZE = 8;
    private static final int POINTS = 64;
    private static final int WAVES = 8;
    @org.junit.jupiter.api.extension.RegisterExtension
    static final LoopbackCluster.PerClass CLUSTER = new LoopbackCluster.PerClass("driver-loss", 2);
    private static final Path WORK = CLUSTER.work();
    private static final Pattern RESUMED = Pattern.compile(
            "resumed: (\\d+) grid points were done in (\\d+) waves; (\\d+) unfinished wave\\(s\\) discarded;"
                    + " computed (\\d+) grid points in (\\d+) waves");


    @Test
    void killingTheDriverMidSweepLosesAtMostOneWaveAndResumeFinishesTheSweep() throws Exception {
        Path out = Files.createDirectories(WORK.resolve("out")).resolve("cluster");
        Path hidden = out.resolveSibling(".cluster.inprogress");
        Path waves = hidden.resolve("waves");
        Map<String, String> conf = SweepRows.clusterConf(Files.createDirectories(WORK.resolve("out/events")));
        conf.put("spark.ui.enabled", "false");

        Path log1 = WORK.resolve("out/submit.log");
        Process driver = CLUSTER.cluster().submit(SPEC, out, log1, conf, "--wave-size", Integer.toString(WAVE_SIZE));
        int doneBefore;
        try {
            // kill -9 once a wave is done and the next one is being written
            long deadline = System.nanoTime() + io.initsweep.TimeLimits.jvmStarts(300).toNanos();
            while (true) {
                assertThat(driver.isAlive()).as("the driver ended before the kill; log:%n%s", read(log1)).isTrue();
                assertThat(System.nanoTime()).as("no wave in flight within 180 s").isLessThan(deadline);
                List<String> done = done(waves);
                if (!done.isEmpty() && !unfinished(waves).isEmpty()) {
                    break;
                }
                Thread.sleep(50);
            }
            // the scripts exec'd into the driver JVM: this pid is the driver
            assertThat(driver.info().command().orElse("")).as("the submitted process is the driver JVM").endsWith("/java");
            driver.destroyForcibly(); // SIGKILL
            assertThat(io.initsweep.TimeLimits.waitFor(driver, 50)).isTrue();
        } finally {
            driver.destroyForcibly();
        }
        assertThat(driver.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        doneBefore = done(waves).size();
        List<String> inFlight = unfinished(waves);
        // killed mid-sweep: some waves done, not all; nothing visible at the output yet; the
        // dead driver's lock is still there
        assertThat(doneBefore).isBetween(1, WAVES - 1);
        assertThat(out).doesNotExist();
        assertThat(out.resolveSibling(".cluster.lock")).exists();
        System.out.printf("driver killed with %d of %d waves done and wave(s) %s in flight (%d grid points a wave)%n",
                doneBefore, WAVES, inFlight, WAVE_SIZE);

        Path log2 = WORK.resolve("out/resume.log");
        Process resume = CLUSTER.cluster().submit(SPEC, out, log2, conf, "--wave-size", Integer.toString(WAVE_SIZE), "--resume");
        try {
            assertThat(io.initsweep.TimeLimits.waitFor(resume, 400)).as("resume finished within 400 JVM starts").isTrue();
        } finally {
            resume.destroyForcibly();
        }
        String resumed = read(log2);
        assertThat(resume.exitValue()).as("resume exit code; log:%n%s", resumed).isZero();

        // the resume computed exactly what the done waves did not hold, and lost at most one wave
        Matcher m = RESUMED.matcher(resumed);
        assertThat(m.find()).as("resume summary line in:%n%s", resumed).isTrue();
        long pointsBefore = Long.parseLong(m.group(1));
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(doneBefore);
        assertThat(pointsBefore).isEqualTo((long) doneBefore * WAVE_SIZE);
        assertThat(Integer.parseInt(m.group(3))).isEqualTo(inFlight.size()).isLessThanOrEqualTo(1);
        assertThat(Long.parseLong(m.group(4))).isEqualTo(POINTS - pointsBefore);
        assertThat(Integer.parseInt(m.group(5))).isEqualTo(WAVES - doneBefore);
        System.out.printf("resume: %s; work lost to the kill: %d wave(s) × %d grid points%n", m.group(), inFlight.size(),
                WAVE_SIZE);

        // rows identical to an uninterrupted run, each run_id once, nothing half-written left
        Path local = WORK.resolve("out/local");
        SweepRows.runLocal(SPEC, local);
        SweepRows.Tables afterResume = SweepRows.read(out);
        SweepRows.Tables uninterrupted = SweepRows.read(local);
        assertThat(afterResume.runs()).hasSize(POINTS).isEqualTo(uninterrupted.runs());
        assertThat(afterResume.layers()).hasSize(16 * (10 + 50) * 2).isEqualTo(uninterrupted.layers());
        assertThat(Set.copyOf(afterResume.runIds())).hasSize(POINTS);
        assertThat(hidden).doesNotExist();
        assertThat(out.resolveSibling(".cluster.lock")).doesNotExist();
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("_temporary") || n.equals("waves") || n.equals("sweep.json"));
        }
    }

    /** The done records of the waves, e.g. 00000.done. */
    private static List<String> done(Path waves) throws IOException {
        return list(waves).stream().filter(n -> n.endsWith(".done")).sorted().toList();
    }

    /** Wave directories without a done record: being written, or left by a killed driver. */
    private static List<String> unfinished(Path waves) throws IOException {
        List<String> names = list(waves);
        return names.stream().filter(n -> n.matches("\\d{5}") && !names.contains(n + ".done")).sorted().toList();
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
