package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.RowText;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Written sweeps read back as comparable rows, and the local[2] reference run they are compared with. */
final class SweepRows {
    private SweepRows() {}

    /**
     * The rows of runs, of layers, of jacobian (empty for a sweep without gradients) and of training
     * (empty for a sweep without training) in an output, each row as text (doubles to the bit), sorted.
     */
    record Tables(List<String> runs, List<String> layers, List<String> runIds, List<String> jacobian,
            List<String> training) {}

    static Tables read(Path output) {
        SparkSession spark = LocalSpark.start("local[2]");
        try {
            List<String> outs = List.of(output.toString());
            List<Row> runs = Views.table(spark, outs, Views.RUNS, Schema.RUNS).collectAsList();
            List<Row> layers = Views.table(spark, outs, Views.LAYERS, Schema.LAYERS).collectAsList();
            List<String> runIds = runs.stream().map(r -> r.<String>getAs("run_id")).toList();
            List<Row> jacobian = Files.exists(output.resolve(Views.JACOBIAN))
                    ? Views.table(spark, outs, Views.JACOBIAN, Schema.JACOBIAN).collectAsList() : List.of();
            List<Row> training = Files.exists(output.resolve(Views.TRAINING))
                    ? Views.table(spark, outs, Views.TRAINING, Schema.TRAINING).collectAsList() : List.of();
            return new Tables(RowText.sorted(runs), RowText.sorted(layers), runIds, RowText.sorted(jacobian),
                    RowText.sorted(training));
        } finally {
            spark.stop();
        }
    }

    /**
     * {@code bin/initsweep run SPEC --out OUT --master local[2]}: the undisturbed reference, in its own
     * JVM, started as a user starts it.
     */
    static void runLocal(String spec, Path out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LoopbackCluster.ROOT.resolve("bin/initsweep").toString(),
                "run", spec, "--out", out.toString(), "--master", "local[2]", "--quiet",
                "--conf", "spark.ui.enabled=false")
                .directory(LoopbackCluster.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("INITSWEEP_DRIVER_MEMORY", "1g");
        Process p = pb.start();
        try {
            // 600: the first bin/initsweep command after a build also makes the class-data archive
            // (a short sweep's commands in one more JVM), whichever integration test runs first
            assertThat(io.initsweep.TimeLimits.waitFor(p, 600)).as("local[2] run of %s finished", spec).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("local[2] run of %s; log:%n%s", spec,
                Files.readString(out.resolveSibling(out.getFileName() + ".log"))).isZero();
    }

    /**
     * Spark configuration for a cluster run: an event log to read back. Both compared runs use the
     * default kernel route, which gives the same bits in every JVM and JIT tier.
     */
    static Map<String, String> clusterConf(Path eventLogDir) throws Exception {
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.eventLog.enabled", "true");
        conf.put("spark.eventLog.compress", "false");
        conf.put("spark.eventLog.dir", eventLogDir.toUri().toString());
        return conf;
    }
}
