package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.TrainingResult;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with a {@code training} block end to end in local mode: every training row and runs
 * column is the training run of its grid point ({@link ForwardPass#train}, whose kernel
 * TrainingReferenceTest holds to numpy), the same on 1 and 3 partitions, on common data across
 * inits, and a sweep without training keeps its rows.
 */
class TrainingSweepTest {
    static final String GRID = """
            seed: 5
            network: { width: 16, batch: 32, bias_std: [0, 0.1] }
            grid:
              init: [kaiming_normal, normal, {constant: {value: 0.05}}]
              activation: [relu, tanh]
              std: [1.0]
              depth: [2, 4]
              seed: [0]
            """;
    static final String TRAINING = """
            training:
              kind: classification
              outputs: 3
              samples: 96
              test_samples: 48
              optimizer: [sgd, adam]
              lr: [0.05]
              steps: 30
              batch: 16
            """;

    static SparkSession spark;
    static SweepSpec spec;
    @TempDir
    static Path dir;
    static List<Row> runs;
    static List<Row> training;
    static List<Row> trainingOnThree;
    static List<Row> layers;
    static List<Row> plainLayers;

    @BeforeAll
    static void runSweeps() {
        spark = LocalSpark.start("local[2]");
        spec = SpecParser.parse(("name: trained\n" + GRID + TRAINING).getBytes(StandardCharsets.UTF_8), "trained");
        SweepSpec plain = SpecParser.parse(("name: plain\n" + GRID).getBytes(StandardCharsets.UTF_8), "plain");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("plain");
        SweepJob.run(spark, spec, new SweepJob.Options(a.toString(), false, 1));
        SweepJob.run(spark, spec, new SweepJob.Options(b.toString(), false, 3));
        SweepJob.run(spark, plain, new SweepJob.Options(c.toString(), false, 0));
        Views.register(spark, List.of(a.toString()));
        runs = spark.table(Views.RUNS).collectAsList();
        training = spark.sql("SELECT * FROM training ORDER BY run_id, step").drop("output").collectAsList();
        layers = spark.sql("SELECT * FROM layers ORDER BY init, activation, bias_std, depth, layer, optimizer")
                .drop("output", "sweep", "run_id", "chain_id", "optimizer", "lr").collectAsList();
        Views.register(spark, List.of(b.toString()));
        trainingOnThree = spark.sql("SELECT * FROM training ORDER BY run_id, step").drop("output").collectAsList();
        Views.register(spark, List.of(c.toString()));
        plainLayers = spark.sql("SELECT * FROM layers ORDER BY init, activation, bias_std, depth, layer")
                .drop("output", "sweep", "run_id", "chain_id", "optimizer", "lr").collectAsList();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyTrainingRowIsItsGridPointsTrainingRun() {
        Map<String, Row> runById = runs.stream().collect(Collectors.toMap(r -> r.getAs("run_id"), r -> r));
        Map<String, List<Row>> rowsById = training.stream().collect(Collectors.groupingBy(r -> r.getAs("run_id")));
        ForwardPass pass = new ForwardPass();
        int points = 0;
        for (Chain chain : Grid.chains(spec)) {
            pass.run(chain.params());
            for (GridPoint point : chain.points()) {
                TrainingResult tr = pass.train(chain.params(), point.depth());
                Row run = runById.get(point.runId());
                assertThat((String) run.getAs("optimizer")).isEqualTo(chain.params().stats().training().optimizer().kind().id());
                assertThat((Double) run.getAs("lr")).isEqualTo(0.05);
                assertThat((Double) run.getAs("final_train_loss")).isEqualTo(tr.finalTrainLoss);
                assertThat((Double) run.getAs("final_test_loss")).isEqualTo(tr.finalTestLoss);
                assertThat((Double) run.getAs("baseline_test_loss")).isEqualTo(tr.baselineTestLoss);
                assertThat((Boolean) run.getAs("diverged")).isEqualTo(tr.diverged);
                assertThat((Boolean) run.getAs("trained")).isEqualTo(tr.trained);
                assertThat((Integer) run.getAs("train_records")).isEqualTo(tr.records());
                List<Row> rows = rowsById.get(point.runId());
                assertThat(rows).hasSize(tr.records());
                for (int k = 0; k < tr.records(); k++) {
                    Row r = rows.get(k);
                    assertThat((Integer) r.getAs("step")).isEqualTo(tr.step[k]);
                    assertThat((Double) r.getAs("train_loss")).isEqualTo(tr.trainLoss[k]);
                    assertThat((Double) r.getAs("test_loss")).isEqualTo(tr.testLoss[k]);
                    assertThat((Double) r.getAs("accuracy")).isEqualTo(tr.accuracy[k]);
                    List<Double> grad = r.getList(r.fieldIndex("grad_norm"));
                    List<Integer> distinct = r.getList(r.fieldIndex("distinct_units"));
                    for (int l = 0; l < point.depth(); l++) {
                        assertThat(grad.get(l)).isEqualTo(tr.gradNorm[k][l]);
                        assertThat(distinct.get(l)).isEqualTo(tr.distinctUnits[k][l]);
                    }
                    assertThat((Boolean) r.getAs("nonfinite")).isEqualTo(tr.nonfinite[k]);
                }
                points++;
            }
        }
        assertThat(points).isEqualTo(runs.size()).isEqualTo(rowsById.size());
    }

    @Test
    void trainingRowsAreTheSameOnOneAndThreePartitions() {
        assertThat(trainingOnThree).hasSameSizeAs(training);
        for (int i = 0; i < training.size(); i++) {
            assertThat(trainingOnThree.get(i)).isEqualTo(training.get(i));
        }
    }

    @Test
    void everyInitOfASeedTrainsOnTheSameData() {
        // the baseline is a function of the data set alone: one value across inits, activations and depths
        assertThat(runs.stream().map(r -> (Double) r.getAs("baseline_test_loss")).distinct()).hasSize(1);
    }

    @Test
    void theForwardRowsAreThoseOfTheSweepWithoutTraining() {
        // two optimizers: every forward row of the plain sweep twice, identical but for the keys dropped
        assertThat(layers).hasSize(2 * plainLayers.size());
        for (int i = 0; i < plainLayers.size(); i++) {
            assertThat(layers.get(2 * i)).isEqualTo(plainLayers.get(i));
            assertThat(layers.get(2 * i + 1)).isEqualTo(plainLayers.get(i));
        }
    }

    @Test
    void aConstantInitWithoutBiasKeepsOneDistinctUnitThroughTraining() {
        int checked = 0;
        Map<String, Row> runById = new HashMap<>();
        runs.forEach(r -> runById.put(r.getAs("run_id"), r));
        for (Row r : training) {
            Row run = runById.get((String) r.getAs("run_id"));
            if (run.getAs("init").equals("constant") && (Double) run.getAs("bias_std") == 0.0
                    && !(Boolean) run.getAs("diverged")) {
                List<Integer> distinct = r.getList(r.fieldIndex("distinct_units"));
                assertThat(distinct).containsOnly(1);
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }
}
