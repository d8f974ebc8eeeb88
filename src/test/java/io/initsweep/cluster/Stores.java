package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.RowText;
import io.initsweep.job.DriverProcess;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What the tests of the stores clusters write to (HDFS, S3) share: the spec, driver processes and rows read back. */
final class Stores {
    private Stores() {}

    /** 3 inits × 2 activations = 6 chains of 2 grid points (depths 2 and 4); waves of 4 points make 3 waves. */
    static final String SPEC = """
            name: stores
            seed: 11
            network: { width: 8, batch: 16 }
            grid: { init: [xavier_normal, kaiming_normal, xavier_uniform], activation: [tanh, relu], depth: [2, 4], seed: [0, 1] }
            stats: { bins: 5 }
            """;
    static final int POINTS = 24;
    static final int WAVE_SIZE = 8;

    /** The rows of runs and layers in an output, each row as text (doubles to the bit), sorted. */
    record Tables(List<String> runs, List<String> layers) {
        static Tables read(SparkSession spark, String output) {
            List<String> outs = List.of(output);
            List<Row> runs = Views.table(spark, outs, Views.RUNS, Schema.RUNS).collectAsList();
            List<Row> layers = Views.table(spark, outs, Views.LAYERS, Schema.LAYERS).collectAsList();
            return new Tables(RowText.sorted(runs), RowText.sorted(layers));
        }

        @Override
        public String toString() {
            return "Tables[" + runs.size() + " runs rows, " + layers.size() + " layers rows]";
        }
    }

    /** A finished driver process: its exit code, stdout and stderr. */
    record Ended(int code, String out, List<String> err) {
        String all() {
            return out + String.join("\n", err);
        }
    }

    /**
     * The JVM option of the drivers these tests start: C1 only, which starts Spark in about half the
     * time; the sweeps are small, and their rows do not depend on the JIT (docs/design.md, simulation).
     */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    /**
     * {@code initsweep ARGS…} in a driver JVM of its own (local[1], the test classpath, {@link #C1_ONLY}),
     * with the system properties {@code props}, waited for.
     */
    static Ended driver(Path log, List<String> props, String... args) throws Exception {
        Files.createDirectories(log.getParent());
        List<String> options = new ArrayList<>(props);
        options.add(C1_ONLY);
        Process p = DriverProcess.start(log, options, args);
        try {
            assertThat(io.initsweep.TimeLimits.waitFor(p, 600)).as("initsweep %s ended", List.of(args)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Ended(p.exitValue(), Files.readString(log), DriverProcess.stderr(log));
    }

    /** {@code args} followed by {@code --conf K=V} for each of {@code confs}. */
    static String[] withConfs(List<String> confs, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        for (String c : confs) {
            all.add("--conf");
            all.add(c);
        }
        return all.toArray(new String[0]);
    }

    /** A MiniDFSCluster (a name node and one data node on this machine, one replica a block) under {@code dir}, started. */
    static org.apache.hadoop.hdfs.MiniDFSCluster startDfs(Path dir) {
        org.apache.hadoop.conf.Configuration c = new org.apache.hadoop.conf.Configuration();
        c.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
        c.set("dfs.replication", "1");
        try {
            org.apache.hadoop.hdfs.MiniDFSCluster dfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(c).numDataNodes(1).build();
            dfs.waitActive();
            return dfs;
        } catch (Exception | LinkageError e) {
            throw new AssertionError("MiniDFSCluster (hadoop-client-minicluster) did not start on this machine: " + e, e);
        }
    }
}
