package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Worker loss during a training sweep: {@code kill -9} of one of two workers while its executor
 * trains grid points ({@link WorkerLossIT#killAWorkerMidJob}). The job finishes on the other worker
 * with exactly the rows of an undisturbed local[2] run, the training table included: a training
 * run that restarts on another executor gives the same bits.
 */
class TrainingWorkerLossIT {
    private static final String SPEC = "src/test/resources/cluster/training-worker-loss.yaml";
    @org.junit.jupiter.api.extension.RegisterExtension
    static final LoopbackCluster.PerClass CLUSTER = new LoopbackCluster.PerClass("training-worker-loss", 2);
    private static final Path WORK = CLUSTER.work();

    @Test
    void killingAWorkerMidTrainingLosesNoRowsAndDuplicatesNone() throws Exception {
        SweepRows.Tables rows = WorkerLossIT.killAWorkerMidJob(CLUSTER, SPEC, WORK);
        // 2 inits × 2 activations × 2 optimizers × 2 depths × 4 seeds = 64 runs; 32 chains × (4 + 8) layers rows
        assertThat(rows.runs()).hasSize(64);
        assertThat(rows.layers()).hasSize(32 * 12);
        // default record: step 0 and up to 20 log-spaced steps to 600 (fewer for a run that diverged)
        assertThat(rows.training()).hasSizeGreaterThan(64 * 10).hasSizeLessThanOrEqualTo(64 * 21);
    }
}
