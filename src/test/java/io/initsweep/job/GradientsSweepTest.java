package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.LocalSpark;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.GradientResult;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with {@code gradients: true} end to end in local mode: the gradient columns in Parquet
 * are the backward pass of each grid point ({@link ForwardPass#backward}, checked against Backward
 * in GradientPassTest), the forward columns are those of the same sweep without gradients, and a
 * sweep without gradients leaves them null.
 */
class GradientsSweepTest {
    static final String GRID = """
            seed: 4
            network: { width: 24, batch: 40, bias_std: [0, 0.1] }
            grid:
              init: [kaiming_normal, xavier_normal, normal, {constant: {value: 0.05}}]
              activation: [relu, tanh]
              std: [1.0, 0.01]
              depth: [3, 6]
              seed: [0]
            """;

    static SparkSession spark;
    static SweepSpec withSpec;
    @TempDir
    static Path dir;
    static List<Row> withLayers;
    static List<Row> withRuns;
    static List<Row> withoutLayers;
    static List<Row> withoutRuns;
    static List<Row> withJacobian;
    static long withoutJacobian;

    @BeforeAll
    static void runSweeps() {
        spark = LocalSpark.start("local[2]");
        withSpec = SpecParser.parse(("name: grads\ngradients: true\n" + GRID).getBytes(StandardCharsets.UTF_8), "grads");
        SweepSpec without = SpecParser.parse(("name: plain\n" + GRID).getBytes(StandardCharsets.UTF_8), "plain");
        Path a = dir.resolve("with");
        Path b = dir.resolve("without");
        SweepJob.run(spark, withSpec, new SweepJob.Options(a.toString(), false, 0));
        SweepJob.run(spark, without, new SweepJob.Options(b.toString(), false, 0));
        Views.register(spark, List.of(a.toString()));
        withLayers = spark.table(Views.LAYERS).collectAsList();
        withRuns = spark.table(Views.RUNS).collectAsList();
        withJacobian = spark.table(Views.JACOBIAN).collectAsList();
        Views.register(spark, List.of(b.toString()));
        withoutJacobian = spark.table(Views.JACOBIAN).count();
        withoutLayers = spark.table(Views.LAYERS).collectAsList();
        withoutRuns = spark.table(Views.RUNS).collectAsList();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** init, init_std, activation, bias_std, depth, layer: a layers row's place in either sweep. */
    private static String place(Row r, boolean layer) {
        return r.getAs("init") + "|" + r.getAs("init_std") + "|" + r.getAs("activation") + "|" + r.getAs("bias_std") + "|"
                + r.getAs("depth") + (layer ? "|" + r.getAs("layer") : "");
    }

    @Test
    void everyGradientColumnIsTheBackwardPassOfItsGridPoint() {
        Map<String, Row> runs = new HashMap<>();
        for (Row r : withRuns) {
            runs.put(r.getAs("run_id"), r);
        }
        Map<String, Row> layers = new HashMap<>();
        for (Row r : withLayers) {
            layers.put(r.getAs("run_id") + "|" + r.getAs("layer"), r);
        }
        ForwardPass pass = new ForwardPass();
        int checked = 0;
        for (Chain chain : Grid.chains(withSpec)) {
            pass.run(chain.params());
            for (var point : chain.points()) {
                GradientResult g = pass.backward(chain.params(), point.depth());
                Row run = runs.get(point.runId());
                assertThat((String) run.getAs("grad_error")).isEqualTo("normal");
                assertThat((Double) run.getAs("grad_first_over_last")).isEqualTo(g.gradFirstOverLast);
                assertThat((Double) run.getAs("chi1_measured")).isEqualTo(g.chi1Measured);
                assertThat((Double) run.getAs("grad_loss")).isEqualTo(g.loss);
                for (int l = 0; l < point.depth(); l++) {
                    Row row = layers.get(point.runId() + "|" + (l + 1));
                    assertThat((Double) row.getAs("grad_sq_mean")).isEqualTo(g.gradSqMean[l]);
                    assertThat((Double) row.getAs("weight_grad_norm")).isEqualTo(g.weightGradNorm[l]);
                    assertThat((Double) row.getAs("weight_grad_ratio")).isEqualTo(g.weightGradRatio[l]);
                    assertThat((Long) row.getAs("grad_nonfinite_count")).isEqualTo(g.gradNonfinite[l]);
                    if (l == point.depth() - 1) {
                        assertThat((Object) row.getAs("grad_ratio")).isNull();
                    } else {
                        assertThat((Double) row.getAs("grad_ratio")).isEqualTo(g.gradRatio[l]);
                    }
                    if (chain.params().biasStd() == 0) {
                        assertThat((Object) row.getAs("bias_grad_norm")).isNull();
                    } else {
                        assertThat((Double) row.getAs("bias_grad_norm")).isEqualTo(g.biasGradNorm[l]);
                    }
                    long counted = (Long) row.getAs("grad_log_hist_underflow") + (Long) row.getAs("grad_log_hist_overflow")
                            + (Long) row.getAs("grad_nonfinite_count");
                    for (Object c : row.getList(row.fieldIndex("grad_log_hist_counts"))) {
                        counted += (Long) c;
                    }
                    assertThat(counted).isEqualTo(40L * 24);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(withLayers.size());
    }

    @Test
    void theJacobianTableHoldsEachPointsSpectrumAtItsDepth() {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : withJacobian) {
            assertThat((Object) rows.put(r.getAs("run_id") + "|" + r.getAs("sample"), r)).isNull();
        }
        ForwardPass pass = new ForwardPass();
        int checked = 0;
        for (Chain chain : Grid.chains(withSpec)) {
            pass.run(chain.params());
            int[] depths = chain.points().stream().mapToInt(p -> p.depth()).toArray();
            for (var sp : pass.jacobian(chain.params(), depths)) {
                var point = chain.points().stream().filter(p -> p.depth() == sp.layer()).findFirst().orElseThrow();
                Row r = rows.get(point.runId() + "|" + sp.sample());
                assertThat((Integer) r.getAs("layer")).isEqualTo(point.depth());
                assertThat((Double) r.getAs("sv_sq_mean")).isEqualTo(sp.svSqMean());
                assertThat((Double) r.getAs("condition")).isEqualTo(sp.condition());
                assertThat(r.getList(r.fieldIndex("singular_values"))).hasSize(24);
                long counted = (Long) r.getAs("sv_log_hist_underflow") + (Long) r.getAs("sv_log_hist_overflow");
                for (Object c : r.getList(r.fieldIndex("sv_log_hist_counts"))) {
                    counted += (Long) c;
                }
                assertThat(counted).isEqualTo(24);
                checked++;
            }
        }
        // 8 samples (the default) of every grid point
        assertThat(checked).isEqualTo(withRuns.size() * 8).isEqualTo(withJacobian.size());
        assertThat(withoutJacobian).isZero();
    }

    @Test
    void aMissingJacobianFileIsADamagedSweep() throws Exception {
        Path copy = dir.resolve("damaged");
        org.apache.commons.io.FileUtils.copyDirectory(dir.resolve("with").toFile(), copy.toFile());
        var conf = spark.sparkContext().hadoopConfiguration();
        Views.verify(conf, copy.toString()); // whole
        Path part;
        try (var files = java.nio.file.Files.walk(copy.resolve(Views.JACOBIAN))) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        java.nio.file.Files.delete(part);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Views.verify(conf, copy.toString()))
                .isInstanceOf(Views.DamagedOutputException.class).hasMessageContaining("jacobian")
                .hasMessageContaining("holds").hasMessageContaining("manifest.json");
    }

    @Test
    void theForwardColumnsAreThoseOfTheSweepWithoutGradients() {
        Map<String, Row> plain = new HashMap<>();
        for (Row r : withoutLayers) {
            plain.put(place(r, true), r);
        }
        assertThat(withLayers).hasSameSizeAs(withoutLayers);
        for (Row r : withLayers) {
            Row p = plain.get(place(r, true));
            for (String c : List.of("pre_sq_mean", "act_std", "saturation_rate", "pre_corr_mean", "weight_rms")) {
                assertThat((Object) r.getAs(c)).as(c + " at " + place(r, true)).isEqualTo(p.getAs(c));
            }
            assertThat(r.getList(r.fieldIndex("hist_counts"))).isEqualTo(p.getList(p.fieldIndex("hist_counts")));
        }
        for (Row r : withoutLayers) {
            for (String c : List.of("grad_sq_mean", "grad_ratio", "weight_grad_norm", "weight_grad_ratio", "bias_grad_norm",
                    "grad_log_hist_counts", "grad_log_hist_edges", "grad_nonfinite_count", "distinct_units")) {
                assertThat((Object) r.getAs(c)).as(c).isNull();
            }
        }
        for (Row r : withoutRuns) {
            for (String c : List.of("grad_error", "grad_loss", "grad_first_over_last", "chi1_measured")) {
                assertThat((Object) r.getAs(c)).as(c).isNull();
            }
        }
    }

    @Test
    void aConstantInitWithoutBiasHasOneDistinctUnitInEveryLayer() {
        for (Row r : withLayers) {
            int distinct = r.getAs("distinct_units");
            boolean constant = "constant".equals(r.getAs("init"));
            if (constant && (Double) r.getAs("bias_std") == 0) {
                assertThat(distinct).as(place(r, true)).isEqualTo(1);
            } else if (!"relu".equals(r.getAs("activation"))) {
                // tanh of distinct pre-activation columns stays distinct (a dead relu column of zeros can repeat)
                assertThat(distinct).as(place(r, true)).isEqualTo(24);
            }
        }
    }

    @Test
    void withoutABiasXavierReluHasHalfHesGradientRatio() {
        Map<String, Double> chi1 = new HashMap<>();
        for (Row r : withRuns) {
            if ("relu".equals(r.getAs("activation")) && (Double) r.getAs("bias_std") == 0) {
                chi1.put(r.getAs("init") + "|" + r.getAs("depth"), r.getAs("chi1_measured"));
            }
        }
        for (int depth : new int[] {3, 6}) {
            assertThat(chi1.get("xavier_normal|" + depth) / chi1.get("kaiming_normal|" + depth)).isCloseTo(0.5, within(1e-12));
        }
    }
}
