package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.RowText;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps written in waves: any wave size gives the rows of a one-wave run; a sweep stopped after
 * some waves, or left with a half-written wave as a killed driver leaves it, is finished by a
 * resume that computes only what is missing; and the ways a resume is refused. (A real driver
 * killed with SIGKILL mid-sweep on a standalone cluster: {@code DriverLossIT}.)
 */
class WavesTest {
    static final String SPEC = """
            name: waves
            seed: 5
            network: { width: 10, batch: 30 }
            grid:
              init: [xavier_normal, kaiming_normal, normal]
              activation: [tanh, relu]
              std: [1.0]
              depth: [2, 5]
              seed: [0, 1, 2]
            stats: { bins: 8 }
            """;
    /** 3 inits × 2 activations × 3 seeds = 18 chains of 2 grid points each. */
    static final int POINTS = 36;

    static SparkSession spark;
    static SweepSpec spec;
    @TempDir
    static Path dir;
    static Tables oneWave;

    @BeforeAll
    static void reference() {
        spark = LocalSpark.start("local[2]");
        spec = parse(SPEC);
        Path out = dir.resolve("one-wave");
        SweepJob.Result r = SweepJob.run(spark, spec, options(out, false, 0, 0));
        assertThat(r.waves().total()).isEqualTo(1);
        oneWave = Tables.read(out);
        assertThat(oneWave.runs()).hasSize(POINTS);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void smallWavesWriteTheRowsOfOneWave() throws IOException {
        Path out = dir.resolve("small-waves");
        SweepJob.Result r = SweepJob.run(spark, spec, options(out, false, 5, 0));
        // chains of 2 points, at most 5 points a wave: 2 chains a wave, 9 waves
        assertThat(r.waves().total()).isEqualTo(9);
        assertThat(r.waves().computed()).isEqualTo(9);
        assertThat(r.waves().outcome()).isEqualTo(SweepJob.Outcome.COMPLETE);
        assertThat(Tables.read(out)).isEqualTo(oneWave);
        JsonNode m = manifest(out);
        assertThat(m.at("/waves/count").asInt()).isEqualTo(9);
        assertThat(m.at("/waves/size").asLong()).isEqualTo(5);
        assertThat(m.at("/waves/attempts")).hasSize(1);
        assertThat(m.at("/counts/grid_points").asLong()).isEqualTo(POINTS);
        // the output holds the tables and the manifest only: no waves, state or temporaries left
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(p -> out.relativize(p).toString()))
                    .allMatch(n -> n.isEmpty() || n.startsWith("layers") || n.startsWith("runs") || n.endsWith("manifest.json")
                            || n.equals(".manifest.json.crc"))
                    .noneMatch(n -> n.contains("_temporary") || n.contains("waves") || n.contains("sweep.json"));
        }
        assertThat(Files.exists(dir.resolve(".small-waves.inprogress"))).isFalse();
    }

    @Test
    void aStoppedSweepResumesWithOnlyWhatIsMissing() {
        Path out = dir.resolve("stopped");
        SweepJob.Result first = SweepJob.run(spark, spec, options(out, false, 8, 2));
        assertThat(first.waves().outcome()).isEqualTo(SweepJob.Outcome.STOPPED);
        assertThat(first.waves().computed()).isEqualTo(2);
        assertThat(first.waves().pointsComputed()).isEqualTo(16);
        assertThat(out).doesNotExist(); // readers see nothing until the sweep is complete

        // without --resume: refused, nothing touched
        assertThatThrownBy(() -> SweepJob.run(spark, spec, options(out, false, 8, 0)))
                .isInstanceOf(OutputDir.OutputExistsException.class)
                .hasMessageContaining("interrupted sweep (16 grid points done, in 2 waves)")
                .hasMessageContaining("--resume").hasMessageContaining("--overwrite");

        SweepJob.Result second = SweepJob.run(spark, spec, resume(out, 8));
        assertThat(second.waves().outcome()).isEqualTo(SweepJob.Outcome.COMPLETE);
        assertThat(second.waves().doneBefore()).isEqualTo(2);
        assertThat(second.waves().pointsBefore()).isEqualTo(16);
        assertThat(second.waves().pointsComputed()).isEqualTo(POINTS - 16);
        assertThat(second.waves().discarded()).isZero();
        assertThat(Tables.read(out)).isEqualTo(oneWave);
        JsonNode m = manifest(out);
        assertThat(m.at("/waves/count").asInt()).isEqualTo(5);
        // both runs used this JVM's one Spark application: one attempt holding all 36 points
        assertThat(m.at("/waves/attempts/0/grid_points").asLong()).isEqualTo(POINTS);

        // resuming a complete sweep computes nothing and leaves it as it is
        SweepJob.Result third = SweepJob.run(spark, spec, resume(out, 8));
        assertThat(third.waves().outcome()).isEqualTo(SweepJob.Outcome.ALREADY_COMPLETE);
        assertThat(Tables.read(out)).isEqualTo(oneWave);
    }

    @Test
    void aHalfWrittenWaveIsDiscardedAndComputedAgain() throws IOException {
        Path out = dir.resolve("half-written");
        SweepJob.run(spark, spec, options(out, false, 4, 3));
        Path waves = dir.resolve(".half-written.inprogress/waves");
        assertThat(doneRecords(waves)).containsExactly("00000.done", "00001.done", "00002.done");
        // what a driver killed while wave 3 was being written leaves: part of its files (here a
        // copy of wave 2's, which would duplicate rows if kept), Spark's _temporary, no done record
        copyTree(waves.resolve("00002"), waves.resolve("00003"));
        Files.createDirectories(waves.resolve("00003/layers/_temporary/0"));
        Files.writeString(waves.resolve(".00003.done.tmp"), "{\"wave\": 3,");

        SweepJob.Result r = SweepJob.run(spark, spec, resume(out, 4));
        assertThat(r.waves().discarded()).isEqualTo(1);
        assertThat(r.waves().pointsBefore()).isEqualTo(12);
        assertThat(r.waves().pointsComputed()).isEqualTo(POINTS - 12);
        Tables resumed = Tables.read(out);
        assertThat(resumed).isEqualTo(oneWave);
        assertThat(Set.copyOf(resumed.runIds())).hasSize(POINTS);
    }

    @Test
    void aResumeOfAnotherSpecIsRefusedAndOverwriteStartsOver() {
        Path out = dir.resolve("other-spec");
        SweepJob.run(spark, spec, options(out, false, 6, 1));
        SweepSpec other = parse(SPEC.replace("seed: 5", "seed: 6"));
        assertThatThrownBy(() -> SweepJob.run(spark, other, resume(out, 6)))
                .isInstanceOf(OutputDir.OutputExistsException.class)
                .hasMessageContaining("a different spec").hasMessageContaining("--overwrite");
        assertThat(doneRecords(dir.resolve(".other-spec.inprogress/waves"))).containsExactly("00000.done");

        SweepJob.Result fresh = SweepJob.run(spark, spec, options(out, true, 6, 0));
        assertThat(fresh.waves().doneBefore()).isZero();
        assertThat(fresh.waves().pointsComputed()).isEqualTo(POINTS);
        assertThat(Tables.read(out)).isEqualTo(oneWave);
    }

    @Test
    void aKillAfterTheManifestLeavesOnlyTheRenameForTheResume() throws IOException {
        // the state right after cleanUp: tables and manifest complete in the hidden directory
        Path done = dir.resolve("renamed-later");
        SweepJob.run(spark, spec, options(done, false, 0, 0));
        Path hidden = dir.resolve(".renamed-later.inprogress");
        Files.move(done, hidden);
        SweepJob.Result r = SweepJob.run(spark, spec, resume(done, 0));
        assertThat(r.waves().outcome()).isEqualTo(SweepJob.Outcome.COMPLETE);
        assertThat(r.waves().pointsComputed()).isZero();
        assertThat(hidden).doesNotExist();
        assertThat(Tables.read(done)).isEqualTo(oneWave);
    }

    @Test
    void wavesHoldWholeChainsInOutputOrderAndAtMostTheWaveSize() {
        List<Chain> chains = Grid.chains(spec);
        for (long size : new long[] {1, 2, 3, 7, 36, 1000}) {
            List<List<Chain>> waves = Planner.waves(chains, size);
            List<String> seen = new ArrayList<>();
            for (List<Chain> w : waves) {
                long points = w.stream().mapToLong(c -> c.points().size()).sum();
                // a chain has 2 points: a wave of size 1 still takes one whole chain
                assertThat(points).isLessThanOrEqualTo(Math.max(size, 2));
                w.forEach(c -> seen.add(c.chainId()));
            }
            assertThat(seen).hasSize(chains.size()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(chains.stream().map(Chain::chainId).toList()));
            // as many waves as the greedy bound allows: full waves of floor(size/2) chains
            long perWave = Math.max(1, size / 2);
            assertThat(waves).hasSize((int) ((chains.size() + perWave - 1) / perWave));
            // output order: the activation never goes back once it moved on
            List<String> acts = waves.stream().flatMap(List::stream).map(c -> c.params().activation().id()).toList();
            assertThat(acts).isSorted();
        }
        assertThatThrownBy(() -> Planner.waves(chains, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SweepJob.Options options(Path out, boolean overwrite, long waveSize, int maxWaves) {
        return new SweepJob.Options(out.toString(), overwrite, 0, null, false, waveSize, maxWaves);
    }

    private static SweepJob.Options resume(Path out, long waveSize) {
        return new SweepJob.Options(out.toString(), false, 0, null, true, waveSize, 0);
    }

    private static SweepSpec parse(String text) {
        return SpecParser.parse(text.getBytes(StandardCharsets.UTF_8), "waves");
    }

    private static List<String> doneRecords(Path waves) {
        try (Stream<Path> s = Files.list(waves)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".done")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static JsonNode manifest(Path out) {
        try {
            return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Both tables as sorted text rows (doubles to the bit), without the output column. */
    record Tables(List<String> runs, List<String> layers, List<String> runIds) {
        static Tables read(Path output) {
            return read(output.toString(), spark);
        }

        static Tables read(String output, SparkSession spark) {
            List<String> outs = List.of(output);
            List<Row> runs = Views.table(spark, outs, Views.RUNS, Schema.RUNS).drop("output").collectAsList();
            List<Row> layers = Views.table(spark, outs, Views.LAYERS, Schema.LAYERS).drop("output").collectAsList();
            return new Tables(RowText.sorted(runs), RowText.sorted(layers), runs.stream().map(r -> r.<String>getAs("run_id")).toList());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tables t && runs.equals(t.runs) && layers.equals(t.layers);
        }

        /** A short account of how the rows differ: counts, and the first row of each side that the other lacks. */
        @Override
        public String toString() {
            return "Tables[" + runs.size() + " runs rows, " + layers.size() + " layers rows]";
        }

        /** What {@code other} has that this lacks and the reverse, a row of each at most, for a failure message. */
        String difference(Tables other) {
            StringBuilder b = new StringBuilder(this + " vs " + other);
            for (var pair : List.of(List.of(runs, other.runs), List.of(layers, other.layers))) {
                java.util.Set<String> a = new java.util.HashSet<>(pair.get(0));
                java.util.Set<String> c = new java.util.HashSet<>(pair.get(1));
                pair.get(0).stream().filter(r -> !c.contains(r)).findFirst().ifPresent(r -> b.append("\n  only here: ").append(r));
                pair.get(1).stream().filter(r -> !a.contains(r)).findFirst().ifPresent(r -> b.append("\n  only there: ").append(r));
            }
            return b.toString();
        }

        @Override
        public int hashCode() {
            return runs.hashCode() * 31 + layers.hashCode();
        }
    }
}
