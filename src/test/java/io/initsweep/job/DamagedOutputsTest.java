package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged outputs: a truncated or non-Parquet data file, a missing or invalid {@code manifest.json},
 * a deleted partition directory — in a finished sweep, and the like in an interrupted one. {@code
 * sql}, {@code report} and {@code run --resume} each refuse with one line that names the file and
 * what is wrong, exit 2, and write nothing; never a stack trace, never an answer from part of the
 * rows (the rows are counted against the manifest).
 */
class DamagedOutputsTest {
    static final String SPEC = """
            name: damaged
            network: { width: 8, batch: 16 }
            grid: { init: [xavier_normal, kaiming_normal], activation: [tanh, relu], depth: [2, 3], seed: [0, 1] }
            stats: { bins: 5 }
            """;

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path spec;
    static Path finished;
    static Path interrupted;

    @BeforeAll
    static void write() throws Exception {
        spark = LocalSpark.start("local[2]");
        spec = Files.writeString(dir.resolve("damaged.yaml"), SPEC);
        finished = dir.resolve("finished");
        assertThat(Cli.run("run", spec.toString(), "--out", finished.toString(), "--quiet").code()).isZero();
        interrupted = dir.resolve("interrupted");
        // two waves of four done, two to go
        assertThat(Cli.run("run", spec.toString(), "--out", interrupted.toString(), "--quiet", "--wave-size", "4", "--waves",
                "2").code()).isZero();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A way to damage a sweep: what it does, and the words the refusal must hold besides the file's name. */
    interface Damage {
        /** Damages the sweep at {@code out}; returns the file or directory the refusal must name. */
        Path apply(Path out) throws Exception;
    }

    static Path firstData(Path table) throws Exception {
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted(Comparator.naturalOrder()).findFirst()
                    .orElseThrow();
        }
    }

    static Path truncate(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length / 2));
        return file;
    }

    static Stream<Arguments> finishedDamage() {
        return Stream.of(
                Arguments.of("a truncated layers file", (Damage) out -> truncate(firstData(out.resolve("layers"))),
                        "not a readable Parquet file"),
                Arguments.of("a runs file that is not Parquet", (Damage) out -> Files.writeString(firstData(out.resolve("runs")),
                        "init,activation\nxavier_normal,tanh\n"), "not a readable Parquet file"),
                Arguments.of("a missing manifest", (Damage) out -> {
                    Files.delete(out.resolve("manifest.json"));
                    return out.resolve("manifest.json");
                }, "manifest.json"),
                Arguments.of("a manifest that is not JSON", (Damage) out -> Files.writeString(out.resolve("manifest.json"),
                        "{\"sweep\": \"damaged\", \"counts\": {"), "not valid JSON"),
                Arguments.of("a manifest without row counts", (Damage) out -> Files.writeString(out.resolve("manifest.json"),
                        "{\"sweep\": \"damaged\"}"), "no valid counts.runs_rows"),
                Arguments.of("a deleted partition directory", (Damage) out -> {
                    Path part = out.resolve("layers").resolve("activation=relu");
                    FileUtils.deleteDirectory(part.toFile());
                    return out.resolve("layers");
                }, "manifest.json says"));
    }

    static Stream<Arguments> interruptedDamage() {
        return Stream.of(
                Arguments.of("a truncated file of a done wave", (Damage) out -> truncate(firstData(
                        out.resolve("waves").resolve("00000").resolve("layers"))), "not a readable Parquet file"),
                Arguments.of("a deleted partition directory of a done wave", (Damage) out -> {
                    Path wave = out.resolve("waves").resolve("00001").resolve("runs");
                    try (Stream<Path> s = Files.list(wave)) {
                        FileUtils.deleteDirectory(s.filter(Files::isDirectory).findFirst().orElseThrow().toFile());
                    }
                    return out.resolve("waves");
                }, "files are missing"),
                Arguments.of("a done record that is not JSON", (Damage) out -> Files.writeString(
                        out.resolve("waves").resolve("00001.done"), "{\"wave\": 1, "), "not valid JSON"),
                Arguments.of("a state file that is not JSON", (Damage) out -> Files.writeString(out.resolve("sweep.json"),
                        "spec_sha256: x"), "not valid JSON"),
                Arguments.of("a missing state file", (Damage) out -> {
                    Files.delete(out.resolve("sweep.json"));
                    return out.resolve("sweep.json");
                }, "is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finishedDamage")
    void sqlReportAndResumeRefuseADamagedSweepInOneLine(String what, Damage damage, String says) throws Exception {
        Path out = dir.resolve("f-" + what.replace(' ', '-'));
        FileUtils.copyDirectory(finished.toFile(), out.toFile());
        String named = damage.apply(out).toString();
        List<String> before = listing(out);

        refusedInOneLine(Cli.run("sql", "--out", out.toString(), "SELECT count(*) FROM layers"), named, says);
        Path html = dir.resolve(out.getFileName() + ".html");
        refusedInOneLine(Cli.run("report", out.toString(), "--to", html.toString()), named, says);
        assertThat(html).doesNotExist();
        refusedInOneLine(Cli.run("run", spec.toString(), "--out", out.toString(), "--resume", "--quiet"), named, says);
        assertThat(listing(out)).as("nothing written").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interruptedDamage")
    void resumeRefusesADamagedInterruptedSweepInOneLine(String what, Damage damage, String says) throws Exception {
        Path parent = Files.createDirectories(dir.resolve("i-" + what.replace(' ', '-')));
        Path out = parent.resolve("out");
        Path progress = parent.resolve(".out.inprogress");
        FileUtils.copyDirectory(dir.resolve(".interrupted.inprogress").toFile(), progress.toFile());
        String named = damage.apply(progress).toString();
        List<String> before = listing(parent);
        refusedInOneLine(Cli.run("run", spec.toString(), "--out", out.toString(), "--resume", "--quiet"), named, says);
        assertThat(listing(parent)).as("nothing written").isEqualTo(before);
    }

    static void refusedInOneLine(Cli.Outcome o, String named, String says) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        List<String> lines = o.err().strip().lines().toList();
        assertThat(lines).as(o.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("initsweep: ").contains(named).contains(says).doesNotContain("Exception");
    }

    static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + " " + p.toFile().length()).sorted().toList();
        }
    }
}
