package io.initsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.LocalSpark;
import io.initsweep.job.SweepJob;
import io.initsweep.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in jobs/sql runs against real output of a small sweep, and its result holds a fact
 * known from outside the code: mean-field theory (He keeps ReLU's E[A²], Xavier halves it per
 * layer), the seed figures (std-1 sigmoid saturates, piles up in the end bins), ReLU's positive
 * homogeneity (dead units identical across inits of one seed), and counting (shares sum to 1).
 */
class CannedQueriesTest {
    static final String SPEC = """
            name: canned
            seed: 5
            network: { width: 64, batch: 256 }
            grid:
              init: [normal, xavier_normal, kaiming_normal]
              activation: [sigmoid, tanh, relu]
              std: [1.0, 0.01]
              depth: [2, 5, 10]
              seed: [0, 1]
            stats: { bins: 30 }
            gradients: true
            """;
    /**
     * A small training sweep (TrainingSweepTest's task, two seeds) for the training queries: width 16,
     * a multiple of 4, so that the constant init's layers stay one unit wide (training.md's caveat).
     */
    static final String TRAINING_SPEC = """
            name: canned-training
            seed: 5
            network: { width: 16, batch: 32 }
            grid:
              init: [kaiming_normal, normal, {constant: {value: 0.05}}]
              activation: [relu, tanh]
              std: [1.0]
              depth: [2, 4]
              seed: [0, 1]
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
    @TempDir
    static Path dir;

    @BeforeAll
    static void run() {
        spark = LocalSpark.start("local[2]");
        SweepJob.run(spark, SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "canned"),
                new SweepJob.Options(dir.resolve("sweeps/a").toString(), false, 0));
        SweepJob.run(spark, SpecParser.parse(TRAINING_SPEC.getBytes(StandardCharsets.UTF_8), "canned-training"),
                new SweepJob.Options(dir.resolve("training").toString(), false, 0));
        Views.register(spark, List.of(dir.resolve("sweeps/a").toString()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<Row> query(String file) throws IOException {
        String text = Files.readString(Path.of(System.getProperty("user.dir"), "jobs", "sql", file));
        assertThat(text).as("%s starts with a comment saying what it answers", file).startsWith("-- ");
        return spark.sql(Views.statement(text)).collectAsList();
    }

    /** The training sweep's rows of {@code sql} (a statement or, ending in .sql, a file of jobs/sql), the views put back after. */
    private static List<Row> onTraining(String sql) throws IOException {
        Views.register(spark, List.of(dir.resolve("training").toString()));
        try {
            return sql.endsWith(".sql") ? query(sql) : spark.sql(sql).collectAsList();
        } finally {
            Views.register(spark, List.of(dir.resolve("sweeps/a").toString()));
        }
    }

    private static <T> T get(Row r, String column) {
        return r.getAs(column);
    }

    private static double d(Row r, String column) {
        return ((Number) r.getAs(column)).doubleValue();
    }

    @Test
    void everyShippedFileIsTestedHere() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("user.dir"), "jobs", "sql"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrder("act_std_profile.sql", "best_init.sql", "dead_units_vs_depth.sql",
                "final_layer.sql", "layer_profile.sql", "phase_table.sql", "saturation_by_layer.sql", "seed_figure.sql",
                "seeds_story.sql", "sigmoid_histograms.sql", "critical_line.sql", "phase_diagram.sql",
                "theory_vs_measured.sql", "gradient_profile.sql", "vanishing_exploding.sql",
                "jacobian_isometry.sql", "trainability.sql", "loss_curves.sql", "symmetry.sql");
    }

    /** A training configuration's key: activation, init, init_std, depth, optimizer (lr and width are one value). */
    private static String trainingKey(Row r) {
        return get(r, "activation") + "|" + get(r, "init") + "|" + get(r, "init_std") + "|" + get(r, "depth") + "|"
                + get(r, "optimizer");
    }

    /** The median as Spark's percentile(x, 0.5) defines it: sorted (NaN last), interpolated between the middle two. */
    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = 0.5 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return lo == hi ? v[lo] : v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    private static void assertSame(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertThat(actual).isEqualTo(expected);
        } else {
            assertThat(actual).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void trainability() throws IOException {
        List<Row> rows = onTraining("trainability.sql");
        List<Row> runs = onTraining("SELECT * FROM runs");
        // 3 init configurations × 2 activations × 2 depths × 2 optimizers, both seeds each
        assertThat(rows).hasSize(3 * 2 * 2 * 2).allSatisfy(r -> assertThat((long) get(r, "seeds")).isEqualTo(2));
        Map<String, List<Row>> bySeed = runs.stream().collect(Collectors.groupingBy(CannedQueriesTest::trainingKey));
        for (Row r : rows) {
            // the same numbers straight from the runs rows of its two seeds
            List<Row> seeds = bySeed.get(trainingKey(r));
            assertThat(seeds).hasSize(2);
            assertThat(d(r, "trained_share")).isEqualTo(seeds.stream().filter(s -> (boolean) get(s, "trained")).count() / 2.0);
            assertThat((long) get(r, "diverged")).isEqualTo(seeds.stream().filter(s -> (boolean) get(s, "diverged")).count());
            assertSame(d(r, "median_test_vs_baseline"),
                    median(seeds.stream().map(s -> d(s, "final_test_loss") / d(s, "baseline_test_loss")).toList()));
            List<Double> half = seeds.stream().filter(s -> get(s, "steps_to_half_loss") != null)
                    .map(s -> d(s, "steps_to_half_loss")).toList();
            if (half.isEmpty()) {
                assertThat((Object) get(r, "median_steps_to_half_loss")).isNull();
            } else {
                assertSame(d(r, "median_steps_to_half_loss"), median(half));
            }
            if (get(r, "init").equals("constant")) {
                // the theory does not describe a constant init (not random)
                assertThat((Object) get(r, "six_xi_c")).isNull();
                assertThat((Object) get(r, "depth_over_xi_c")).isNull();
                assertThat(d(r, "sigma_w2")).isZero(); // every weight the same: no spread
            } else {
                // each seed's ξ_c from its own input (q¹): averaged over the seeds, depth / ξ_c per seed
                assertSame(d(r, "six_xi_c"), 6 * seeds.stream().mapToDouble(s -> d(s, "xi_c")).average().orElseThrow());
                assertSame(d(r, "depth_over_xi_c"),
                        seeds.stream().mapToDouble(s -> (int) get(r, "depth") / d(s, "xi_c")).average().orElseThrow());
            }
        }
        Map<String, Row> at = rows.stream().collect(Collectors.toMap(CannedQueriesTest::trainingKey, r -> r));
        // He-ReLU without bias: χ₁ = σ_w²/2 = 1 (up to the rounding of σ_w² = 16·(√(2/16))²), so ξ_c is
        // infinite or astronomically large and any depth is within 6·ξ_c
        Row he = at.get("relu|kaiming_normal|null|4|sgd");
        assertThat(d(he, "sigma_w2")).isEqualTo(2.0);
        assertThat(d(he, "six_xi_c")).isGreaterThan(1e9);
        assertThat(d(he, "depth_over_xi_c")).isLessThan(1e-9);
        // N(0, 1) on 16 units is σ_w² = 16: tanh deep in the chaotic phase, a finite ξ_c
        Row chaos = at.get("tanh|normal|1.0|4|sgd");
        assertThat(d(chaos, "sigma_w2")).isEqualTo(16.0);
        assertThat((String) get(chaos, "phase")).isEqualTo("chaotic");
        assertThat(d(chaos, "six_xi_c")).isFinite().isPositive();
    }

    @Test
    void lossCurves() throws IOException {
        List<Row> rows = onTraining("loss_curves.sql");
        List<Row> raw = onTraining("SELECT * FROM training");
        Map<String, List<Row>> bySeed = raw.stream().collect(Collectors.groupingBy(r -> trainingKey(r) + "@" + get(r, "step")));
        assertThat(rows).hasSize(bySeed.size());
        for (Row r : rows) {
            List<Row> seeds = bySeed.get(trainingKey(r) + "@" + get(r, "step"));
            assertThat((long) get(r, "seeds")).isEqualTo(seeds.size());
            for (String loss : new String[] {"train_loss", "test_loss"}) {
                assertSame(d(r, loss + "_mean"), seeds.stream().mapToDouble(s -> d(s, loss)).average().orElseThrow());
                assertSame(d(r, loss + "_min"), seeds.stream().mapToDouble(s -> d(s, loss)).min().orElseThrow());
                assertSame(d(r, loss + "_max"), seeds.stream().mapToDouble(s -> d(s, loss)).max().orElseThrow());
            }
        }
        // a constant init with its constant readout gives every class the same logit at step 0: the softmax is
        // uniform and the cross-entropy ln 3 on every sample of both seeds
        List<Row> constantAtInit = rows.stream().filter(r -> get(r, "init").equals("constant") && (int) get(r, "step") == 0)
                .toList();
        assertThat(constantAtInit).hasSize(2 * 2 * 2).allSatisfy(r -> {
            assertThat(d(r, "train_loss_min")).isCloseTo(Math.log(3), within(1e-12));
            assertThat(d(r, "test_loss_max")).isCloseTo(Math.log(3), within(1e-12));
        });
    }

    @Test
    void symmetry() throws IOException {
        List<Row> rows = onTraining("symmetry.sql");
        List<Row> raw = onTraining("SELECT * FROM training");
        Map<String, List<Row>> bySeed = raw.stream().collect(Collectors.groupingBy(r -> trainingKey(r) + "@" + get(r, "step")));
        assertThat(rows).hasSize(bySeed.size());
        for (Row r : rows) {
            List<Row> seeds = bySeed.get(trainingKey(r) + "@" + get(r, "step"));
            List<Integer> units = seeds.stream().flatMap(s -> s.<Integer>getList(s.fieldIndex("distinct_units")).stream()).toList();
            assertThat((int) get(r, "distinct_units_min")).isEqualTo(units.stream().mapToInt(Integer::intValue).min().orElseThrow());
            assertThat((int) get(r, "distinct_units_max")).isEqualTo(units.stream().mapToInt(Integer::intValue).max().orElseThrow());
            boolean constant = get(r, "init").equals("constant");
            assertThat((String) get(r, "init_kind")).isEqualTo(constant ? "constant" : "random");
            if (constant) {
                // every unit the same at initialization gets the same gradient: one distinct unit at every step
                // (width 16, a multiple of 4: no BLAS edge rounding splits them)
                assertThat((int) get(r, "distinct_units_max")).isEqualTo(1);
            } else if (get(r, "activation").equals("tanh")) {
                // tanh is one-to-one, and random weights give every unit its own pre-activations: all 16 differ
                assertThat((int) get(r, "distinct_units_min")).isEqualTo(16);
            }
        }
    }

    @Test
    void gradientProfile() throws IOException {
        List<Row> rows = query("gradient_profile.sql");
        assertThat(rows).hasSize(4 * 3 * (2 + 5 + 10)); // (normal × 2 stds, xavier, kaiming) × 3 activations × layers
        Map<String, Row> byPlace = new HashMap<>();
        for (Row r : rows) {
            byPlace.put(get(r, "activation") + "|" + get(r, "init") + "|" + get(r, "init_std") + "|" + get(r, "depth") + "|"
                    + get(r, "layer"), r);
            assertThat((long) get(r, "seeds")).isEqualTo(2);
            int depth = get(r, "depth");
            int layer = get(r, "layer");
            if (layer == depth) {
                // δ_L ~ N(0, 1): E[δ²] over 2 seeds × 256 × 64 draws, sd √(2/32768) = 0.0078
                assertThat(d(r, "grad_sq_mean")).isCloseTo(1.0, within(0.04));
                assertThat((Object) get(r, "grad_ratio")).isNull();
            }
            if (!get(r, "activation").equals("relu")) {
                assertThat((int) get(r, "distinct_units")).isEqualTo(64);
            }
        }
        // ReLU without bias: He's χ₁ = 2·½ = 1, Xavier's (σ_w² = 1 on a square layer) ½; both scale one base
        // draw and relu is positively homogeneous, so every measured ratio of Xavier is exactly half He's
        for (int depth : new int[] {2, 5, 10}) {
            for (int layer = 1; layer <= depth; layer++) {
                Row he = byPlace.get("relu|kaiming_normal|null|" + depth + "|" + layer);
                Row xavier = byPlace.get("relu|xavier_normal|null|" + depth + "|" + layer);
                assertThat(d(he, "theory_chi1")).isCloseTo(1.0, within(1e-9));
                assertThat(d(xavier, "theory_chi1")).isCloseTo(0.5, within(1e-9));
                if (layer < depth) {
                    assertThat(d(xavier, "grad_ratio") / d(he, "grad_ratio")).isCloseTo(0.5, within(1e-12));
                }
            }
        }
    }

    @Test
    void vanishingExploding() throws IOException {
        Map<String, Row> byPlace = new HashMap<>();
        for (Row r : query("vanishing_exploding.sql")) {
            byPlace.put(get(r, "activation") + "|" + get(r, "init") + "|" + get(r, "init_std") + "|" + get(r, "depth"), r);
            double log10 = d(r, "log10_first_over_last");
            assertThat((String) get(r, "gradients")).isEqualTo(log10 < -1 ? "vanishing" : log10 > 1 ? "exploding" : "flowing");
        }
        // sigmoid at N(0, 0.01²), σ_w² = 0.0064: χ₁ = σ_w²·φ'(0)² = 4e-4, so ‖δ_1‖/‖δ_L‖ ≈ χ₁^((L−1)/2) (1.6e-7 at
        // L = 5) while the activations stay near φ(0) = ½: the first layer's gradient vanishes
        assertThat((String) get(byPlace.get("sigmoid|normal|0.01|5"), "gradients")).isEqualTo("vanishing");
        assertThat((String) get(byPlace.get("sigmoid|normal|0.01|10"), "gradients")).isEqualTo("vanishing");
        // tanh at N(0, 1), σ_w² = 64: chaotic, χ₁ ≈ 64·E[sech⁴(a)], a ~ N(0, q* ≈ 60), ≈ 4.4; at L = 10
        // ‖δ_1‖/‖δ_L‖ ≈ 4.4^4.5 ≈ 800 while |tanh| stays near 1: exploding
        assertThat((String) get(byPlace.get("tanh|normal|1.0|10"), "gradients")).isEqualTo("exploding");
        assertThat(d(byPlace.get("tanh|normal|1.0|10"), "chi1_theory")).isGreaterThan(1);
        // He-ReLU is critical (χ₁ = 1): neither
        for (int depth : new int[] {2, 5, 10}) {
            assertThat((String) get(byPlace.get("relu|kaiming_normal|null|" + depth), "gradients")).isEqualTo("flowing");
        }
    }

    @Test
    void jacobianIsometry() throws IOException {
        Map<String, Row> byPlace = new HashMap<>();
        List<Row> rows = query("jacobian_isometry.sql");
        // (normal × 2 stds, xavier, kaiming) × 3 activations × 3 depths, 8 samples × 2 seeds each
        assertThat(rows).hasSize(4 * 3 * 3).allSatisfy(r -> assertThat((long) get(r, "samples")).isEqualTo(16));
        for (Row r : rows) {
            byPlace.put(get(r, "activation") + "|" + get(r, "init") + "|" + get(r, "init_std") + "|" + get(r, "depth"), r);
            assertThat(d(r, "sv_max")).isGreaterThanOrEqualTo(d(r, "sv_min"));
            assertThat(d(r, "condition")).isGreaterThanOrEqualTo(1.0);
        }
        // ReLU without bias is positively homogeneous and Xavier's weights are He's over √2 (same base
        // draws): every Jacobian of depth L is He's times 2^(−L/2), so its σ² are 2^−L of He's, their
        // variance 4^−L of it. Both are singular: a unit inactive at the last layer is a zero row of J (about
        // half of them, on every sample), so the smallest singular value is 0 up to the SVD's rounding
        for (int depth : new int[] {2, 5, 10}) {
            Row he = byPlace.get("relu|kaiming_normal|null|" + depth);
            Row xavier = byPlace.get("relu|xavier_normal|null|" + depth);
            assertThat(d(xavier, "sv_sq_mean") / d(he, "sv_sq_mean")).isCloseTo(Math.pow(0.5, depth), within(1e-9 * Math.pow(0.5, depth)));
            assertThat(d(xavier, "sv_sq_var") / d(he, "sv_sq_var")).isCloseTo(Math.pow(0.25, depth), within(1e-9 * Math.pow(0.25, depth)));
            assertThat(d(he, "condition")).isGreaterThan(1e12);
            assertThat(d(xavier, "sv_min") / d(xavier, "sv_max")).isLessThan(1e-12);
        }
        // sigmoid at N(0, 0.01²): every layer multiplies J by about σ_w·φ'(0) = 0.08·¼ per direction
        Row tiny = byPlace.get("sigmoid|normal|0.01|10");
        assertThat(d(tiny, "sv_max")).isLessThan(1e-10);
    }

    @Test
    void criticalLine() throws IOException {
        List<Row> rows = query("critical_line.sql");
        // closed forms at σ_b = 0: ReLU's χ₁ = σ_w²/2 crosses 1 at σ_w² = 2 (He), tanh's χ₁ at q* = 0 is
        // σ_w²·tanh'(0)² = σ_w², so it crosses 1 at σ_w² = 1 (Xavier on a square layer)
        List<Row> relu = rows.stream().filter(r -> get(r, "activation").equals("relu")).toList();
        List<Row> tanh = rows.stream().filter(r -> get(r, "activation").equals("tanh")).toList();
        assertThat(relu).isNotEmpty().allSatisfy(r -> assertThat(d(r, "critical_sigma_w2")).isCloseTo(2.0, within(1e-9)));
        assertThat(tanh).isNotEmpty().allSatisfy(r -> assertThat(d(r, "critical_sigma_w2")).isCloseTo(1.0, within(1e-9)));
        assertThat(rows).allSatisfy(r -> assertThat(d(r, "sigma_b2")).isZero());
    }

    @Test
    void phaseDiagram() throws IOException {
        List<Row> rows = query("phase_diagram.sql");
        // 3 activations × σ_w² ∈ {64·0.01², 1 (Xavier), 2 (He), 64 (std 1)}, each over 3 depths × 2 seeds
        assertThat(rows).hasSize(3 * 4).allMatch(r -> (long) get(r, "runs") == 6);
        Map<String, Row> at = rows.stream().collect(Collectors.toMap(
                r -> get(r, "activation") + "@" + d(r, "sigma_w2"), r -> r));
        assertThat(d(at.get("relu@2.0"), "chi1")).isCloseTo(1.0, within(1e-12));
        assertThat((String) get(at.get("relu@2.0"), "phase")).isEqualTo("critical");
        assertThat(d(at.get("relu@1.0"), "chi1")).isCloseTo(0.5, within(1e-12));
        assertThat((String) get(at.get("relu@1.0"), "phase")).isEqualTo("ordered");
        assertThat((String) get(at.get("tanh@0.0064"), "phase")).isEqualTo("ordered");
        assertThat(d(at.get("tanh@0.0064"), "chi1")).isCloseTo(0.0064, within(1e-12));
        // N(0, 1) weights on 64 units: tanh is deep in the chaotic phase, where theory's c* is small
        // and the measured correlation of samples after 10 layers is small too
        Row chaos = at.get("tanh@64.0");
        assertThat((String) get(chaos, "phase")).isEqualTo("chaotic");
        assertThat(d(chaos, "chi1")).isGreaterThan(1.0);
        assertThat(d(chaos, "final_theory_c")).isLessThan(0.2);
        assertThat(d(chaos, "final_pre_corr_mean")).isLessThan(0.3);
    }

    @Test
    void theoryVsMeasured() throws IOException {
        List<Row> rows = query("theory_vs_measured.sql");
        assertThat(rows).hasSize(20).allMatch(r -> (int) get(r, "width") == 64);
        double previous = Double.POSITIVE_INFINITY;
        for (Row r : rows) {
            double e = d(r, "q_rel_error");
            assertThat(e).isCloseTo(d(r, "pre_sq_mean") / d(r, "theory_q") - 1, within(1e-12 * Math.max(1, Math.abs(e))));
            assertThat(Math.abs(e)).isLessThanOrEqualTo(previous);
            previous = Math.abs(e);
        }
        // He-ReLU's first layer: E[A²] = 2·mean(x²) exactly in expectation, with the relative sd of a product of
        // Gaussian matrices, √(2(B + n + W + 1)/(B·n·W)); the largest departures are far beyond that
        double sd = Math.sqrt(2.0 * (256 + 64 + 64 + 1) / (256.0 * 64 * 64));
        assertThat(Math.abs(d(rows.get(0), "q_rel_error"))).isGreaterThan(5 * sd);
        List<Row> heFirst = spark.sql("SELECT q_rel_error FROM layers WHERE activation = 'relu' AND init = 'kaiming_normal'"
                + " AND layer = 1").collectAsList();
        assertThat(heFirst).hasSize(6).allSatisfy(r -> assertThat(Math.abs(d(r, "q_rel_error"))).isLessThan(5 * sd));
    }

    @Test
    void saturationByLayer() throws IOException {
        List<Row> rows = query("saturation_by_layer.sql");
        // 4 init configurations × 3 activations × 10 layers of the deepest point
        assertThat(rows).hasSize(4 * 3 * 10);
        assertThat(rows).allMatch(r -> (long) get(r, "seeds") == 2);
        Map<String, Double> layer1 = rows.stream().filter(r -> (int) get(r, "layer") == 1)
                .collect(Collectors.toMap(r -> get(r, "init_params") + "/" + get(r, "activation"), r -> d(r, "saturation_rate")));
        // the seed figure: N(0,1) weights saturate sigmoid (|a| > 4.36 for a ~ N(0, 64)); Xavier does not
        assertThat(layer1.get("normal(std=1)/sigmoid")).isGreaterThan(0.4);
        assertThat(layer1.get("xavier_normal(gain=1)/tanh")).isLessThan(0.05);
    }

    @Test
    void deadUnitsVsDepth() throws IOException {
        List<Row> rows = query("dead_units_vs_depth.sql");
        assertThat(rows).isNotEmpty().allMatch(r -> get(r, "activation").equals("relu"));
        assertThat(rows).hasSize(4 * 3);
        // without bias a ReLU network is positively homogeneous and every init draws the same base
        // weights for a seed, so the dead-unit rate depends on depth but not on the init
        Map<Integer, List<Double>> byDepth = rows.stream().collect(Collectors.groupingBy(r -> (Integer) get(r, "depth"),
                Collectors.mapping(r -> d(r, "dead_unit_rate"), Collectors.toList())));
        byDepth.values().forEach(v -> assertThat(v.stream().distinct()).hasSize(1));
    }

    @Test
    void actStdProfile() throws IOException {
        List<Row> rows = query("act_std_profile.sql");
        Map<String, Double> ratio = rows.stream().filter(r -> get(r, "activation").equals("relu"))
                .collect(Collectors.toMap(r -> get(r, "init_params") + "@" + get(r, "layer"), r -> d(r, "act_std_vs_layer1")));
        // He keeps E[A²] through ReLU layers, Xavier halves it per layer (Xavier's variance 1/n is
        // half He's 2/n); and exactly so here: both draw the same base weights for a seed and a
        // bias-free ReLU net is positively homogeneous, so Xavier's layer l is He's × 2^{-l/2} and
        // its act_std relative to layer 1 is He's × 2^{-(l-1)/2}
        String he = "kaiming_normal(gain=1.4142135623730951, mode=fan_in)";
        for (int l = 2; l <= 10; l++) {
            assertThat(ratio.get("xavier_normal(gain=1)@" + l)).as("layer %d", l)
                    .isCloseTo(ratio.get(he + "@" + l) * Math.pow(2, -(l - 1) / 2.0), within(2e-6));
        }
        assertThat(ratio.get(he + "@10")).isBetween(0.25, 4.0);
        assertThat(ratio.get("xavier_normal(gain=1)@10")).isLessThan(0.1);
        assertThat(rows).allMatch(r -> d(r, "act_std_sd") >= 0);
    }

    @Test
    void phaseTable() throws IOException {
        List<Row> rows = query("phase_table.sql");
        assertThat(rows).hasSize(4 * 3 * 3); // configurations × activations × depths
        Map<String, Double> sat = rows.stream().filter(r -> get(r, "activation").equals("sigmoid") && get(r, "init").equals("normal"))
                .collect(Collectors.toMap(r -> d(r, "std") + "@" + get(r, "depth"), r -> d(r, "saturation_rate")));
        assertThat(sat.get("1.0@10")).isGreaterThan(0.3);
        assertThat(sat.get("0.01@10")).isEqualTo(0.0);
        // fan-based inits appear at their nominal std: kaiming √(2/64), xavier √(1/64)
        assertThat(rows.stream().filter(r -> get(r, "init").equals("kaiming_normal")).map(r -> d(r, "std")).distinct())
                .containsExactly(Math.sqrt(2.0 / 64));
    }

    @Test
    void bestInit() throws IOException {
        List<Row> rows = query("best_init.sql");
        assertThat(rows).hasSize(3 * 3); // activations × depths
        Map<String, String> best = rows.stream().collect(Collectors.toMap(r -> get(r, "activation") + "@" + get(r, "depth"),
                r -> String.valueOf((Object) get(r, "best_init"))));
        // He-ReLU is healthier than Xavier-ReLU at depth 10 (Xavier's act_std has fallen by 2^-4.5)
        assertThat(best.get("relu@10")).startsWith("kaiming_normal");
        // N(0,1) saturates sigmoid and N(0, 0.01²) collapses it: neither can be the best
        assertThat(best.get("sigmoid@10")).doesNotStartWith("normal");
    }

    @Test
    void seedFigureAndSigmoidHistograms() throws IOException {
        List<Row> rows = query("seed_figure.sql");
        assertThat(rows).hasSize(10 * 30);
        // bins hold the shares of batch × width; sigmoid's [0, 1] window has no under/overflow
        Map<Integer, Double> total = rows.stream().collect(Collectors.groupingBy(r -> (Integer) get(r, "layer"),
                Collectors.summingDouble(r -> d(r, "share"))));
        total.values().forEach(t -> assertThat(t).isCloseTo(1.0, within(30 * 5e-5)));
        double ends = rows.stream().filter(r -> (int) get(r, "layer") == 1 && ((int) get(r, "bin") == 0 || (int) get(r, "bin") == 29))
                .mapToDouble(r -> d(r, "share")).sum();
        assertThat(ends).isGreaterThan(0.5); // the seed post's pile-up at 0 and 1
        assertThat(query("sigmoid_histograms.sql")).hasSize(4 * 10 * 30);
    }

    @Test
    void theOlderQueriesStillAnswer() throws IOException {
        assertThat(query("layer_profile.sql")).hasSize(4 * 3 * 10).allMatch(r -> (long) get(r, "seeds") == 2);
        assertThat(query("final_layer.sql")).hasSize(4 * 3 * 3);
        assertThat(query("seeds_story.sql")).hasSize(4 * 3);
    }

    @Test
    void aParentOfSeveralSweepsIsQueriedAsOneAndTheOutputColumnKeepsRunsApart() {
        Path second = dir.resolve("sweeps/b");
        SweepJob.run(spark, SpecParser.parse(SPEC.replace("depth: [2, 5, 10]", "depth: [3]").getBytes(StandardCharsets.UTF_8),
                "canned"), new SweepJob.Options(second.toString(), false, 0));
        assertThat(Views.expand(spark.sparkContext().hadoopConfiguration(), List.of(dir.resolve("sweeps").toString())))
                .containsExactly(dir.resolve("sweeps").resolve("a").toUri().getPath().replaceAll("/$", "").isEmpty() ? "" : 
                        new org.apache.hadoop.fs.Path(dir.resolve("sweeps").toString(), "a").toString(),
                        new org.apache.hadoop.fs.Path(dir.resolve("sweeps").toString(), "b").toString());
        try {
            Views.register(spark, List.of(dir.resolve("sweeps").toString()));
            // both runs of the spec named "canned": same sweep name, two outputs
            List<Row> r = spark.sql("SELECT sweep, output, count(*) AS n FROM runs GROUP BY sweep, output ORDER BY output").collectAsList();
            assertThat(r).hasSize(2);
            assertThat(r.get(0).getLong(2)).isEqualTo(72);
            assertThat(r.get(1).getLong(2)).isEqualTo(24);
            assertThat(spark.sql("SELECT count(*) FROM sweeps").first().getLong(0)).isEqualTo(2);
        } finally {
            Views.register(spark, List.of(dir.resolve("sweeps/a").toString()));
        }
        Throwable t = catchThrowable(() -> Views.register(spark, List.of(dir.toString() + "/nothing")));
        assertThat(t).isInstanceOf(Views.NotASweepException.class).hasMessageContaining("no finished sweep");
    }
}
