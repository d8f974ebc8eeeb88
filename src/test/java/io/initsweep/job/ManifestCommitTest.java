package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.ParquetRows;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit by the manifest (what object stores get), on the local file system with
 * {@code initsweep.output.commit=manifest}, in-process: the rows of a sweep committed by rename; a
 * stopped sweep with a killed wave's files beside the done waves' is resumed and those files are
 * deleted; after an overwrite only the new sweep's files are left; a listed file that is missing is
 * damage. (Against an S3 server, with a driver killed at each step:
 * {@code S3IT}.)
 */
class ManifestCommitTest {
    static SparkSession spark;
    static Configuration conf;
    static SweepSpec spec;
    @TempDir
    static Path dir;
    static WavesTest.Tables renamed;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2]");
        conf = spark.sparkContext().hadoopConfiguration();
        spec = SpecParser.parse(WavesTest.SPEC.getBytes(StandardCharsets.UTF_8), "waves");
        Path out = dir.resolve("renamed");
        SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), false, 0));
        renamed = WavesTest.Tables.read(out.toString(), spark);
        conf.set(OutputDir.COMMIT_PROPERTY, "manifest");
    }

    @AfterAll
    static void stop() {
        conf.unset(OutputDir.COMMIT_PROPERTY);
        spark.stop();
    }

    private static SweepJob.Options options(Path out, boolean overwrite, boolean resume, long waveSize, int maxWaves) {
        return new SweepJob.Options(out.toString(), overwrite, 0, null, resume, waveSize, maxWaves);
    }

    /** The data files of {@code table} present under {@code out}, relative to the table's directory. */
    private static Set<String> present(Path out, String table) throws Exception {
        Set<String> names = new TreeSet<>();
        Path t = out.resolve(table);
        for (var p : ParquetRows.listData(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(t.toUri()))) {
            names.add(t.relativize(Path.of(p.toUri())).toString());
        }
        return names;
    }

    private static Set<String> listed(Path out, String table) throws Exception {
        JsonNode m = new ObjectMapper().readTree(Files.readString(out.resolve(Views.MANIFEST)));
        Set<String> names = new TreeSet<>();
        m.path(Views.FILES).path(table).forEach(f -> names.add(f.asText()));
        return names;
    }

    @Test
    void aSweepCommittedByItsManifestHasTheRowsOfOneCommittedByRename() throws Exception {
        Path out = dir.resolve("manifest");
        assertThat(OutputDir.of(out.toString(), conf).protocol()).isEqualTo(OutputDir.Commit.MANIFEST);
        SweepJob.Result r = SweepJob.run(spark, spec, options(out, false, false, 8, 0));
        assertThat(r.waves().total()).isGreaterThan(1);
        Views.verify(conf, out.toString());
        assertThat(WavesTest.Tables.read(out.toString(), spark)).isEqualTo(renamed);
        for (String table : java.util.List.of(Views.LAYERS, Views.RUNS)) {
            assertThat(present(out, table)).as(table).isEqualTo(listed(out, table)).isNotEmpty();
        }
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".manifest."));
        }
    }

    @Test
    void aKilledWavesFilesAreDeletedByTheResume() throws Exception {
        Path out = dir.resolve("stopped");
        SweepJob.Result first = SweepJob.run(spark, spec, options(out, false, false, 8, 2));
        assertThat(first.waves().outcome()).isEqualTo(SweepJob.Outcome.STOPPED);
        // files in place, no manifest yet: no reader takes it for a sweep
        assertThat(present(out, Views.LAYERS)).isNotEmpty();
        assertThatThrownBy(() -> Views.verify(conf, out.toString())).isInstanceOf(Views.DamagedOutputException.class)
                .hasMessageContaining("manifest.json is missing");
        // what a driver killed mid-wave leaves: the wave begun, a data file that no done wave lists
        Path inProgress = dir.resolve(".stopped.inprogress");
        Files.createDirectories(inProgress.resolve("waves/00002"));
        String some = present(out, Views.RUNS).iterator().next();
        Path stray = out.resolve(Views.RUNS).resolve(some).resolveSibling("part-killed-wave.parquet");
        Files.copy(out.resolve(Views.RUNS).resolve(some), stray);

        SweepJob.Result resumed = SweepJob.run(spark, spec, options(out, false, true, 8, 0));
        assertThat(resumed.waves().outcome()).isEqualTo(SweepJob.Outcome.COMPLETE);
        assertThat(resumed.waves().doneBefore()).isEqualTo(2);
        assertThat(resumed.waves().discarded()).isEqualTo(1);
        assertThat(stray).doesNotExist();
        assertThat(WavesTest.Tables.read(out.toString(), spark)).isEqualTo(renamed);
        assertThat(present(out, Views.RUNS)).isEqualTo(listed(out, Views.RUNS));
        assertThat(inProgress).doesNotExist();
    }

    @Test
    void anOverwriteLeavesOnlyTheNewSweepsFiles() throws Exception {
        Path out = dir.resolve("overwritten");
        SweepSpec old = SpecParser.parse(WavesTest.SPEC.replace("seed: 5", "seed: 6").getBytes(StandardCharsets.UTF_8), "old");
        SweepJob.run(spark, old, options(out, false, false, 0, 0));
        Set<String> oldFiles = present(out, Views.LAYERS);
        assertThatThrownBy(() -> SweepJob.run(spark, spec, options(out, false, false, 0, 0)))
                .isInstanceOf(OutputDir.OutputExistsException.class).hasMessageContaining("already holds results");

        SweepJob.run(spark, spec, options(out, true, false, 8, 0));
        assertThat(WavesTest.Tables.read(out.toString(), spark)).isEqualTo(renamed);
        assertThat(present(out, Views.LAYERS)).isEqualTo(listed(out, Views.LAYERS)).doesNotContainAnyElementsOf(oldFiles);
    }

    @Test
    void aListedFileThatIsMissingIsDamage() throws Exception {
        Path out = dir.resolve("damaged");
        SweepJob.run(spark, spec, options(out, false, false, 0, 0));
        String gone = listed(out, Views.LAYERS).iterator().next();
        Files.delete(out.resolve(Views.LAYERS).resolve(gone));
        assertThatThrownBy(() -> Views.verify(conf, out.toString())).isInstanceOf(Views.DamagedOutputException.class)
                .hasMessageContaining(gone.substring(gone.lastIndexOf('/') + 1)).hasMessageContaining("lists is missing");
    }
}
