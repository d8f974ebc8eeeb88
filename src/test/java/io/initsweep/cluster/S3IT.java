package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.job.Faults;
import io.initsweep.job.OutputDir;
import io.initsweep.job.SweepJob;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.ParquetRows;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sweep written to an S3-compatible object store through {@code s3a://} (hadoop-aws), against an
 * S3 server started once for the class ({@link S3Server}). There a rename is a copy and a delete,
 * so the manifest is the commit: the rows equal a local run's; a driver killed at each step of the
 * commit leaves the old sweep or the new one, whole, to every reader, and {@code --resume} finishes
 * it; the lock (a conditional put) refuses a second run; {@code sql} and {@code report} read it.
 */
class S3IT {
    private static final Path WORK = LoopbackCluster.ROOT.resolve("target/it/s3");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fault tests' sweep: 6 chains of 2 grid points; waves of 6 points make 2 waves, enough to pass every step. */
    private static final String FAULT_SPEC = """
            name: %s
            seed: %d
            network: { width: 8, batch: 16 }
            grid: { init: [xavier_normal, kaiming_normal, xavier_uniform], activation: [tanh, relu], depth: [2, 4], seed: [0] }
            stats: { bins: 5 }
            """;
    private static final int FAULT_WAVE_SIZE = 6;

    static S3Server s3;
    static SparkSession spark;
    static Configuration conf;
    static Path specFile;
    static Stores.Tables local;

    @BeforeAll
    static void start() throws Exception {
        LoopbackCluster.deleteTree(WORK);
        Files.createDirectories(WORK);
        s3 = S3Server.start(WORK.resolve("server"));
        spark = LocalSpark.start("local[2]");
        conf = s3.configure(spark.sparkContext().hadoopConfiguration());
        specFile = Files.writeString(WORK.resolve("stores.yaml"), Stores.SPEC);
        String localOut = WORK.resolve("local").toString();
        SweepJob.run(spark, parse(Stores.SPEC, "stores"), new SweepJob.Options(localOut, false, 0));
        local = Stores.Tables.read(spark, localOut);
        assertThat(local.runs()).hasSize(Stores.POINTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static SweepSpec parse(String text, String name) {
        return SpecParser.parse(text.getBytes(StandardCharsets.UTF_8), name);
    }

    private static String s3a(String key) {
        return "s3a://" + S3Server.BUCKET + "/" + key;
    }

    private static FileSystem fs() throws Exception {
        return new org.apache.hadoop.fs.Path(s3a("")).getFileSystem(conf);
    }

    /** The names directly under {@code key}. */
    private static Set<String> names(String key) throws Exception {
        Set<String> names = new TreeSet<>();
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(s3a(key));
        if (fs().exists(p)) {
            for (var st : fs().listStatus(p)) {
                names.add(st.getPath().getName());
            }
        }
        return names;
    }

    /** Every data file under an output's tables equals exactly what its manifest lists: nothing else is left. */
    private static void assertOnlyListedFiles(String out) throws Exception {
        JsonNode manifest = JSON.readTree(Views.readBytes(fs(), new org.apache.hadoop.fs.Path(out, Views.MANIFEST)));
        assertThat(manifest.path(Views.FILES).isObject()).as("the manifest lists the files it commits").isTrue();
        for (String table : List.of(Views.LAYERS, Views.RUNS)) {
            Set<String> listed = new TreeSet<>();
            manifest.path(Views.FILES).path(table).forEach(f -> listed.add(new org.apache.hadoop.fs.Path(
                    new org.apache.hadoop.fs.Path(out, table), f.asText()).toString()));
            Set<String> present = new TreeSet<>();
            ParquetRows.listData(fs(), new org.apache.hadoop.fs.Path(out, table)).forEach(p -> present.add(p.toString()));
            assertThat(present).as("%s files of %s", table, out).isEqualTo(listed).isNotEmpty();
        }
    }

    @Test
    void aSweepOnS3HasTheRowsOfALocalRunAndSqlAndReportReadIt() throws Exception {
        String out = s3a("seeds");
        List<String> confs = s3.sparkConfs();
        Stores.Ended run = Stores.driver(WORK.resolve("logs/seeds.log"), List.of(),
                Stores.withConfs(confs, "run", specFile.toString(), "--out", out, "--wave-size", "" + Stores.WAVE_SIZE));
        assertThat(run.code()).as("run --out %s:%n%s", out, run.all()).isZero();

        Views.verify(conf, out);
        assertThat(Stores.Tables.read(spark, out)).as("rows on S3 vs a local run").isEqualTo(local);
        assertOnlyListedFiles(out);
        assertThat(names("")).as("nothing beside the output: no lock, no in-progress state").containsExactly("seeds");

        Cli.Outcome sql = Cli.run("sql", "--out", out, "--format", "csv",
                "SELECT count(*) AS runs, count(DISTINCT run_id) AS ids FROM runs");
        assertThat(sql.code()).as("sql: %s", sql.err()).isZero();
        assertThat(sql.out().lines().toList()).containsExactly("runs,ids", local.runs().size() + "," + local.runs().size());
        Cli.Outcome sweeps = Cli.run("sql", "--out", out, "--format", "csv", "SELECT sweep, counts.layers_rows FROM sweeps");
        assertThat(sweeps.code()).as("sql: %s", sweeps.err()).isZero();
        assertThat(sweeps.out().lines().toList()).containsExactly("sweep,layers_rows", "stores," + local.layers().size());

        Cli.Outcome report = Cli.run("report", out);
        assertThat(report.code()).as("report: %s", report.err()).isZero();
        org.apache.hadoop.fs.Path html = new org.apache.hadoop.fs.Path(out, "report.html");
        try (var in = fs().open(html)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("<html").contains("stores");
        }

        // a file no manifest lists (a killed wave's, say) is not read
        org.apache.hadoop.fs.Path stray = new org.apache.hadoop.fs.Path(out, "runs/activation=relu/part-stray.parquet");
        org.apache.hadoop.fs.Path someFile = ParquetRows.listData(fs(), new org.apache.hadoop.fs.Path(out, "runs")).get(0);
        org.apache.hadoop.fs.FileUtil.copy(fs(), someFile, fs(), stray, false, conf);
        assertThat(Stores.Tables.read(spark, out)).as("rows with an unlisted file beside the listed ones").isEqualTo(local);
        Views.verify(conf, out);
        fs().delete(stray, false);
    }

    @Test
    void theLockIsAConditionalPutAndRefusesASecondRun() throws Exception {
        // two creates that both passed S3A's existence check: the store accepts one put and refuses the other
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(s3a("conditional/.x.lock"));
        FSDataOutputStream first = (FSDataOutputStream) fs().createFile(file).overwrite(false)
                .must(OutputDir.CONDITIONAL_CREATE, true).build();
        FSDataOutputStream second = (FSDataOutputStream) fs().createFile(file).overwrite(false)
                .must(OutputDir.CONDITIONAL_CREATE, true).build();
        first.write("first".getBytes(StandardCharsets.UTF_8));
        second.write("second".getBytes(StandardCharsets.UTF_8));
        first.close();
        assertThatThrownBy(second::close).as("the second put, If-None-Match: *").isInstanceOf(java.io.IOException.class);
        try (var in = fs().open(file)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
        }

        String out = s3a("locked");
        OutputDir dir = OutputDir.of(out, conf);
        assertThat(dir.protocol()).isEqualTo(OutputDir.Commit.MANIFEST);
        try (OutputDir.Lock held = dir.lock()) {
            assertThatThrownBy(dir::lock).isInstanceOf(OutputDir.OutputExistsException.class)
                    .hasMessageContaining("is being written by another run");
            Stores.Ended second2 = Stores.driver(WORK.resolve("logs/locked.log"), List.of(),
                    Stores.withConfs(s3.sparkConfs(), "run", specFile.toString(), "--out", out));
            assertThat(second2.code()).as("a second run while the lock is held:%n%s", second2.all()).isEqualTo(2);
            assertThat(second2.err()).anyMatch(l -> l.contains("is being written by another run (pid "
                    + ProcessHandle.current().pid() + " on ") && l.contains("delete " + held.file()));
        }
        assertThat(names("")).as("the refused run wrote nothing, the lock is released").doesNotContain("locked",
                ".locked.lock", ".locked.inprogress");

        // a store without conditional writes: S3A told so, the lock is its existence check alone
        Configuration plain = new Configuration(conf);
        plain.setBoolean("fs.s3a.create.conditional.enabled", false);
        plain.setBoolean("fs.s3a.impl.disable.cache", true);
        OutputDir unconditional = OutputDir.of(s3a("plain"), plain);
        try (OutputDir.Lock held = unconditional.lock()) {
            assertThat(unconditional.fileSystem().exists(held.file())).isTrue();
            assertThatThrownBy(unconditional::lock).isInstanceOf(OutputDir.OutputExistsException.class)
                    .hasMessageContaining("is being written by another run");
        }
        assertThat(names("")).doesNotContain(".plain.lock");
    }

    @Test
    void aDriverKilledAtEachStepOfTheCommitLeavesAWholeSweepAndResumeFinishesIt() throws Exception {
        SweepSpec spec = parse(String.format(FAULT_SPEC, "faults", 3), "faults");
        Path faultSpec = Files.writeString(WORK.resolve("faults.yaml"), String.format(FAULT_SPEC, "faults", 3));
        SweepSpec oldSpec = parse(String.format(FAULT_SPEC, "old", 4), "old");
        // the references: each sweep written to a local directory
        String wholeDir = WORK.resolve("faults-local").toString();
        SweepJob.run(spark, spec, new SweepJob.Options(wholeDir, false, 0));
        Stores.Tables whole = Stores.Tables.read(spark, wholeDir);
        String oldDir = WORK.resolve("old-local").toString();
        SweepJob.run(spark, oldSpec, new SweepJob.Options(oldDir, false, 0));
        Stores.Tables oldRows = Stores.Tables.read(spark, oldDir);

        // each step's output holds the old sweep; a driver overwriting it dies at the step (two drivers at a time)
        List<String> steps = Faults.MANIFEST_STEPS;
        List<Process> drivers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(s3a("faults/old"));
        SweepJob.run(spark, oldSpec, new SweepJob.Options(old.toString(), false, 0));
        for (String step : steps) {
            // a copy of its objects: the manifest lists the files relative to the output
            assertThat(org.apache.hadoop.fs.FileUtil.copy(fs(), old, fs(), new org.apache.hadoop.fs.Path(s3a("faults/" + step
                    + "/out")), false, conf)).isTrue();
        }
        // two drivers run at a time; each step is checked as soon as its driver has died, while the next ones run
        java.util.function.IntFunction<Process> launch = i -> {
            try {
                Path log = Files.createDirectories(WORK.resolve("logs/faults")).resolve(steps.get(i) + ".log");
                logs.add(log);
                return io.initsweep.job.DriverProcess.start(log, List.of("-D" + Faults.PROPERTY + "=" + steps.get(i), Stores.C1_ONLY),
                        Stores.withConfs(s3.sparkConfs(), "run", faultSpec.toString(), "--out",
                                s3a("faults/" + steps.get(i) + "/out"), "--overwrite", "--wave-size", "" + FAULT_WAVE_SIZE));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        drivers.add(launch.apply(0));
        drivers.add(launch.apply(1));
        try {
            checkEachStep(steps, drivers, logs, launch, faultSpec, spec, whole, oldRows);
        } finally {
            drivers.forEach(Process::destroyForcibly);
        }
    }

    private static void checkEachStep(List<String> steps, List<Process> drivers, List<Path> logs,
            java.util.function.IntFunction<Process> launch, Path faultSpec, SweepSpec spec, Stores.Tables whole,
            Stores.Tables oldRows) throws Exception {
        for (int i = 0; i < steps.size(); i++) {
            long t0 = System.nanoTime();
            String step = steps.get(i);
            Process p = drivers.get(i);
            try {
                assertThat(io.initsweep.TimeLimits.waitFor(p, 600)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            if (i + 2 < steps.size()) {
                drivers.add(launch.apply(i + 2));
            }
            List<String> err = io.initsweep.job.DriverProcess.stderr(logs.get(i));
            assertThat(p.exitValue()).as("the driver died at %s: %s", step, err).isEqualTo(Faults.EXIT_CODE);
            assertThat(err).contains("initsweep: " + Faults.PROPERTY + ": the driver dies at " + step);

            // a reader finds the old sweep whole or the new one whole: the target is never absent or partial
            String out = s3a("faults/" + step + "/out");
            String manifest = Views.verify(conf, out);
            Stores.Tables found = Stores.Tables.read(spark, out);
            if (manifest.contains("\"sweep\" : \"old\"")) {
                assertThat(found).as("after %s the target holds the old sweep, whole", step).isEqualTo(oldRows);
            } else {
                assertThat(found).as("after %s the target holds the new sweep, whole", step).isEqualTo(whole);
                assertThat(Faults.MANIFEST_STEPS.indexOf(step)).as("the new sweep only once its manifest is put")
                        .isGreaterThanOrEqualTo(Faults.MANIFEST_STEPS.indexOf(Faults.MANIFEST_WRITTEN));
            }
            Cli.Outcome fresh = Cli.run("run", faultSpec.toString(), "--out", out, "--wave-size", "" + FAULT_WAVE_SIZE);
            assertThat(fresh.code()).as("a run without --resume or --overwrite after %s: %s", step, fresh.err()).isEqualTo(2);

            SweepJob.Result r = SweepJob.run(spark, spec, new SweepJob.Options(out, true, 0, null, true, FAULT_WAVE_SIZE, 0));
            assertThat(r.waves().outcome()).isIn(SweepJob.Outcome.COMPLETE, SweepJob.Outcome.ALREADY_COMPLETE);
            Views.verify(conf, out);
            assertThat(Stores.Tables.read(spark, out)).as("rows after dying at %s and resuming", step).isEqualTo(whole);
            assertOnlyListedFiles(out);
            assertThat(names("faults/" + step)).as("lock or in-progress state left after resuming").containsExactly("out");
            System.out.printf("died at %s: a reader found the %s sweep whole; resumed (%s) to the rows of a whole run;"
                    + " checked in %.1f s%n", step, manifest.contains("\"sweep\" : \"old\"") ? "old" : "new",
                    r.waves().outcome(), (System.nanoTime() - t0) / 1e9);
        }
    }
}
