package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver that dies at each step of committing a sweep ({@link Faults}: the JVM halts there, as
 * under {@code kill -9}). The run overwrites an older sweep and has three waves, so it passes every
 * step. After each death a reader of the target finds the old sweep whole, the new one whole, or
 * (only between the two renames of the final move) nothing — never a partial sweep — and
 * {@code run --resume --overwrite} gives the rows of an uninterrupted run, leaving nothing behind.
 */
class FaultInjectionTest {
    static final String SPEC = """
            name: %s
            seed: %d
            network: { width: 8, batch: 16 }
            grid: { init: [xavier_normal, kaiming_normal, xavier_uniform], activation: [tanh, relu], depth: [2, 4], seed: [0] }
            stats: { bins: 5 }
            """;
    /** 3 inits × 2 activations = 6 chains of 2 grid points; waves of 4 points make 3 waves. */
    static final int WAVE_SIZE = 4;

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path specFile;
    static SweepSpec spec;
    static Path old;
    static WavesTest.Tables oldRows;
    static WavesTest.Tables whole;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start("local[2]");
        String text = String.format(SPEC, "faults", 3);
        specFile = Files.writeString(dir.resolve("faults.yaml"), text);
        spec = SpecParser.parse(text.getBytes(StandardCharsets.UTF_8), "faults");
        whole = WavesTest.Tables.read(SweepJob.run(spark, spec, new SweepJob.Options(dir.resolve("whole").toString(), false,
                0)).output().toString(), spark);
        old = dir.resolve("old");
        SweepSpec oldSpec = SpecParser.parse(String.format(SPEC, "old", 4).getBytes(StandardCharsets.UTF_8), "old");
        oldRows = WavesTest.Tables.read(SweepJob.run(spark, oldSpec, new SweepJob.Options(old.toString(), false, 0)).output()
                .toString(), spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Stream<String> steps() {
        return Faults.RENAME_STEPS.stream();
    }

    @ParameterizedTest
    @MethodSource("steps")
    void aDriverThatDiesAtThisStepIsResumedToTheRowsOfAWholeRun(String step) throws Exception {
        Path parent = Files.createDirectories(dir.resolve(step));
        Path out = parent.resolve("out");
        FileUtils.copyDirectory(old.toFile(), out.toFile());
        Path log = parent.resolve("driver.log");
        Process p = DriverProcess.start(log, List.of("-D" + Faults.PROPERTY + "=" + step), "run", specFile.toString(),
                "--out", out.toString(), "--overwrite", "--wave-size", "" + WAVE_SIZE);
        assertThat(io.initsweep.TimeLimits.waitFor(p, 1000)).isTrue();
        List<String> err = DriverProcess.stderr(log);
        assertThat(p.exitValue()).as("the driver died at %s: %s", step, err).isEqualTo(Faults.EXIT_CODE);
        assertThat(err).contains("initsweep: " + Faults.PROPERTY + ": the driver dies at " + step);

        // what a reader finds at the target now
        if (Files.exists(out)) {
            String manifest = Views.verify(new Configuration(), out.toString());
            WavesTest.Tables found = WavesTest.Tables.read(out.toString(), spark);
            if (manifest.contains("\"sweep\" : \"old\"")) {
                assertThat(found).as("after %s the target holds the old sweep, whole", step).isEqualTo(oldRows);
            } else {
                assertThat(found).as("after %s the target holds the new sweep, whole", step).isEqualTo(whole);
            }
        } else {
            assertThat(step).as("the target is absent only between the final move's two renames")
                    .isEqualTo(Faults.TARGET_MOVED_ASIDE);
        }

        SweepJob.Result r = SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), true, 0, null, true, WAVE_SIZE, 0));
        assertThat(r.waves().outcome()).isIn(SweepJob.Outcome.COMPLETE, SweepJob.Outcome.ALREADY_COMPLETE);
        Views.verify(new Configuration(), out.toString());
        assertThat(WavesTest.Tables.read(out.toString(), spark)).as("rows after dying at %s and resuming", step)
                .isEqualTo(whole);
        try (var s = Files.list(parent)) {
            assertThat(s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".out.")))
                    .as("lock, staging or moved-aside results left after resuming").isEmpty();
        }
    }
}
