package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.tables.Views;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose output's file system fills up: a tmpfs of its own, mounted by the test (root only;
 * skipped, saying why, where it cannot mount), holding a finished sweep that the run is told to
 * overwrite. The run fails with one line naming the directory and the cause, the old sweep is
 * untouched, and once the file system has room a {@code --resume} finishes the sweep with the rows
 * of a run that never ran out of space.
 */
class DiskFullTest {
    static final String SPEC = """
            name: %s
            seed: 9
            network: { width: 24, batch: 40 }
            grid: { init: [xavier_normal, kaiming_normal, xavier_uniform, kaiming_uniform], activation: [tanh, relu, sigmoid],
                    depth: [10, 20], seed: [0, 1, 2] }
            """;

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path mount;

    @BeforeAll
    static void mountATmpfs() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small tmpfs needs root; this test runs as " + System.getProperty("user.name"));
        mount = Files.createDirectories(dir.resolve("small-disk"));
        String why = mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
        Assumptions.assumeTrue(why == null, "cannot mount a tmpfs here: " + why);
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        if (mount != null) {
            mount("-l", mount.toString());
        }
    }

    /** Runs mount (or umount with "-l"); null when it succeeded, else what it said. */
    static String mount(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(args[0].equals("-l") ? "umount" : "mount"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "mount did not return in 60 s";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + said;
    }

    static long used(Path p) throws Exception {
        var store = Files.getFileStore(p);
        return store.getTotalSpace() - store.getUsableSpace();
    }

    @Test
    void aFullDiskFailsInOneLineKeepsTheOldResultsAndResumesWhenThereIsRoom() throws Exception {
        Path spec = Files.writeString(dir.resolve("full.yaml"), String.format(SPEC, "full"));
        Path wholeOut = dir.resolve("whole");
        Cli.Outcome w = Cli.run("run", spec.toString(), "--out", wholeOut.toString(), "--quiet");
        assertThat(w.code()).as(w.err()).isZero();
        WavesTest.Tables whole = WavesTest.Tables.read(wholeOut.toString(), spark);
        long sweepBytes = Files.walk(wholeOut).filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();

        // the old results, then a disk with room for a fifth of a new sweep besides them
        Path out = mount.resolve("out");
        Path oldSpec = Files.writeString(dir.resolve("old.yaml"), String.format(SPEC, "old").replace("depth: [10, 20]",
                "depth: [2]"));
        assertThat(Cli.run("run", oldSpec.toString(), "--out", out.toString(), "--quiet").code()).isZero();
        WavesTest.Tables old = WavesTest.Tables.read(out.toString(), spark);
        long limit = (used(mount) + sweepBytes / 5) / 4096 * 4096 + 4096;
        assertThat(mount("-o", "remount,size=" + limit, mount.toString())).isNull();

        Cli.Outcome full = Cli.run("run", spec.toString(), "--out", out.toString(), "--overwrite", "--quiet");
        assertThat(full.code()).as(full.err()).isEqualTo(1);
        List<String> lines = full.err().strip().lines().filter(l -> l.startsWith("initsweep:") || l.startsWith("\tat ")).toList();
        assertThat(lines).as(full.err()).hasSize(1);
        assertThat(lines.get(0)).contains(out.toString()).contains("no space left on device")
                .contains("untouched").contains("--resume");
        Views.verify(new Configuration(), out.toString());
        assertThat(WavesTest.Tables.read(out.toString(), spark)).as("the old sweep, untouched").isEqualTo(old);

        assertThat(mount("-o", "remount,size=16m", mount.toString())).isNull();
        Cli.Outcome resumed = Cli.run("run", spec.toString(), "--out", out.toString(), "--overwrite", "--resume", "--quiet");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Views.verify(new Configuration(), out.toString());
        WavesTest.Tables resumedRows = WavesTest.Tables.read(out.toString(), spark);
        assertThat(resumedRows).as(() -> resumedRows.difference(whole)).isEqualTo(whole);
        try (var s = Files.list(mount)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }
}
