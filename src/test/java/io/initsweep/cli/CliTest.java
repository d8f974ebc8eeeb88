package io.initsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.blas.Blas;
import io.initsweep.cli.Cli.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it: exit codes, what is printed, what is (not) written. */
class CliTest {
    private static final String SPEC = """
            name: cli
            seed: 3
            network: { width: 8, batch: 20 }
            grid:
              init: [normal, kaiming_normal]
              activation: [sigmoid, relu]
              std: [1.0, 0.01]
              depth: [2, 3]
              seed: [0, 1]
            stats: { bins: 5 }
            gradients: true
            training: { lr: 0.1, samples: 40, test_samples: 20, steps: 10, batch: 10, outputs: 2 }
            """;
    /** (2 stds of normal + he) × 2 activations × 2 depths × 2 seeds (one optimizer and lr). */
    private static final int POINTS = 3 * 2 * 2 * 2;

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path spec;
    static Path out;

    static Outcome cli(String... args) {
        return Cli.run(args);
    }

    @BeforeAll
    static void runOnce() throws IOException {
        spark = LocalSpark.start("local[2]");
        spec = Files.writeString(dir.resolve("cli.yaml"), SPEC);
        out = dir.resolve("out");
        Outcome r = cli("run", spec.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sweep cli: " + POINTS + " grid points");
        // the sweep line names the BLAS (without the library's path) and a kernel the environment forces
        Blas.Info blas = Blas.info();
        String line = r.out().lines().filter(l -> l.startsWith("sweep cli: ")).findFirst().orElseThrow();
        assertThat(line).endsWith("; BLAS " + blas.describe().replace("; " + blas.library(), "")).doesNotContain(blas.library());
        String forced = System.getenv("OPENBLAS_CORETYPE");
        if (forced != null && !forced.isBlank()) {
            assertThat(line).contains("kernel " + blas.kernel() + ", forced by OPENBLAS_CORETYPE");
        }
        // header, rule, one line per grid point
        List<String> table = r.out().lines().filter(l -> l.startsWith("normal ") || l.startsWith("kaiming_normal ")).toList();
        assertThat(table).hasSize(POINTS);
        assertThat(r.out()).contains("output: ").contains(out.toString());
        // progress goes to stderr, ending with every grid point done
        assertThat(r.err()).contains("progress: " + POINTS + "/" + POINTS + " grid points (100%)");
        assertThat(r.out()).doesNotContain("progress:");
    }

    @Test
    void aSecondRunIntoAnOutputBeingWrittenIsRefusedAndAStaleLockIsTakenOver() throws Exception {
        Path target = dir.resolve("locked");
        Path lock = dir.resolve(".locked.lock");
        // a live run holds the lock (here: this JVM; two processes race in OutputRacesTest)
        try (io.initsweep.job.OutputDir.Lock held = io.initsweep.job.OutputDir.of(target.toString(),
                new org.apache.hadoop.conf.Configuration()).lock()) {
            Outcome r = cli("run", spec.toString(), "--out", target.toString(), "--quiet");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).contains("being written by another run", "pid " + ProcessHandle.current().pid(),
                    java.net.InetAddress.getLocalHost().getHostName());
            assertThat(target).doesNotExist();
            assertThat(lock).exists();
        }
        assertThat(lock).doesNotExist();
        // a lock file left by a run that died (no process holds its lock): the run takes it, then releases it
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock, "host=elsewhere\npid=" + gone.pid() + "\nsince=2026-01-01T00:00:00Z\n");
        Outcome r = cli("run", spec.toString(), "--out", target.toString(), "--quiet", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(target.resolve("manifest.json")).exists();
        assertThat(lock).doesNotExist();
    }

    @Test
    void aSweepStoppedAfterSomeWavesIsFinishedByResumeOnly() throws IOException {
        Path target = dir.resolve("in-waves");
        // chains of 2 grid points (depths 2 and 3), at most 4 points a wave: 6 waves
        Outcome r = cli("run", spec.toString(), "--out", target.toString(), "--wave-size", "4", "--waves", "2", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("stopped after 2 of 6 waves as asked: 8 of " + POINTS + " grid points done")
                .contains("--out " + target + " --resume");
        assertThat(target).doesNotExist();

        r = cli("run", spec.toString(), "--out", target.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("holds an interrupted sweep (8 grid points done, in 2 waves)", "--resume", "--overwrite");

        r = cli("run", spec.toString(), "--out", target.toString(), "--resume", "--wave-size", "4", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("resumed: 8 grid points were done in 2 waves; 0 unfinished wave(s) discarded;"
                + " computed " + (POINTS - 8) + " grid points in 4 waves");
        assertThat(r.err()).contains("progress: " + POINTS + "/" + POINTS + " grid points (100%) (8 done before this run)");
        assertThat(target.resolve("manifest.json")).exists();
        JsonNode m = new ObjectMapper().readTree(target.resolve("manifest.json").toFile());
        assertThat(m.at("/waves/count").asInt()).isEqualTo(6);

        r = cli("run", spec.toString(), "--out", target.toString(), "--resume", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("already complete (" + POINTS + " grid points); nothing to resume");
    }

    @ParameterizedTest
    @CsvSource({"--wave-size, 0, --wave-size must be >= 1", "--waves, -1, --waves must be >= 1"})
    void badWaveOptionsAreOneLineUsageErrors(String option, String value, String message) {
        Path target = dir.resolve("bad-waves");
        Outcome r = cli("run", spec.toString(), "--out", target.toString(), option, value);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message + ", found " + value);
        assertThat(target).doesNotExist();
    }

    @Test
    void quietRunPrintsNoProgress() {
        Outcome r = cli("run", spec.toString(), "--out", dir.resolve("quiet").toString(), "--quiet", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("progress:");
        assertThat(r.out()).contains("sweep cli: " + POINTS + " grid points");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void runReusesTheCallersSessionAndLeavesItRunning() {
        assertThat(spark.sparkContext().isStopped()).isFalse();
        assertThat(SparkSession.getActiveSession().get()).isSameAs(spark);
    }

    @Test
    void runRefusesAnOutputThatHoldsResultsAndKeepsThem() throws IOException {
        byte[] manifest = Files.readAllBytes(out.resolve("manifest.json"));
        Outcome r = cli("run", spec.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("already holds results").contains("--overwrite");
        assertThat(Files.readAllBytes(out.resolve("manifest.json"))).isEqualTo(manifest);
    }

    @Test
    void overwriteReplacesResults() throws IOException {
        Path o2 = dir.resolve("overwrite");
        assertThat(cli("run", spec.toString(), "--out", o2.toString(), "--summary-rows", "3").code()).isZero();
        String first = Files.readString(o2.resolve("manifest.json"));
        Outcome r = cli("run", spec.toString(), "--out", o2.toString(), "--overwrite", "--summary-rows", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("... " + (POINTS - 3) + " more grid points");
        assertThat(Files.readString(o2.resolve("manifest.json"))).isNotEqualTo(first);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown init          | init: [glorot_magic]                 | grid.init[0] | kaiming_normal
            unknown activation    | activation: [swish9]                 | grid.activation[0] | leaky_relu
            negative std          | std: [-0.5]                          | grid.std[0] | -0.5
            zero depth            | depth: [0]                           | grid.depth[0] | 0
            empty axis            | seed: []                             | grid.seed | empty
            wrong type            | depth: [five]                        | grid.depth[0] | five
            unknown key           | colour: [red]                        | grid.colour | colour
            duplicate key         | depth: [2]\\n  depth: [3]            | depth | duplicate
            """)
    void badSpecsExitTwoWithOneLineAndWriteNothing(String what, String line, String field, String mention) throws IOException {
        String yaml = """
                name: bad
                grid:
                  init: [normal]
                  activation: [relu]
                  depth: [2]
                  LINE
                """.replace("LINE", line.replace("\\n", "\n"));
        // the bad line overrides an axis (or adds a key); drop the default it replaces
        String key = line.substring(0, line.indexOf(':'));
        if (!key.equals("colour") && !what.equals("duplicate key")) {
            yaml = yaml.replaceFirst("  " + key + ": \\[[a-z0-9_]+\\]\n", "");
        }
        Path bad = Files.writeString(dir.resolve(what.replace(' ', '_') + ".yaml"), yaml);
        Path target = dir.resolve("never-" + what.replace(' ', '_'));

        Outcome r = cli("run", bad.toString(), "--out", target.toString());

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(field).containsIgnoringCase(mention).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(target).doesNotExist();
        assertThat(cli("validate", bad.toString()).code()).isEqualTo(2);
    }

    @Test
    void dataFileThatDoesNotFitIsRefusedByValidatePlanAndRunWithNothingWritten() throws IOException {
        Path data = Files.writeString(dir.resolve("inputs.csv"), "a,b,c\n1,2,3\n4,5,6\n");
        Path bad = Files.writeString(dir.resolve("data-width.yaml"), """
                name: datawidth
                network: {width: 4, batch: 2, input: {data: %s}}
                grid: {init: [kaiming_normal], activation: [relu], depth: [2]}
                """.formatted(data));
        Path target = dir.resolve("never-data");
        for (String[] args : new String[][] {{"validate", bad.toString()}, {"plan", bad.toString(), "--no-calibrate"},
                {"run", bad.toString(), "--out", target.toString()}}) {
            Outcome r = cli(args);
            assertThat(r.code()).as(args[0] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).contains("network.input.data", "3 numeric columns", "input width is 4", "input_width: 3");
        }
        assertThat(target).doesNotExist();
        // fixed: the same file feeds a 3-wide input layer, next to float32 and a bias
        Path good = Files.writeString(dir.resolve("data-ok.yaml"), """
                name: dataok
                network: {width: 4, batch: 2, input: {data: %s}, input_width: 3, dtype: [float64, float32], bias_std: 0.1}
                grid: {init: [kaiming_normal], activation: [relu], depth: [2]}
                """.formatted(data));
        Outcome r = cli("run", good.toString(), "--out", dir.resolve("data-ok").toString());
        assertThat(r.code()).as(r.err()).isZero();
        // the summary shows the axes the spec varies (dtype) and not those it fixes (bias_std)
        String header = r.out().lines().filter(l -> l.startsWith("init ")).findFirst().orElseThrow();
        assertThat(header).contains("dtype").doesNotContain("bias_std");
        assertThat(r.out().lines().filter(l -> l.startsWith("kaiming_normal ")).toList()).hasSize(2);
    }

    @Test
    void missingSpecFileAndBadOptionsAreUsageErrors() {
        Path target = dir.resolve("never");
        Outcome missing = cli("run", dir.resolve("nope.yaml").toString(), "--out", target.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml").contains("does not exist");
        Outcome conf = cli("run", spec.toString(), "--out", target.toString(), "--conf", "spark.executor.memory");
        assertThat(conf.code()).isEqualTo(2);
        assertThat(conf.err()).contains("--conf 'spark.executor.memory' must be key=value");
        Outcome unknown = cli("run", spec.toString(), "--frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--frobnicate");
        assertThat(cli().code()).isEqualTo(2);
        assertThat(target).doesNotExist();
    }

    @Test
    void anUnknownBlasChoiceIsAUsageErrorWithNothingWritten() {
        Path target = dir.resolve("bad-blas");
        System.setProperty(Blas.PROPERTY, "mkl");
        try {
            Outcome r = cli("run", spec.toString(), "--out", target.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().lines().filter(l -> l.contains("'mkl'")).toList()).singleElement().asString()
                    .contains("initsweep.blas", "'mkl' is not a BLAS choice (allowed: bundled, system, java)");
        } finally {
            System.clearProperty(Blas.PROPERTY);
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void gridPointsTooLargeForATaskAreRefusedByPlanAndRun() throws IOException {
        Path big = Files.writeString(dir.resolve("big.yaml"), """
                network: {width: 4000, batch: 100000}
                grid: {init: [kaiming_normal], activation: [relu], depth: [2]}
                """);
        Path target = dir.resolve("never-big");
        Outcome plan = cli("plan", big.toString(), "--executor-memory", "8g", "--executor-cores", "2");
        assertThat(plan.code()).isEqualTo(2);
        assertThat(plan.err().lines()).hasSize(1);
        assertThat(plan.err()).contains("width 4000 × batch 100000").contains("executor heap 8192.0 MiB shared by 2 tasks");
        Outcome fits = cli("plan", big.toString(), "--executor-memory", "64g", "--executor-cores", "1", "--no-calibrate");
        assertThat(fits.code()).as(fits.err()).isZero();
        Outcome run = cli("run", big.toString(), "--out", target.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("local mode: driver heap");
        assertThat(target).doesNotExist();
    }

    @Test
    void validateAndPlanNeedNoSparkAndCountTheGrid() {
        Outcome v = cli("validate", spec.toString(), "../jobs/seeds.yaml".replace("..", System.getProperty("user.dir")));
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("sweep cli, " + POINTS + " grid points, " + POINTS / 2 + " chains")
                .contains("sweep seeds, 36 grid points, 36 chains");
        Outcome p = cli("plan", spec.toString(), "--cores", "2");
        assertThat(p.code()).as(p.err()).isZero();
        // cost = Σ over chains of max depth × batch × width², three times that with gradients, plus
        // the deepest point's training: steps × 3 × minibatch × (every weight, readout included)
        // and at each of the 11 recorded steps of 10 a forward pass over the 40 + 20 + 40
        // training, test and symmetry rows
        int records = io.initsweep.sim.Training.defaultRecord(10).length;
        long training = 10L * 3 * 10 * (8 * 8 + 2 * 8 * 8 + 8 * 2) + (long) records * 8 * (8 + 2 * 8) * (40 + 20 + 40);
        long cost = (POINTS / 2) * (3 * 3L * 20 * 8 * 8 + training);
        assertThat(p.out()).contains("grid points:      " + POINTS).contains("chains:           " + POINTS / 2)
                .contains(String.format("%.4g multiply-adds", (double) cost)).contains("kernel estimate:");
        // 12 chains of 3 layers: with gradients every chain runs alone, relu's share no unit network
        assertThat(p.out()).contains("products:         " + (POINTS / 2) * 3 + " matrix products");
        // the backward passes: 2·depth − 1 products for each point of depth 2 and 3
        assertThat(p.out()).contains("backward:         " + (POINTS / 2) * (3 + 5) + " matrix products");
        // the training runs: per point of depth L, 10 steps of 3L + 2 products and 3 evaluations of
        // L + 1 at each recorded step
        long trainingProducts = (POINTS / 2) * (10L * (3 * 2 + 2) + records * 3L * 3 + 10L * (3 * 3 + 2) + records * 3L * 4);
        assertThat(p.out()).contains("training:         " + trainingProducts + " matrix products");
    }

    @Test
    void sqlPrintsTablesCsvAndJson() throws IOException {
        Outcome t = cli("sql", "--out", out.toString(), "SELECT count(*) AS n, count(DISTINCT run_id) AS runs FROM layers");
        assertThat(t.code()).as(t.err()).isZero();
        int layerRows = 3 * 2 * 2 * (2 + 3);
        // numbers right-aligned under their headers, columns two spaces apart
        assertThat(t.out().lines().toList()).containsExactly(" n  runs", "--  ----",
                String.format("%2d  %4d", layerRows, POINTS), "(1 row)");

        Outcome csv = cli("sql", "--out", out.toString(), "--format", "csv",
                "SELECT init, init_std, hist_counts FROM layers WHERE layer = 1 ORDER BY run_id LIMIT 2");
        assertThat(csv.code()).as(csv.err()).isZero();
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("init,init_std,hist_counts");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).matches("[a-z_]+,[0-9.]*,\"\\[\\d+(, \\d+){4}\\]\"");

        Outcome json = cli("sql", "--out", out.toString(), "--format", "json",
                "SELECT run_id, sum(count) AS entries FROM histograms GROUP BY run_id, layer");
        assertThat(json.code()).as(json.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<String> rows = json.out().lines().toList();
        assertThat(rows).hasSize(layerRows);
        for (String row : rows) {
            JsonNode n = m.readTree(row);
            assertThat(n.get("entries").asLong()).isBetween(0L, 8L * 20);
        }
    }

    @Test
    void sqlErrorsAreOneLineUsageErrors() {
        Outcome badColumn = cli("sql", "--out", out.toString(), "SELECT no_such_column FROM runs");
        assertThat(badColumn.code()).isEqualTo(2);
        assertThat(badColumn.err().lines()).hasSize(1);
        assertThat(badColumn.err()).contains("no_such_column");
        Outcome notSweep = cli("sql", "--out", dir.resolve("nothing-here").toString(), "SELECT 1");
        assertThat(notSweep.code()).isEqualTo(2);
        assertThat(notSweep.err()).contains("holds no finished sweep");
        Outcome both = cli("sql", "--out", out.toString(), "--file", "jobs/sql/seeds_story.sql", "SELECT 1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("at most one of QUERY or --file");
    }

    @Test
    void everyShippedQueryRuns() throws IOException {
        Path sqlDir = Path.of(System.getProperty("user.dir"), "jobs", "sql");
        List<Path> files;
        try (Stream<Path> s = Files.list(sqlDir)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Outcome r = cli("sql", "--out", out.toString(), "--file", f.toString(), "--format", "csv", "--max-rows", "0");
            assertThat(r.code()).as(f + ": " + r.err()).isZero();
            assertThat(r.out().lines().count()).as(f.toString()).isGreaterThan(1);
        }
    }
}
