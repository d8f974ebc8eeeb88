package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.LocalSpark;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.Training;
import io.initsweep.sim.TrainingResult;
import io.initsweep.sim.TrainingSetup;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.SpecException;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Views;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a user's data set ({@code training.task: {data: FILE, label: COLUMN}}): the file's
 * first samples rows train and the next test_samples rows test, the label column split off
 * wherever it stands; the sweep's rows are the training runs on exactly those values; bad files
 * and labels are one-line errors naming the field.
 */
class TrainingDataTaskTest {
    @TempDir
    Path dir;

    /** 5 columns, the label (integer class in 0..2, or a numeric target) in the middle, 120 rows. */
    private Path csv(boolean classes) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("a,b,y,c,d\n");
        for (int i = 0; i < 120; i++) {
            double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double y = classes ? (x[0] + x[1] > 0.5 ? 2 : x[0] - x[2] > 0 ? 1 : 0) : x[0] * x[1] - x[3];
            sb.append(x[0]).append(',').append(x[1]).append(',').append(y).append(',').append(x[2]).append(',').append(x[3])
                    .append('\n');
        }
        Path p = dir.resolve(classes ? "classes.csv" : "target.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    private static SweepSpec spec(Path file, String kind, String extra) {
        String text = """
                name: data-task
                seed: 9
                network: { width: 8, input_width: 4, batch: 16 }
                grid: { init: [xavier_normal, normal], activation: [tanh], std: [1.0], depth: [2, 3], seed: [0] }
                training: { task: {data: '%s', label: y}, kind: %s, samples: 80, test_samples: 30, lr: 0.05,
                            steps: 20, batch: 16 %s}
                """.formatted(file, kind, extra);
        return SpecParser.parse(text.getBytes(StandardCharsets.UTF_8), "data-task");
    }

    /** The file's rows as the job must see them: features (label column dropped) then labels. */
    private static double[] expectedMatrix(Path file, int rows) throws IOException {
        List<String> lines = Files.readAllLines(file);
        double[] m = new double[rows * 5];
        for (int i = 0; i < rows; i++) {
            String[] f = lines.get(i + 1).split(",");
            m[i * 4] = Double.parseDouble(f[0]);
            m[i * 4 + 1] = Double.parseDouble(f[1]);
            m[i * 4 + 2] = Double.parseDouble(f[3]);
            m[i * 4 + 3] = Double.parseDouble(f[4]);
            m[rows * 4 + i] = Double.parseDouble(f[2]);
        }
        return m;
    }

    @Test
    void aClassificationSweepTrainsOnTheFilesRows() throws IOException {
        Path file = csv(true);
        SweepSpec parsed = spec(file, "classification", "");
        DataInputs.Loaded loaded = DataInputs.load(parsed, new Configuration());
        TrainingSetup t = loaded.spec().stats().trainings().get(0);
        assertThat(t.outputs()).as("classes from the labels 0..2").isEqualTo(3);
        double[] expected = expectedMatrix(file, 110);
        assertThat(loaded.matrices().get(t.dataMatrixKey())).containsExactly(expected);

        SparkSession spark = LocalSpark.start("local[2]");
        try {
            Path out = dir.resolve("out");
            SweepJob.run(spark, parsed, new SweepJob.Options(out.toString(), false, 0));
            Views.register(spark, List.of(out.toString()));
            Map<String, List<Row>> rows = spark.sql("SELECT * FROM training ORDER BY run_id, step").collectAsList().stream()
                    .collect(Collectors.groupingBy(r -> r.getAs("run_id")));
            ForwardPass pass = new ForwardPass();
            int points = 0;
            for (Chain chain : Grid.chains(loaded.spec())) {
                pass.run(chain.params());
                for (GridPoint point : chain.points()) {
                    TrainingResult tr = pass.train(chain.params(), point.depth(), expected);
                    List<Row> got = rows.get(point.runId());
                    assertThat(got).hasSize(tr.records());
                    for (int k = 0; k < tr.records(); k++) {
                        assertThat((Double) got.get(k).getAs("train_loss")).isEqualTo(tr.trainLoss[k]);
                        assertThat((Double) got.get(k).getAs("accuracy")).isEqualTo(tr.accuracy[k]);
                    }
                    points++;
                }
            }
            assertThat(points).isEqualTo(4).isEqualTo(rows.size());
            // the test set is rows 80..109: accuracy at step 0 is a multiple of 1/30
            for (List<Row> r : rows.values()) {
                double acc = r.get(0).getAs("accuracy");
                assertThat(acc * 30).isCloseTo(Math.rint(acc * 30), org.assertj.core.data.Offset.offset(1e-9));
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void aRegressionTaskReadsTheLabelAsItsTarget() throws IOException {
        Path file = csv(false);
        DataInputs.Loaded loaded = DataInputs.load(spec(file, "regression", ""), new Configuration());
        TrainingSetup t = loaded.spec().stats().trainings().get(0);
        assertThat(t.outputs()).isEqualTo(1);
        double[] m = loaded.matrices().get(t.dataMatrixKey());
        assertThat(m).containsExactly(expectedMatrix(file, 110));
        Training.Dataset d = t.dataset(m, 4);
        assertThat(d.nTrain()).isEqualTo(80);
        assertThat(d.trainTargets()[79]).isEqualTo(m[110 * 4 + 79]);
    }

    private String rejected(SweepSpec s) {
        Throwable e = catchThrowable(() -> DataInputs.load(s, new Configuration()));
        assertThat(e).isInstanceOf(SpecException.class);
        assertThat(e.getMessage()).doesNotContain("\n");
        return e.getMessage();
    }

    @Test
    void badDataSetsAreOneLineErrorsNamingTheField() throws IOException {
        Path classes = csv(true);
        Path target = csv(false);
        assertThat(rejected(spec(dir.resolve("none.csv"), "classification", ""))).contains("training.task.data", "none.csv");
        String text = Files.readString(classes).replace("a,b,y,c,d", "a,b,z,c,d");
        Path noLabel = Files.writeString(dir.resolve("nolabel.csv"), text);
        assertThat(rejected(spec(noLabel, "classification", ""))).contains("training.task.label", "'y'", "a, b, z, c, d");
        assertThat(rejected(spec(target, "classification", ""))).contains("training.task.label", "integers");
        assertThat(rejected(spec(classes, "classification", ", outputs: 2"))).contains("training.outputs", "2", "label 2");
        String more = """
                name: x
                network: { width: 8, input_width: 4, batch: 16 }
                grid: { init: [normal], activation: [tanh], std: [1.0], depth: [2], seed: [0] }
                training: { task: {data: '%s', label: y}, samples: 100, test_samples: 30, lr: 0.1, batch: 10 }
                """.formatted(classes);
        assertThat(rejected(SpecParser.parse(more.getBytes(StandardCharsets.UTF_8), "x"))).contains("training.task.data",
                "120 rows", "130");
        String wide = more.replace("input_width: 4", "input_width: 5").replace("samples: 100", "samples: 50");
        assertThat(rejected(SpecParser.parse(wide.getBytes(StandardCharsets.UTF_8), "x"))).contains("training.task.data",
                "4 feature columns", "5");
        Throwable e = catchThrowable(() -> spec(target, "regression", ", outputs: 3"));
        assertThat(e).isInstanceOf(SpecException.class).hasMessageContaining("training.outputs").hasMessageContaining("1");
        e = catchThrowable(() -> SpecParser.parse(more.replace("label: y", "lbl: y").getBytes(StandardCharsets.UTF_8), "x"));
        assertThat(e).isInstanceOf(SpecException.class).hasMessageContaining("training.task.lbl");
    }
}
