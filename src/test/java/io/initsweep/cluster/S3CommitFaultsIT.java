package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.job.Faults;
import io.initsweep.job.SweepJob;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A driver killed at each step of committing a sweep to an S3-compatible object store through
 * {@code s3a://} (the steps of {@code Faults.MANIFEST_STEPS}; the S3 server started once for the
 * class, {@link S3Server}). Each driver overwrites an older sweep and dies at its step, as under
 * {@code kill -9}: a reader then finds the old sweep or the new one, whole, never none and never a
 * part; a run without {@code --resume} is refused; {@code --resume --overwrite} gives the rows of a
 * local run and leaves exactly the files the manifest lists, and no lock or state.
 */
class S3CommitFaultsIT {
    private static final Path WORK = LoopbackCluster.ROOT.resolve("target/it/s3-faults");
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

    @BeforeAll
    static void start() throws Exception {
        LoopbackCluster.deleteTree(WORK);
        Files.createDirectories(WORK);
        s3 = S3Server.start(WORK.resolve("server"));
        spark = LocalSpark.start("local[2]");
        conf = s3.configure(spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() throws Exception {
        if (conf != null) {
            fs().close(); // the cached S3A client names this server's port: the next class starts another server
        }
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
        return S3Server.s3a(key);
    }

    private static FileSystem fs() throws Exception {
        return new org.apache.hadoop.fs.Path(s3a("")).getFileSystem(conf);
    }

    private static Set<String> names(String key) throws Exception {
        return S3Server.names(conf, key);
    }

    private static void assertOnlyListedFiles(String out) throws Exception {
        S3Server.assertOnlyListedFiles(conf, out);
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
