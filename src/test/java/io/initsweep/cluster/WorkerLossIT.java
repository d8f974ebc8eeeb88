package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Worker loss: {@code kill -9} of one of two workers while its executor is running tasks of a
 * sweep. The job finishes on the other worker and writes exactly the rows of an undisturbed run:
 * no run lost, none twice, no half-committed files left.
 */
class WorkerLossIT {
    /** About 29 core-seconds of kernel here (`initsweep plan`): 6 tasks of several seconds each. */
    private static final String SPEC = "src/test/resources/cluster/worker-loss.yaml";
    @org.junit.jupiter.api.extension.RegisterExtension
    static final LoopbackCluster.PerClass CLUSTER = new LoopbackCluster.PerClass("worker-loss", 2);
    private static final Path WORK = CLUSTER.work();
    private static final int VICTIM = 2;


    /** What was seen the moment the worker was killed. */
    record AtKill(String appId, String executorId, int activeTasks, boolean jobAlive, String appState, boolean committed) {}

    @Test
    void killingAWorkerMidJobLosesNoRowsAndDuplicatesNone() throws Exception {
        // 2 inits × 2 activations × 2 depths × 8 seeds = 64 runs; 8 × 4 × (20 + 100) layers rows
        SweepRows.Tables rows = killAWorkerMidJob(CLUSTER, SPEC, WORK);
        assertThat(rows.runs()).hasSize(64);
        assertThat(rows.layers()).hasSize(8 * 4 * 120);
    }

    /**
     * Submits {@code spec} to {@code cluster}, kills worker {@value #VICTIM} while its executor runs
     * tasks, and checks that the job finished with exactly the rows of an undisturbed local[2] run
     * (every table, each run_id once, nothing half-written); returns the rows.
     */
    static SweepRows.Tables killAWorkerMidJob(LoopbackCluster.PerClass cluster, String spec, Path work) throws Exception {
        Path out = work.resolve("out/cluster");
        Path events = Files.createDirectories(work.resolve("out/events"));
        int uiPort = LoopbackCluster.freePort();
        Map<String, String> conf = SweepRows.clusterConf(events);
        conf.put("spark.ui.port", Integer.toString(uiPort));
        Path log = work.resolve("out/submit.log");
        Process submit = cluster.cluster().submit(spec, out, log, conf);
        AtKill atKill;
        try {
            atKill = killVictimWhileItRunsTasks(cluster, submit, out, "http://127.0.0.1:" + uiPort);
            assertThat(io.initsweep.TimeLimits.waitFor(submit, 400)).as("spark-submit finished within 400 JVM starts").isTrue();
        } finally {
            submit.destroyForcibly();
        }
        assertThat(submit.exitValue()).as("spark-submit exit code; log:%n%s", Files.readString(log)).isZero();

        // The kill landed mid-job: the driver was running, the application RUNNING on the master,
        // nothing committed yet, and the victim's executor had tasks running (driver's REST API).
        assertThat(atKill.jobAlive()).isTrue();
        assertThat(atKill.appState()).isEqualTo("RUNNING");
        assertThat(atKill.committed()).isFalse();
        assertThat(atKill.activeTasks()).isPositive();
        // ...and the driver's event log agrees: a task on that executor ended lost with it, the
        // executor was removed, and every partition still succeeded (on the other worker).
        List<JsonNode> log2 = LoopbackCluster.events(events);
        List<JsonNode> lost = log2.stream()
                .filter(e -> e.path("Event").asText().equals("SparkListenerTaskEnd"))
                .filter(e -> e.path("Task Info").path("Executor ID").asText().equals(atKill.executorId()))
                .filter(e -> e.path("Task End Reason").path("Reason").asText().equals("ExecutorLostFailure"))
                .toList();
        assertThat(lost).as("tasks lost with executor %s", atKill.executorId()).isNotEmpty();
        assertThat(log2).anyMatch(e -> e.path("Event").asText().equals("SparkListenerExecutorRemoved")
                && e.path("Executor ID").asText().equals(atKill.executorId()));
        System.out.printf("%s: worker-%d killed with executor %s running %d task(s); %d task(s) ended ExecutorLostFailure%n",
                spec, VICTIM, atKill.executorId(), atKill.activeTasks(), lost.size());

        // Rows identical to an undisturbed run of the same spec, each run_id once.
        Path local = work.resolve("out/local");
        SweepRows.runLocal(spec, local);
        SweepRows.Tables afterLoss = SweepRows.read(out);
        SweepRows.Tables undisturbed = SweepRows.read(local);
        assertThat(afterLoss.runs()).isEqualTo(undisturbed.runs());
        assertThat(afterLoss.layers()).isEqualTo(undisturbed.layers());
        assertThat(afterLoss.jacobian()).isEqualTo(undisturbed.jacobian());
        assertThat(afterLoss.training()).isEqualTo(undisturbed.training());
        assertThat(Set.copyOf(afterLoss.runIds())).hasSameSizeAs(afterLoss.runIds());

        // No half-written attempt of the lost tasks is left behind.
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("_temporary") || n.contains("staging") || n.startsWith(".spark"));
        }
        return afterLoss;
    }

    /** Polls the driver until an executor of the victim worker runs a task, then kills that worker. */
    private static AtKill killVictimWhileItRunsTasks(LoopbackCluster.PerClass cluster, Process submit, Path out,
            String driverUi) throws Exception {
        long deadline = System.nanoTime() + io.initsweep.TimeLimits.jvmStarts(250).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(submit.isAlive()).as("the job ended before the victim's executor ran a task").isTrue();
            Thread.sleep(250);
            JsonNode apps;
            try {
                apps = LoopbackCluster.getJson(driverUi + "/api/v1/applications");
            } catch (Exception driverNotUpYet) {
                continue;
            }
            if (apps.isEmpty()) {
                continue;
            }
            String appId = apps.get(0).get("id").asText();
            for (JsonNode ex : LoopbackCluster.getJson(driverUi + "/api/v1/applications/" + appId + "/executors")) {
                String id = ex.get("id").asText();
                int active = ex.get("activeTasks").asInt();
                if (!id.equals("driver") && active > 0 && cluster.cluster().workerOf(appId, id) == VICTIM) {
                    boolean jobAlive = submit.isAlive();
                    String state = "";
                    for (JsonNode app : cluster.cluster().masterJson().get("activeapps")) {
                        if (app.get("id").asText().equals(appId)) {
                            state = app.get("state").asText();
                        }
                    }
                    boolean committed = Files.exists(out.resolve("manifest.json"));
                    cluster.cluster().killWorker(VICTIM);
                    return new AtKill(appId, id, active, jobAlive, state, committed);
                }
            }
        }
        throw new AssertionError("no executor of worker-" + VICTIM + " ran a task within 150 s");
    }
}
