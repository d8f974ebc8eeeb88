package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.job.OutputDir;
import io.initsweep.job.SweepJob;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.ParquetRows;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
 * so the manifest is the commit: the rows equal a local run's; {@code sql} and {@code report} read
 * it, and a file no manifest lists is not read; the lock (a conditional put) refuses a second run.
 * A driver killed at each step of the commit: {@link S3CommitFaultsIT}.
 */
class S3IT {
    private static final Path WORK = LoopbackCluster.ROOT.resolve("target/it/s3");
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
}
