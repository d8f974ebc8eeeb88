package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.job.Faults;
import io.initsweep.job.OutputDir;
import io.initsweep.job.SweepJob;
import io.initsweep.spec.SpecParser;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sweep written to HDFS: a {@link MiniDFSCluster} (a name node and a data node on 127.0.0.1,
 * started once for the class) and drivers started as users start them, with {@code --out hdfs://…}.
 * The rows equal a local run's to the bit; the output's lock (a file created only if absent)
 * refuses a second run; a driver killed mid-sweep leaves nothing a reader takes for a sweep, and
 * {@code --resume} finishes it; {@code sql} and {@code report} read it.
 */
class HdfsIT {
    private static final Path WORK = LoopbackCluster.ROOT.resolve("target/it/hdfs");
    /** The Hadoop options every driver gets: one data node holds one replica. */
    private static final List<String> CONFS = List.of("spark.hadoop.dfs.replication=1");

    static MiniDFSCluster dfs;
    static String base;
    static SparkSession spark;
    static Configuration conf;
    static Path specFile;
    static Stores.Tables local;

    @BeforeAll
    static void start() throws Exception {
        LoopbackCluster.deleteTree(WORK);
        Files.createDirectories(WORK);
        dfs = Stores.startDfs(WORK.resolve("dfs"));
        base = dfs.getURI() + "/sweeps";
        spark = LocalSpark.start("local[2]");
        conf = spark.sparkContext().hadoopConfiguration();
        conf.set("dfs.replication", "1");
        specFile = Files.writeString(WORK.resolve("stores.yaml"), Stores.SPEC);
        // the reference: the same spec written to a local directory
        String localOut = WORK.resolve("local").toString();
        SweepJob.run(spark, SpecParser.parse(Stores.SPEC.getBytes(StandardCharsets.UTF_8), "stores"),
                new SweepJob.Options(localOut, false, 0));
        local = Stores.Tables.read(spark, localOut);
        assertThat(local.runs()).hasSize(Stores.POINTS);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    @Test
    void aSweepOnHdfsHasTheRowsOfALocalRunAndSqlAndReportReadIt() throws Exception {
        String out = base + "/seeds";
        Stores.Ended run = Stores.driver(WORK.resolve("logs/seeds.log"), List.of(),
                Stores.withConfs(CONFS, "run", specFile.toString(), "--out", out, "--wave-size", "" + Stores.WAVE_SIZE));
        assertThat(run.code()).as("run --out %s:%n%s", out, run.all()).isZero();
        assertThat(run.out()).contains("output: " + out);

        Views.verify(conf, out);
        assertThat(Stores.Tables.read(spark, out)).as("rows on HDFS vs a local run").isEqualTo(local);
        FileSystem fs = dfs.getFileSystem();
        assertThat(fs.listStatus(new org.apache.hadoop.fs.Path("/sweeps"))).extracting(s -> s.getPath().getName())
                .as("nothing beside the output: no lock, no staging").containsExactly("seeds");

        // sql and report, as a user runs them, on the sweep in HDFS
        Cli.Outcome sql = Cli.run("sql", "--out", out, "--format", "csv",
                "SELECT count(*) AS runs, count(DISTINCT run_id) AS ids FROM runs");
        assertThat(sql.code()).as("sql: %s", sql.err()).isZero();
        assertThat(sql.out().lines().toList()).containsExactly("runs,ids", local.runs().size() + "," + local.runs().size());
        Cli.Outcome layers = Cli.run("sql", "--out", out, "--format", "csv", "SELECT count(*) AS n FROM layers");
        assertThat(layers.out().lines().toList()).containsExactly("n", "" + local.layers().size());

        Cli.Outcome report = Cli.run("report", out);
        assertThat(report.code()).as("report: %s", report.err()).isZero();
        org.apache.hadoop.fs.Path html = new org.apache.hadoop.fs.Path("/sweeps/seeds/report.html");
        assertThat(fs.exists(html)).isTrue();
        assertThat(fs.getFileStatus(html).getLen()).isGreaterThan(10_000);
        try (var in = fs.open(html)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("<html").contains("stores");
        }
    }

    @Test
    void theLockRefusesASecondRun() throws Exception {
        String out = base + "/locked";
        OutputDir dir = OutputDir.of(out, conf);
        try (OutputDir.Lock held = dir.lock()) {
            assertThat(dir.fileSystem().exists(held.file())).isTrue();
            Stores.Ended second = Stores.driver(WORK.resolve("logs/locked.log"), List.of(),
                    Stores.withConfs(CONFS, "run", specFile.toString(), "--out", out));
            assertThat(second.code()).as("a second run while the lock is held:%n%s", second.all()).isEqualTo(2);
            assertThat(second.err()).anyMatch(l -> l.contains("is being written by another run (pid "
                    + ProcessHandle.current().pid() + " on ") && l.contains("delete " + held.file()));
        }
        FileSystem fs = dfs.getFileSystem();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path("/sweeps/locked"))).as("the refused run wrote nothing").isFalse();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path("/sweeps/.locked.inprogress"))).isFalse();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path("/sweeps/.locked.lock"))).as("released").isFalse();
    }

    @Test
    void aDriverKilledMidSweepLeavesNoSweepAndResumeFinishesIt() throws Exception {
        String out = base + "/killed";
        Stores.Ended died = Stores.driver(WORK.resolve("logs/killed.log"), List.of("-D" + Faults.PROPERTY + "=" + Faults.WAVE_DONE),
                Stores.withConfs(CONFS, "run", specFile.toString(), "--out", out, "--wave-size", "" + Stores.WAVE_SIZE));
        assertThat(died.code()).as("the driver died after its first wave:%n%s", died.all()).isEqualTo(Faults.EXIT_CODE);
        FileSystem fs = dfs.getFileSystem();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path("/sweeps/killed"))).as("no sweep at the output").isFalse();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path("/sweeps/.killed.lock"))).as("the dead run's lock").isTrue();
        Cli.Outcome reader = Cli.run("sql", "--out", out, "SELECT count(*) FROM runs");
        // refused: no finished sweep there (or, while the dead run's lock is there, one being replaced)
        assertThat(reader.code()).as("a reader of the interrupted sweep: %s", reader.err()).isIn(1, 2);
        assertThat(reader.err()).containsAnyOf("holds no finished sweep", "changed while being read");
        assertThat(reader.out()).isEmpty();

        Stores.Ended fresh = Stores.driver(WORK.resolve("logs/killed-fresh.log"), List.of(),
                Stores.withConfs(CONFS, "run", specFile.toString(), "--out", out, "--wave-size", "" + Stores.WAVE_SIZE));
        assertThat(fresh.code()).as("a fresh run into the interrupted sweep:%n%s", fresh.all()).isEqualTo(2);
        assertThat(fresh.err()).anyMatch(l -> l.contains("holds an interrupted sweep"));

        Stores.Ended resumed = Stores.driver(WORK.resolve("logs/killed-resume.log"), List.of(),
                Stores.withConfs(CONFS, "run", specFile.toString(), "--out", out, "--wave-size", "" + Stores.WAVE_SIZE,
                        "--resume"));
        assertThat(resumed.code()).as("resume:%n%s", resumed.all()).isZero();
        assertThat(resumed.out()).contains("resumed: " + Stores.WAVE_SIZE + " grid points were done in 1 waves");
        Views.verify(conf, out);
        assertThat(Stores.Tables.read(spark, out)).as("rows after the kill and the resume vs a local run").isEqualTo(local);
        assertThat(fs.listStatus(new org.apache.hadoop.fs.Path("/sweeps"))).extracting(s -> s.getPath().getName())
                .as("nothing beside the outputs").doesNotContain(".killed.lock", ".killed.inprogress");
    }
}
