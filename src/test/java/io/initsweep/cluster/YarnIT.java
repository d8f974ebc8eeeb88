package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.tables.Views;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * YARN with HDFS, as a cluster runs them: a {@link MiniYARNCluster} (a resource manager and a node
 * manager that launches real containers) and a {@link MiniDFSCluster} (a name node and a data node),
 * all on this machine, started once for the class. {@code jobs/submit/yarn.sh} — the script the
 * README points to, unchanged — submits jobs/seeds.yaml with {@code bin/spark-submit --master yarn}
 * in client mode: the driver runs in the script's JVM, the ApplicationMaster and the executors in
 * YARN containers, and the sweep goes to {@code hdfs://}. Its rows equal a local run's to the bit.
 */
class YarnIT {
    private static final Path WORK = LoopbackCluster.ROOT.resolve("target/it/yarn");
    private static final Path CONF = WORK.resolve("hadoop-conf");

    static MiniDFSCluster dfs;
    static MiniYARNCluster yarn;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        LoopbackCluster.deleteTree(WORK);
        Files.createDirectories(CONF);
        dfs = Stores.startDfs(WORK.resolve("dfs"));

        YarnConfiguration y = new YarnConfiguration();
        // One node manager with room for the ApplicationMaster and two 1 GiB executors (plus Spark's
        // 384 MiB overhead each); the FIFO scheduler, which caps no share of it for ApplicationMasters.
        y.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        y.setInt(YarnConfiguration.NM_PMEM_MB, 8192);
        y.setInt(YarnConfiguration.NM_VCORES, 8);
        y.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        // the JVMs' virtual memory is far above their heap, and a full build disk must not mark the node unhealthy
        y.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        y.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        y.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
        y.set(YarnConfiguration.NM_LOCAL_DIRS, WORK.resolve("nm-local").toString());
        y.set(YarnConfiguration.NM_LOG_DIRS, WORK.resolve("nm-logs").toString());
        try {
            yarn = new MiniYARNCluster("initsweep-yarn", 1, 1, 1);
            yarn.init(y);
            yarn.start();
        } catch (Exception | LinkageError e) {
            throw new AssertionError("MiniYARNCluster (hadoop-client-minicluster) did not start on this machine: " + e, e);
        }
        // The resource manager's address is known once it has bound its port.
        long deadline = System.nanoTime() + io.initsweep.TimeLimits.jvmStarts(100).toNanos();
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
            assertThat(System.nanoTime()).as("the resource manager bound its port").isLessThan(deadline);
            Thread.sleep(100);
        }
        // What a cluster's HADOOP_CONF_DIR holds: core-site.xml (the default file system) and yarn-site.xml.
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", dfs.getURI().toString());
        core.set("dfs.replication", "1");
        write(core, CONF.resolve("core-site.xml"));
        // Only YARN's own settings: this JVM's configurations also hold what earlier tests made the
        // default here (initsweep's file: file system), which the submitting JVM must not be told.
        Configuration site = new Configuration(false);
        for (Map.Entry<String, String> e : yarn.getConfig()) {
            if (e.getKey().startsWith("yarn.")) {
                site.set(e.getKey(), e.getValue());
            }
        }
        write(site, CONF.resolve("yarn-site.xml"));

        spark = LocalSpark.start("local[2]");
        spark.sparkContext().hadoopConfiguration().set("dfs.replication", "1");
    }

    private static void write(Configuration conf, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    record Submitted(int code, String log) {}

    /** {@code jobs/submit/yarn.sh ARGS…} with HADOOP_CONF_DIR set to {@code confDir} (none if null), waited for. */
    static Submitted yarnSh(Path confDir, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LoopbackCluster.ROOT.resolve("jobs/submit/yarn.sh").toString()));
        cmd.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(LoopbackCluster.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("HADOOP_CONF_DIR");
        env.remove("YARN_CONF_DIR");
        if (confDir != null) {
            env.put("HADOOP_CONF_DIR", confDir.toString());
        }
        Process p = pb.start();
        try {
            assertThat(io.initsweep.TimeLimits.waitFor(p, 600)).as("yarn.sh %s ended; log:%n%s", List.of(args),
                    Files.readString(log)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Submitted(p.exitValue(), Files.readString(log));
    }

    @Test
    void seedsSubmittedToYarnWriteTheRowsOfALocalRunToHdfs() throws Exception {
        String out = dfs.getURI() + "/sweeps/seeds";
        // The node manager runs on this machine, where Spark's jars are: the containers take them from
        // there (spark.yarn.jars local:) instead of a 300 MB upload per submission.
        Submitted s = yarnSh(CONF, WORK.resolve("logs/seeds.log"), "--out", out,
                "--conf", "spark.yarn.jars=local:" + LoopbackCluster.ROOT.resolve("target/spark-home/jars") + "/*",
                "--conf", "spark.ui.enabled=false");
        assertThat(s.code()).as("yarn.sh; log:%n%s", s.log()).isZero();
        assertThat(s.log()).contains("output: " + out);

        FileSystem fs = dfs.getFileSystem();
        JsonNode engine;
        try (var in = fs.open(new org.apache.hadoop.fs.Path("/sweeps/seeds/manifest.json"))) {
            engine = new ObjectMapper().readTree(in).get("engine");
        }
        assertThat(engine.get("master").asText()).isEqualTo("yarn");
        String appId = engine.get("app_id").asText();
        assertThat(appId).startsWith("application_");
        // YARN ran the application to success, on executors in its containers, each on the bundled OpenBLAS
        assertSucceeded(appId);
        assertThat(engine.get("blas").size()).as("%s", engine.get("blas")).isEqualTo(2);
        for (JsonNode b : engine.get("blas")) {
            assertThat(b.asText()).matches("executor \\d+: OpenBLAS \\d+\\.\\d+\\.\\d+ \\(bundled\\) kernel \\w+.*; /.*/libopenblas\\.so\\.0");
        }
        assertThat(engine.get("kernel_route").get(0).asText()).startsWith("vector-api");

        assertTheRowsOfALocalRun(out);
    }

    /** Cluster mode: the driver runs in the ApplicationMaster's container, the spec shipped with the job. */
    @Test
    void inClusterModeTheDriverRunsInYarnAndWritesTheSameRows() throws Exception {
        String out = dfs.getURI() + "/sweeps/seeds-cluster-mode";
        Submitted s = yarnSh(CONF, WORK.resolve("logs/cluster-mode.log"), "--deploy-mode", "cluster", "--out", out,
                "--conf", "spark.yarn.jars=local:" + LoopbackCluster.ROOT.resolve("target/spark-home/jars") + "/*",
                "--conf", "spark.ui.enabled=false");
        assertThat(s.code()).as("yarn.sh --deploy-mode cluster; log:%n%s", s.log()).isZero();
        JsonNode engine;
        try (var in = dfs.getFileSystem().open(new org.apache.hadoop.fs.Path("/sweeps/seeds-cluster-mode/manifest.json"))) {
            engine = new ObjectMapper().readTree(in).get("engine");
        }
        assertThat(engine.get("master").asText()).isEqualTo("yarn");
        assertSucceeded(engine.get("app_id").asText());
        assertTheRowsOfALocalRun(out);
    }

    /** YARN ran the application to its end and calls it succeeded. */
    private static void assertSucceeded(String appId) throws InterruptedException {
        assertThat(appId).startsWith("application_");
        RMApp app = yarn.getResourceManager().getRMContext().getRMApps().get(ApplicationId.fromString(appId));
        assertThat(app).as("the resource manager knows %s", appId).isNotNull();
        long deadline = System.nanoTime() + io.initsweep.TimeLimits.jvmStarts(100).toNanos();
        while (app.createApplicationState() != YarnApplicationState.FINISHED && System.nanoTime() < deadline) {
            Thread.sleep(100);   // the ApplicationMaster unregisters after the driver stops
        }
        assertThat(app.createApplicationState()).isEqualTo(YarnApplicationState.FINISHED);
        assertThat(app.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(app.getApplicationType()).isEqualTo("SPARK");
    }

    private static Stores.Tables inLocal;

    /** The rows at {@code out} equal those of jobs/seeds.yaml on local[2], run once as a user runs it. */
    private static synchronized void assertTheRowsOfALocalRun(String out) throws Exception {
        if (inLocal == null) {
            Path local = WORK.resolve("local");
            SweepRows.runLocal("jobs/seeds.yaml", local);
            inLocal = Stores.Tables.read(spark, local.toString());
        }
        Views.verify(spark.sparkContext().hadoopConfiguration(), out);
        Stores.Tables onYarn = Stores.Tables.read(spark, out);
        // (normal × 2 stds + xavier + he) × 3 activations × 3 seeds = 36 runs of depth 5
        assertThat(onYarn.runs()).hasSize(36).isEqualTo(inLocal.runs());
        assertThat(onYarn.layers()).hasSize(36 * 5).isEqualTo(inLocal.layers());
    }

    @Test
    void withoutTheClustersConfigurationTheScriptSaysWhatIsMissingAndSubmitsNothing() throws Exception {
        int before = yarn.getResourceManager().getRMContext().getRMApps().size();
        Submitted s = yarnSh(null, WORK.resolve("logs/no-conf.log"), "--out", dfs.getURI() + "/sweeps/none");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.log().strip()).isEqualTo("yarn.sh: HADOOP_CONF_DIR (or YARN_CONF_DIR) must name the directory"
                + " of the cluster's yarn-site.xml, found ''");
        Submitted mode = yarnSh(CONF, WORK.resolve("logs/bad-mode.log"), "--deploy-mode", "local");
        assertThat(mode.code()).isEqualTo(2);
        assertThat(mode.log().strip()).isEqualTo("yarn.sh: --deploy-mode must be client or cluster, found 'local'");
        assertThat(yarn.getResourceManager().getRMContext().getRMApps()).hasSize(before);
        assertThat(dfs.getFileSystem().exists(new org.apache.hadoop.fs.Path("/sweeps/none"))).isFalse();
        assertThat(new String(Files.readAllBytes(WORK.resolve("logs/no-conf.log")), StandardCharsets.UTF_8)).doesNotContain("Exception");
    }
}
