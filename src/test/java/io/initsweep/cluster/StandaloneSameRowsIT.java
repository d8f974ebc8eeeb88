package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Same answer anywhere: jobs/seeds.yaml submitted with bin/spark-submit (client mode) to a
 * two-worker standalone cluster on loopback writes the same rows, bit for bit, as a local[2] run
 * (which, unlike the cluster's executors, warmed its kernel up while Spark started); so does a
 * sweep with gradients, its jacobian table included.
 */
class StandaloneSameRowsIT {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final LoopbackCluster.PerClass CLUSTER = new LoopbackCluster.PerClass("standalone-same-rows", 2);
    private static final Path WORK = CLUSTER.work();


    @Test
    void seedsOnTwoWorkersWriteTheRowsOfALocalRun() throws Exception {
        Path out = WORK.resolve("out/cluster");
        Path events = Files.createDirectories(WORK.resolve("out/events"));
        Map<String, String> conf = SweepRows.clusterConf(events);
        conf.put("spark.ui.enabled", "false");
        Path log = WORK.resolve("out/submit.log");
        Process submit = CLUSTER.cluster().submit("jobs/seeds.yaml", out, log, conf);
        assertThat(io.initsweep.TimeLimits.waitFor(submit, 300)).as("spark-submit finished within 300 JVM starts").isTrue();
        assertThat(submit.exitValue()).as("spark-submit exit code; log:%n%s", Files.readString(log)).isZero();

        // The manifest names the cluster's master; the app ran executors on both workers.
        JsonNode engine = new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("engine");
        assertThat(engine.get("master").asText()).isEqualTo(CLUSTER.cluster().masterUrl).startsWith("spark://127.0.0.1:");
        // the executors ran the default kernel route (Vector API present), the one compared below
        assertThat(engine.get("kernel_route").size()).isEqualTo(1);
        assertThat(engine.get("kernel_route").get(0).asText()).startsWith("vector-api");
        // every executor ran the OpenBLAS the application jar carries, extracted on its own host
        assertThat(engine.get("blas").size()).as("%s", engine.get("blas")).isGreaterThanOrEqualTo(2);
        for (JsonNode b : engine.get("blas")) {
            assertThat(b.asText()).matches("executor \\d+: OpenBLAS \\d+\\.\\d+\\.\\d+ \\(bundled\\) kernel \\w+.*; /.*/libopenblas\\.so\\.0");
        }
        String appId = engine.get("app_id").asText();
        assertThat(appId).startsWith("app-");
        for (int i = 1; i <= 2; i++) {
            assertThat(CLUSTER.cluster().workDir(i).resolve(appId)).as("worker-%d launched an executor for %s", i, appId).isDirectory();
        }
        JsonNode master = CLUSTER.cluster().masterJson();
        assertThat(master.get("completedapps").findValuesAsText("id")).contains(appId);

        // Tasks finished successfully on executors of both workers (from the driver's event log).
        Set<Integer> workersWithTasks = new TreeSet<>();
        for (JsonNode e : LoopbackCluster.events(events)) {
            if (e.path("Event").asText().equals("SparkListenerTaskEnd")
                    && e.path("Task End Reason").path("Reason").asText().equals("Success")) {
                workersWithTasks.add(CLUSTER.cluster().workerOf(appId, e.path("Task Info").path("Executor ID").asText()));
            }
        }
        assertThat(workersWithTasks).containsExactly(1, 2);

        // The same spec in local[2] (this JVM): identical rows in both tables, not just counts.
        Path local = WORK.resolve("out/local");
        SweepRows.runLocal("jobs/seeds.yaml", local);
        // the local run warmed its kernel up on a spare core while Spark started (the executors did
        // not): the comparison below also shows that the warm-up changes no row
        assertThat(Files.readString(local.resolveSibling("local.log")))
                .containsPattern("kernel warm-up: \\d+ routes, \\d+ rounds, [1-9]\\d* chains");
        SweepRows.Tables onCluster = SweepRows.read(out);
        SweepRows.Tables inLocal = SweepRows.read(local);
        // (normal × 2 stds + xavier + he) × 3 activations × 3 seeds = 36 runs of depth 5
        assertThat(onCluster.runs()).hasSize(36).isEqualTo(inLocal.runs());
        assertThat(onCluster.layers()).hasSize(36 * 5).isEqualTo(inLocal.layers());
        assertThat(Set.copyOf(onCluster.runIds())).hasSize(36);
        assertThat(onCluster.jacobian()).isEmpty();
    }

    /** A sweep with gradients: the gradient columns and the jacobian table are the same bits on the cluster. */
    @Test
    void gradientsOnTwoWorkersAreTheGradientsOfALocalRun() throws Exception {
        Path spec = Files.writeString(Files.createDirectories(WORK.resolve("specs")).resolve("grads.yaml"), """
                name: grads
                seed: 9
                network: { width: 32, batch: 64, bias_std: [0, 0.1] }
                grid:
                  init: [normal, kaiming_normal, orthogonal]
                  activation: [tanh, relu]
                  std: [0.5]
                  depth: [3, 6]
                  seed: [0, 1]
                gradients: true
                """);
        Path out = WORK.resolve("out/grads-cluster");
        Path log = WORK.resolve("out/grads-submit.log");
        Process submit = CLUSTER.cluster().submit(spec.toString(), out, log,
                new java.util.HashMap<>(Map.of("spark.ui.enabled", "false")));
        assertThat(io.initsweep.TimeLimits.waitFor(submit, 300)).as("spark-submit finished within 300 JVM starts").isTrue();
        assertThat(submit.exitValue()).as("spark-submit exit code; log:%n%s", Files.readString(log)).isZero();
        Path local = WORK.resolve("out/grads-local");
        SweepRows.runLocal(spec.toString(), local);
        SweepRows.Tables onCluster = SweepRows.read(out);
        SweepRows.Tables inLocal = SweepRows.read(local);
        // 3 inits × 2 activations × 2 bias stds × 2 seeds × 2 depths = 48 runs; 8 Jacobian samples each
        assertThat(onCluster.runs()).hasSize(48).isEqualTo(inLocal.runs());
        assertThat(onCluster.layers()).hasSize(24 * (3 + 6)).isEqualTo(inLocal.layers());
        assertThat(onCluster.jacobian()).hasSize(48 * 8).isEqualTo(inLocal.jacobian());
    }
}
