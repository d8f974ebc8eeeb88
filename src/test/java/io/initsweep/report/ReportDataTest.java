package io.initsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.LocalSpark;
import io.initsweep.job.SweepJob;
import io.initsweep.report.ReportData.GradientHeatmap;
import io.initsweep.report.ReportData.GradientLine;
import io.initsweep.report.ReportData.GradientProfile;
import io.initsweep.report.ReportData.Heatmap;
import io.initsweep.report.ReportData.HistogramRow;
import io.initsweep.report.ReportData.Histograms;
import io.initsweep.report.ReportData.LayerHistogram;
import io.initsweep.report.ReportData.Profile;
import io.initsweep.report.ReportData.ProfileLine;
import io.initsweep.spec.SpecParser;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The numbers the report draws come from the written tables: every expected value here is read
 * from the Parquet files by DuckDB (another engine, its own SQL), never from the report's code.
 */
class ReportDataTest {
    static final String SPEC = """
            name: report-data
            seed: 5
            network: { width: 16, batch: 200 }
            grid:
              init: [normal, xavier_normal, kaiming_normal, uniform]
              activation: [sigmoid, tanh, relu]
              std: [1.0, 0.01]
              depth: [3, 12]
              seed: [0, 1]
            stats: { bins: 12 }
            """;
    /** A small sweep with gradients at initialization: two inits, one of them with two stds. */
    static final String GRADIENT_SPEC = """
            name: report-gradients
            seed: 7
            network: { width: 8, batch: 40 }
            grid:
              init: [normal, xavier_normal]
              activation: [tanh, relu]
              std: [1.0, 0.01]
              depth: [2, 5]
              seed: [0, 1]
            stats: { bins: 8 }
            gradients: true
            """;
    /** Orthogonal against Gaussian weights at equal depth, for the Jacobian's spectrum. */
    static final String JACOBIAN_SPEC = """
            name: report-jacobian
            seed: 11
            network: { width: 8, batch: 40 }
            grid:
              init: [normal, xavier_normal, kaiming_normal, {orthogonal: {gain: auto}}]
              activation: [tanh, relu]
              std: [1.0]
              depth: [2, 4]
              seed: [0, 1]
            stats: { bins: 8 }
            gradients: true
            """;
    /**
     * A small (σ_w², σ_b²) grid with gradients: variance_scaling with σ_w² ∈ {0.5, 1, 1.5, 3} × bias_std
     * {0, 0.3} × tanh and relu. It brackets the closed-form critical points at σ_b = 0: tanh's σ_w² =
     * 1 (a grid value) and relu's σ_w² = 2 (between 1.5 and 3, where relu's χ₁ = σ_w²/2 is linear).
     */
    static final String THEORY_SPEC = """
            name: report-theory
            seed: 13
            network: { width: 16, batch: 32, bias_std: [0, 0.3] }
            grid:
              init:
                - {variance_scaling: {scale: 0.5, mode: fan_in, distribution: normal}}
                - {variance_scaling: {scale: 1.0, mode: fan_in, distribution: normal}}
                - {variance_scaling: {scale: 1.5, mode: fan_in, distribution: normal}}
                - {variance_scaling: {scale: 3.0, mode: fan_in, distribution: normal}}
              activation: [tanh, relu]
              depth: [3]
              seed: [0, 1]
            stats: { bins: 8 }
            gradients: true
            """;
    /**
     * A small training sweep (as TrainingSweepTest's, ~10 s): σ_w² ∈ {1, 16} (normal std 0.25 and 1 at
     * width 16) and a constant init, depths 2 and 4, two seeds and two learning rates. At lr 0.5 relu's
     * σ_w² = 16 diverges at depth 4 (both seeds, at step 2) and some tanh runs train.
     */
    static final String TRAINING_SPEC = """
            name: report-training
            seed: 5
            network: { width: 16, batch: 32 }
            grid:
              init: [normal, {constant: {value: 0.05}}]
              activation: [tanh, relu]
              std: [1.0, 0.25]
              depth: [2, 4]
              seed: [0, 1]
            training:
              kind: classification
              outputs: 3
              samples: 96
              test_samples: 48
              optimizer: [sgd]
              lr: [0.05, 0.5]
              steps: 30
              batch: 16
            """;
    private static final double TOLERANCE = 1e-12;

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String out;
    static String gradientOut;
    static String jacobianOut;
    static String theoryOut;
    static String trainingOut;
    static Connection duck;

    @BeforeAll
    static void writeSweep() throws SQLException {
        spark = LocalSpark.start("local[2]");
        out = tmp.resolve("sweep").toString();
        SweepJob.run(spark, SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "report-data"),
                new SweepJob.Options(out, false, 0));
        gradientOut = tmp.resolve("gradients").toString();
        SweepJob.run(spark, SpecParser.parse(GRADIENT_SPEC.getBytes(StandardCharsets.UTF_8), "report-gradients"),
                new SweepJob.Options(gradientOut, false, 0));
        jacobianOut = tmp.resolve("jacobian").toString();
        SweepJob.run(spark, SpecParser.parse(JACOBIAN_SPEC.getBytes(StandardCharsets.UTF_8), "report-jacobian"),
                new SweepJob.Options(jacobianOut, false, 0));
        theoryOut = tmp.resolve("theory").toString();
        SweepJob.run(spark, SpecParser.parse(THEORY_SPEC.getBytes(StandardCharsets.UTF_8), "report-theory"),
                new SweepJob.Options(theoryOut, false, 0));
        trainingOut = tmp.resolve("training").toString();
        SweepJob.run(spark, SpecParser.parse(TRAINING_SPEC.getBytes(StandardCharsets.UTF_8), "report-training"),
                new SweepJob.Options(trainingOut, false, 0));
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            for (String table : List.of(Views.LAYERS, Views.RUNS)) {
                s.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('" + out.replace("'", "''") + "/" + table
                        + "/**/*.parquet', hive_partitioning = true)");
                s.execute("CREATE VIEW jacobian_" + table + " AS SELECT * FROM read_parquet('" + jacobianOut.replace("'", "''")
                        + "/" + table + "/**/*.parquet', hive_partitioning = true)");
                s.execute("CREATE VIEW theory_" + table + " AS SELECT * FROM read_parquet('" + theoryOut.replace("'", "''")
                        + "/" + table + "/**/*.parquet', hive_partitioning = true)");
                s.execute("CREATE VIEW gradient_" + table + " AS SELECT * FROM read_parquet('" + gradientOut.replace("'", "''")
                        + "/" + table + "/**/*.parquet', hive_partitioning = true)");
            }
            for (String table : List.of(Views.RUNS, Views.TRAINING)) {
                s.execute("CREATE VIEW training_" + table + " AS SELECT * FROM read_parquet('" + trainingOut.replace("'", "''")
                        + "/" + table + "/**/*.parquet', hive_partitioning = true)");
            }
            s.execute("CREATE VIEW jacobian_jacobian AS SELECT * FROM read_parquet('" + jacobianOut.replace("'", "''")
                    + "/jacobian/**/*.parquet', hive_partitioning = true)");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        duck.close();
        spark.stop();
    }

    @BeforeEach
    void registerViews() {
        // tests below may replace the views; start each from the written sweep
        Views.register(spark, List.of(out));
    }

    @Test
    void keysAreReadFromTheViewsAndExcludeIdentifiersFromConfigurations() {
        Keys keys = new ReportData(spark).keys;
        assertThat(keys.all()).contains("sweep", "run_id", "chain_id", "init", "activation", "init_std", "depth", "seed",
                "width", "dtype").doesNotContain("layer", "act_std", "hist_counts");
        assertThat(keys.config()).doesNotContain("run_id", "chain_id", "seed").contains("depth", "init_std", "width");
        // init_params restates init and its settings; gain varies with the init (kaiming √2, xavier 1, none)
        assertThat(keys.varying()).containsExactlyInAnyOrder("init", "init_params", "gain", "activation", "init_std",
                "weight_std", "depth");
    }

    @Test
    void defaultHistogramRowsAreTheSeedFiguresAtSeedZeroAndTheLargestDepthUpToTen() throws SQLException {
        Histograms h = new ReportData(spark).histograms(null);
        assertThat(h.fallback()).isFalse();
        // normal std 1 and 0.01, xavier_normal, kaiming_normal × sigmoid, tanh, relu; uniform is not a seed figure
        assertThat(h.rows()).hasSize(4 * 3);
        assertThat(h.rows()).allSatisfy(r -> {
            assertThat(r.seed()).isZero();
            assertThat(r.depth()).isEqualTo(3);
            assertThat(r.layers()).extracting(LayerHistogram::layer).containsExactly(1, 2, 3);
            assertThat(r.config().get("init")).isNotEqualTo("uniform");
        });
        // the story's order: sigmoid rows first, normal std 1 before std 0.01 before xavier before kaiming
        assertThat(h.rows().subList(0, 4)).extracting(r -> r.config().label(Set.of()))
                .containsExactly("normal, sigmoid, std 1", "normal, sigmoid, std 0.01", "xavier_normal, sigmoid, weight_std 0.25",
                        "kaiming_normal, sigmoid, weight_std 0.3536");

        for (HistogramRow row : h.rows()) {
            for (LayerHistogram layer : row.layers()) {
                List<Long> counts = duckLongs("SELECT hist_counts FROM layers WHERE run_id = ? AND layer = ?", row.runId(),
                        layer.layer());
                assertThat(Arrays.stream(layer.counts()).boxed().toList()).as(row.runId() + " layer " + layer.layer())
                        .isEqualTo(counts);
                assertThat(layer.total()).isEqualTo(16L * 200);
            }
        }
    }

    @Test
    void histogramBarsAreTheWrittenCountsAtTheBinCentres() throws SQLException {
        HistogramRow row = new ReportData(spark).histograms("init = 'normal' AND init_std = 1.0 AND activation = 'tanh'")
                .rows().get(0);
        LayerHistogram layer = row.layers().get(1);
        CategoryChart chart = Charts.histogram(layer, Charts.rowYMax(row));

        List<Long> counts = duckLongs("SELECT hist_counts FROM layers WHERE run_id = ? AND layer = 2", row.runId());
        List<Double> edges = duckDoubles("SELECT hist_edges FROM layers WHERE run_id = ? AND layer = 2", row.runId());
        var series = chart.getSeries("count");
        assertThat(Arrays.stream(series.getYData()).mapToLong(y -> (long) y).boxed().toList()).isEqualTo(counts);
        List<Double> centres = new ArrayList<>();
        for (int k = 0; k + 1 < edges.size(); k++) {
            centres.add((edges.get(k) + edges.get(k + 1)) / 2);
        }
        assertThat(series.getXData().stream().map(x -> ((Number) x).doubleValue()).toList()).isEqualTo(centres);
        // one y scale per row: the row's largest count, with headroom
        long rowMax = 0;
        for (int l = 1; l <= row.depth(); l++) {
            rowMax = Math.max(rowMax, duckLongs("SELECT hist_counts FROM layers WHERE run_id = ? AND layer = ?", row.runId(), l)
                    .stream().mapToLong(Long::longValue).max().orElseThrow());
        }
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(rowMax * 1.05);
    }

    @Test
    void aConditionChoosesRowsAndDeepNetworksShowTenLayersSpreadOverTheDepth() {
        ReportData data = new ReportData(spark);
        Histograms h = data.histograms("activation = 'relu' AND depth = 12 AND init = 'uniform'");
        assertThat(h.rows()).hasSize(2); // std 1 and 0.01
        assertThat(h.rows()).allSatisfy(r -> {
            assertThat(r.depth()).isEqualTo(12);
            assertThat(r.seed()).isZero();
            assertThat(r.layers()).extracting(LayerHistogram::layer).containsExactly(1, 2, 3, 5, 6, 7, 8, 10, 11, 12);
        });
        assertThat(ReportData.shownLayers(5, 10)).containsExactly(1, 2, 3, 4, 5);
        assertThat(ReportData.shownLayers(50, 10)).hasSize(10).startsWith(1).endsWith(50);

        assertThatThrownBy(() -> data.histograms("init = 'glorot_magic'")).isInstanceOf(ReportException.class)
                .hasMessage("--histograms \"init = 'glorot_magic'\" matches no grid point of the sweep");
    }

    @Test
    void withoutSeedFigureConfigurationsTheFirstFewConfigurationsAreShown() {
        spark.table(Views.RUNS).where("seed = 1").createOrReplaceTempView(Views.RUNS);
        Histograms h = new ReportData(spark).histograms(null);
        assertThat(h.fallback()).isTrue();
        assertThat(h.rows()).hasSize(ReportData.FALLBACK_ROWS);
        assertThat(h.rows()).allSatisfy(r -> {
            assertThat(r.seed()).isEqualTo(1);
            assertThat(r.depth()).isEqualTo(3);
        });
        assertThat(h.rows().get(0).config().label(Set.of())).isEqualTo("normal, sigmoid, std 1");
    }

    @Test
    void figuresAreTheReportsRowsHeatmapsAndProfilesOneImageEach() {
        ReportData data = new ReportData(spark);
        Figures figures = Figures.of(spark);

        List<Figures.Figure> seeds = figures.seedFigures(null);
        List<HistogramRow> rows = data.histograms(null).rows();
        assertThat(seeds).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(seeds.get(i).title()).startsWith(rows.get(i).config().label(data.keys.varying()))
                    .contains("seed 0 · depth 3");
            assertThat(seeds.get(i).image().getWidth()).isGreaterThanOrEqualTo(rows.get(i).layers().size() * Charts.HISTOGRAM_WIDTH);
        }
        assertThat(figures.seedFigures("activation = 'relu' AND depth = 12")).allSatisfy(f -> assertThat(f.title())
                .contains("depth 12 · 10 of 12 layers shown"));
        assertThat(figures.rateHeatmaps()).hasSameSizeAs(data.heatmaps()).allSatisfy(f ->
                assertThat(f.image().getWidth()).isGreaterThanOrEqualTo(2 * Charts.HEATMAP_WIDTH));
        assertThat(figures.actStdProfiles()).extracting(Figures.Figure::title).hasSize(3)
                .allSatisfy(t -> assertThat(t).contains("act_std by layer"));
        assertThat(figures.preSqMeanProfiles()).hasSize(3);
    }

    @Test
    void heatmapCellsAreTheSeedAveragesOfTheFinalLayer() throws SQLException {
        List<Heatmap> maps = new ReportData(spark).heatmaps();
        assertThat(maps).hasSize(4 * 3);
        Heatmap normalTanh = maps.stream().filter(m -> m.panel().get("init").equals("normal")
                && m.panel().get("activation").equals("tanh")).findFirst().orElseThrow();
        assertThat(normalTanh.settings()).extracting(c -> c.get("init_std")).containsExactly(0.01, 1.0);
        assertThat(normalTanh.labels()).containsExactly("0.01", "1");
        assertThat(normalTanh.depths()).containsExactly(3, 12);
        Heatmap xavierRelu = maps.stream().filter(m -> m.panel().get("init").equals("xavier_normal")
                && m.panel().get("activation").equals("relu")).findFirst().orElseThrow();
        assertThat(xavierRelu.settings()).extracting(c -> c.get("init_std")).containsExactly((Double) null);
        assertThat(xavierRelu.labels()).containsExactly("derived");

        for (Heatmap m : maps) {
            for (int x = 0; x < m.settings().size(); x++) {
                for (int y = 0; y < m.depths().size(); y++) {
                    Double std = (Double) m.settings().get(x).get("init_std");
                    String sql = "SELECT avg(saturation_rate), avg(dead_unit_rate), count(*) FROM runs WHERE init = ? AND"
                            + " activation = ? AND depth = ? AND " + (std == null ? "init_std IS NULL" : "init_std = " + std + "::DOUBLE");
                    try (PreparedStatement p = duck.prepareStatement(sql)) {
                        p.setString(1, (String) m.panel().get("init"));
                        p.setString(2, (String) m.panel().get("activation"));
                        p.setInt(3, m.depths().get(y));
                        try (ResultSet rs = p.executeQuery()) {
                            rs.next();
                            assertThat(m.saturation()[x][y]).isCloseTo(rs.getDouble(1), within(TOLERANCE));
                            assertThat(m.deadUnits()[x][y]).isCloseTo(rs.getDouble(2), within(TOLERANCE));
                            assertThat(m.seeds()[x][y]).isEqualTo(rs.getLong(3)).isEqualTo(2);
                        }
                    }
                }
            }
        }
        // and the chart holds exactly those cells
        HeatMapChart chart = Charts.heatmap(normalTanh, "saturation_rate", normalTanh.saturation());
        List<Number[]> cells = new ArrayList<>(chart.getHeatMapSeries().getHeatData());
        assertThat(cells).hasSize(4);
        for (Number[] c : cells) {
            assertThat(c[2].doubleValue()).isEqualTo(normalTanh.saturation()[c[0].intValue()][c[1].intValue()]);
        }
    }

    @Test
    void layerProfilesAreSeedAveragesWithEachChainLayerCountedOnce() throws SQLException {
        List<Profile> profiles = new ReportData(spark).profiles();
        assertThat(profiles).extracting(p -> p.panel().get("activation")).containsExactly("sigmoid", "tanh", "relu");
        for (Profile p : profiles) {
            assertThat(p.lines()).hasSize(6); // normal × 2, uniform × 2, xavier, kaiming
            for (ProfileLine line : p.lines()) {
                assertThat(line.layers()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
                assertThat(line.seeds()).isEqualTo(2);
                // the deepest grid point of each seed holds every layer once
                Double std = (Double) line.init().get("init_std");
                String sql = "SELECT layer, avg(act_std), avg(pre_sq_mean) FROM layers WHERE depth = 12 AND init = ? AND"
                        + " activation = ? AND " + (std == null ? "init_std IS NULL" : "init_std = " + std + "::DOUBLE")
                        + " GROUP BY layer ORDER BY layer";
                try (PreparedStatement ps = duck.prepareStatement(sql)) {
                    ps.setString(1, (String) line.init().get("init"));
                    ps.setString(2, (String) p.panel().get("activation"));
                    try (ResultSet rs = ps.executeQuery()) {
                        for (int i = 0; i < 12; i++) {
                            assertThat(rs.next()).isTrue();
                            assertThat(line.actStd()[i]).isCloseTo(rs.getDouble(2), within(TOLERANCE * Math.max(1, rs.getDouble(2))));
                            assertThat(line.preSqMean()[i]).isCloseTo(rs.getDouble(3),
                                    within(TOLERANCE * Math.max(1, rs.getDouble(3))));
                        }
                    }
                }
            }
            XYChart chart = Charts.profile("t", "act_std", p.lines(), ProfileLine::actStd, Set.of(), new ArrayList<>());
            assertThat(chart.getSeriesCollection()).hasSize(6);
            assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
        }
    }

    @Test
    void aSweepWithoutGradientsHasNoGradientFigures() {
        ReportData data = new ReportData(spark);
        assertThat(data.hasGradients()).isFalse();
        assertThat(data.gradients()).isSameAs(ReportData.Gradients.NONE);
        assertThat(data.gradients().present()).isFalse();
        Figures figures = Figures.of(spark);
        assertThat(figures.gradientProfiles()).isEmpty();
        assertThat(figures.gradientHeatmaps()).isEmpty();
        assertThat(data.jacobianSpectra()).isEmpty();
        assertThat(figures.jacobianSpectra()).isEmpty();
    }

    /**
     * The Jacobian's spectrum: per activation at the largest depth (4), one series per init
     * (orthogonal and three Gaussian ones), each bin's count equal to the count of log10 σ in it
     * over the singular values DuckDB reads from the jacobian files (every sample and seed), with
     * the bins a quarter decade apart from the panel's smallest log10 σ; zeros and values outside
     * [−8, 4] counted as outside.
     */
    @Test
    void jacobianHistogramsCountTheSingularValuesOfEverySampleAndSeedAtTheLargestDepth() throws SQLException {
        Views.register(spark, List.of(jacobianOut));
        ReportData data = new ReportData(spark);
        List<ReportData.JacobianSpectrum> spectra = data.jacobianSpectra();
        assertThat(data.gradients().spectra()).hasSize(2);
        assertThat(spectra).extracting(s -> s.panel().get("activation")).containsExactly("tanh", "relu");
        for (ReportData.JacobianSpectrum s : spectra) {
            String activation = (String) s.panel().get("activation");
            assertThat(s.depth()).isEqualTo(4);
            assertThat(s.series()).extracting(x -> x.init().get("init")).containsExactly("normal", "xavier_normal",
                    "kaiming_normal", "orthogonal");
            // the singular values as DuckDB reads them, per init
            List<List<Double>> perInit = new ArrayList<>();
            List<Long> rowsPerInit = new ArrayList<>();
            double min = Double.POSITIVE_INFINITY;
            double maxLog = Double.NEGATIVE_INFINITY;
            for (ReportData.SpectrumSeries series : s.series()) {
                List<Double> values = new ArrayList<>();
                long rows = 0;
                try (PreparedStatement p = duck.prepareStatement("SELECT singular_values FROM jacobian_jacobian WHERE"
                        + " activation = ? AND init = ? AND depth = 4")) {
                    p.setString(1, activation);
                    p.setString(2, (String) series.init().get("init"));
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                            for (Object v : (Object[]) rs.getArray(1).getArray()) {
                                values.add(((Number) v).doubleValue());
                            }
                        }
                    }
                }
                assertThat(rows).isEqualTo(2 * 8); // 2 seeds × 8 samples
                assertThat(values).hasSize(2 * 8 * 8); // min(width, input_width) values each
                perInit.add(values);
                rowsPerInit.add(rows);
                for (double v : values) {
                    double l = v > 0 && Double.isFinite(v) ? StrictMath.log10(v) : Double.NaN;
                    if (l >= -8 && l <= 4) {
                        min = Math.min(min, l);
                        maxLog = Math.max(maxLog, l);
                    }
                }
            }
            double lo = Math.floor(min * 4) / 4;
            double hi = Math.floor(maxLog * 4) / 4 + 0.25;
            int bins = (int) Math.round((hi - lo) * 4);
            assertThat(s.edges()).hasSize(bins + 1);
            assertThat(s.edges()[0]).isEqualTo(lo);
            assertThat(s.edges()[bins]).isCloseTo(hi, within(1e-12));
            for (int i = 0; i < s.series().size(); i++) {
                ReportData.SpectrumSeries series = s.series().get(i);
                long[] expected = new long[bins];
                long outside = 0;
                for (double v : perInit.get(i)) {
                    // Spark's log10 is StrictMath's
                    double l = v > 0 && Double.isFinite(v) ? StrictMath.log10(v) : Double.NaN;
                    if (l >= -8 && l <= 4) {
                        expected[(int) Math.floor((l - lo) * 4)]++;
                    } else {
                        outside++;
                    }
                }
                assertThat(series.counts()).as("%s %s", activation, series.init()).containsExactly(expected);
                assertThat(series.outside()).isEqualTo(outside);
                assertThat(series.values()).isEqualTo(perInit.get(i).size());
                assertThat(series.rows()).isEqualTo(rowsPerInit.get(i));
            }
            // ReLU's Jacobian has a zero row per unit off on a sample: some σ are 0 up to rounding
            if (activation.equals("relu")) {
                assertThat(s.series()).anySatisfy(x -> assertThat(x.outside()).isPositive());
                assertThat(Charts.spectrumOutsideCaption(s, Set.of())).contains("singular values outside [1e-8, 1e4]");
            }
            // the chart: a line per init through the share of its values per bin, at the bin centres
            XYChart chart = Charts.jacobianSpectrum("t", s, data.keys.varying());
            assertThat(chart.getSeriesCollection()).hasSize(4);
            XYSeries first = chart.getSeriesCollection().iterator().next();
            assertThat(first.getXData()[0]).isEqualTo(lo + 0.125);
            for (int k = 0; k < bins; k++) {
                assertThat(first.getYData()[k]).isEqualTo(s.series().get(0).counts()[k] / (double) s.series().get(0).values());
            }
        }
        assertThat(Figures.of(spark).jacobianSpectra()).hasSize(2).allSatisfy(f -> assertThat(f.title())
                .contains("singular values of ∂X_L/∂x at depth 4"));
    }

    /**
     * E[δ²] per layer: per activation a line per init setting, at the configuration's largest depth
     * (5), each layer's grad_sq_mean averaged over the two seeds as DuckDB computes it from the files.
     */
    @Test
    void gradientProfilesAreSeedAveragesOfGradSqMeanAtTheLargestDepth() throws SQLException {
        Views.register(spark, List.of(gradientOut));
        ReportData data = new ReportData(spark);
        assertThat(data.hasGradients()).isTrue();
        List<GradientProfile> profiles = data.gradientProfiles();
        assertThat(profiles).extracting(p -> p.panel().get("activation")).containsExactly("tanh", "relu");
        for (GradientProfile p : profiles) {
            // the story's order: normal std 1, normal std 0.01, xavier_normal
            assertThat(p.lines()).extracting(l -> l.init().label(Set.of())).containsExactly("normal, std 1", "normal, std 0.01",
                    "xavier_normal, weight_std 0.3536");
            for (GradientLine line : p.lines()) {
                assertThat(line.depth()).isEqualTo(5);
                assertThat(line.layers()).containsExactly(1, 2, 3, 4, 5);
                assertThat(line.seeds()).isEqualTo(2);
                Double std = (Double) line.init().get("init_std");
                String sql = "SELECT layer, grad_sq_mean FROM gradient_layers WHERE depth = 5 AND init = ? AND activation = ? AND "
                        + (std == null ? "init_std IS NULL" : "init_std = " + std + "::DOUBLE") + " ORDER BY layer, seed";
                double[] sum = new double[5];
                int[] n = new int[5];
                try (PreparedStatement ps = duck.prepareStatement(sql)) {
                    ps.setString(1, (String) line.init().get("init"));
                    ps.setString(2, (String) p.panel().get("activation"));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sum[rs.getInt(1) - 1] += rs.getDouble(2);
                            n[rs.getInt(1) - 1]++;
                        }
                    }
                }
                for (int i = 0; i < 5; i++) {
                    assertThat(n[i]).isEqualTo(2);
                    double expected = sum[i] / n[i];
                    assertThat(expected).isPositive();
                    assertThat(line.gradSqMean()[i]).as("%s %s layer %d", p.panel(), line.init(), i + 1)
                            .isCloseTo(expected, within(TOLERANCE * Math.max(1, expected)));
                }
            }
            // drawn on a log axis, a series per line whose name says the depth drawn
            List<String> omitted = new ArrayList<>();
            XYChart chart = Charts.gradientProfile("t", p.lines(), data.keys.varying(), omitted);
            assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
            assertThat(chart.getSeriesCollection()).hasSize(3).allSatisfy(series -> assertThat(series.getName()).endsWith(
                    "depth 5"));
            assertThat(omitted).isEmpty();
            assertThat(chart.getSeriesCollection().iterator().next().getYData()).containsExactly(p.lines().get(0).gradSqMean());
        }
        // the forward profiles still count each chain layer once, over every depth
        assertThat(data.profiles()).allSatisfy(p -> assertThat(p.lines()).allSatisfy(l -> assertThat(l.layers()).hasSize(5)));
    }

    /**
     * The vanishing/exploding heatmap: log10(grad_first_over_last) over (init_std × depth), one per
     * activation, only inits with an init_std; each cell the mean over seeds of log10 of the values
     * DuckDB reads from the runs files.
     */
    @Test
    void gradientHeatmapCellsAreSeedMeansOfLog10FirstOverLast() throws SQLException {
        Views.register(spark, List.of(gradientOut));
        List<GradientHeatmap> maps = new ReportData(spark).gradientHeatmaps();
        assertThat(maps).extracting(m -> m.panel().get("activation")).containsExactly("tanh", "relu");
        for (GradientHeatmap m : maps) {
            assertThat(m.panel().has("init")).isFalse();
            assertThat(m.axis()).isEqualTo("init_std");
            assertThat(m.settings()).extracting(c -> c.get("init")).containsOnly("normal");
            assertThat(m.labels()).containsExactly("0.01", "1");
            assertThat(m.depths()).containsExactly(2, 5);
            for (int x = 0; x < 2; x++) {
                for (int y = 0; y < 2; y++) {
                    List<Double> raw = duckValues("SELECT grad_first_over_last FROM gradient_runs WHERE init = 'normal' AND"
                            + " activation = ? AND init_std = ?::DOUBLE AND depth = ? ORDER BY seed", m.panel().get("activation"),
                            m.settings().get(x).get("init_std"), m.depths().get(y));
                    assertThat(raw).hasSize(2);
                    double expected = raw.stream().mapToDouble(Math::log10).average().orElseThrow();
                    assertThat(m.log10FirstOverLast()[x][y]).as("%s %s depth %d", m.panel(), m.labels().get(x), m.depths().get(y))
                            .isCloseTo(expected, within(TOLERANCE * Math.max(1, Math.abs(expected))));
                    assertThat(m.seeds()[x][y]).isEqualTo(2);
                }
            }
            // the chart: those cells, a colour scale symmetric around 0 over the largest |value| in whole decades (at least 1)
            HeatMapChart chart = Charts.gradientHeatmap(m);
            List<Number[]> cells = new ArrayList<>(chart.getHeatMapSeries().getHeatData());
            assertThat(cells).hasSize(4);
            double bound = 1;
            for (Number[] c : cells) {
                double v = c[2].doubleValue();
                assertThat(v).isEqualTo(m.log10FirstOverLast()[c[0].intValue()][c[1].intValue()]);
                bound = Math.max(bound, Math.ceil(Math.abs(v)));
            }
            assertThat(chart.getStyler().getMin()).isEqualTo(-bound);
            assertThat(chart.getStyler().getMax()).isEqualTo(bound);
            assertThat(chart.getStyler().isShowValue()).isTrue();
        }
        // one cell again from the runs files as Spark reads them without the views (tanh, normal std 1, depth 5)
        List<Row> rows = spark.read().parquet(gradientOut + "/runs")
                .where("activation = 'tanh' AND init = 'normal' AND init_std = 1.0 AND depth = 5")
                .select("seed", "grad_first_over_last").collectAsList();
        assertThat(rows).hasSize(2);
        double expected = rows.stream().mapToDouble(r -> Math.log10(r.getDouble(1))).average().orElseThrow();
        assertThat(maps.get(0).labels().get(1)).isEqualTo("1");
        assertThat(maps.get(0).log10FirstOverLast()[1][1]).isCloseTo(expected, within(TOLERANCE * Math.max(1, Math.abs(expected))));
    }

    /** Without two init_std values the heatmap's columns are the inits, every one of them. */
    @Test
    void withoutAnStdAxisTheGradientHeatmapIsOverInitAndDepth() throws SQLException {
        Views.register(spark, List.of(gradientOut));
        for (String view : List.of(Views.RUNS, Views.LAYERS)) {
            spark.table(view).where("init_std IS NULL OR init_std = 1.0").createOrReplaceTempView(view);
        }
        ReportData data = new ReportData(spark);
        List<GradientHeatmap> maps = data.gradientHeatmaps();
        assertThat(maps).hasSize(2);
        GradientHeatmap relu = maps.get(1);
        assertThat(relu.axis()).isEqualTo("init");
        assertThat(relu.labels()).containsExactly("normal, std 1", "xavier_normal");
        List<Double> raw = duckValues("SELECT grad_first_over_last FROM gradient_runs WHERE init = 'xavier_normal' AND"
                + " activation = 'relu' AND depth = 5 ORDER BY seed");
        assertThat(relu.log10FirstOverLast()[1][1]).isCloseTo(raw.stream().mapToDouble(Math::log10).average().orElseThrow(),
                within(TOLERANCE));
        assertThat(data.gradients().present()).isTrue();
        assertThat(Figures.of(spark).gradientHeatmaps()).hasSize(2).allSatisfy(f -> assertThat(f.title())
                .contains("log10 ‖∂L/∂W_1‖/‖∂L/∂W_L‖"));
        assertThat(Figures.of(spark).gradientProfiles()).hasSize(2).allSatisfy(f -> assertThat(f.image().getWidth())
                .isGreaterThanOrEqualTo(2 * Charts.PROFILE_WIDTH));
    }

    /**
     * The phase diagram: per activation, χ₁ measured (chi1_measured) averaged over seeds and depths
     * in each (σ_w², σ_b²) cell and depth/ξ_c, as DuckDB computes them from the runs files; the
     * critical line as jobs/sql/critical_line.sql gives it in DuckDB, and at σ_b = 0 the closed
     * forms: relu σ_w² = 2, tanh σ_w² = 1.
     */
    @Test
    void phaseDiagramCellsAreMeansOfMeasuredChi1AndTheCriticalLineMeetsTheClosedForms() throws Exception {
        Views.register(spark, List.of(theoryOut));
        ReportData data = new ReportData(spark);
        assertThat(data.hasTheory()).isTrue();
        List<ReportData.PhaseDiagram> diagrams = data.phaseDiagrams();
        assertThat(diagrams).extracting(d -> d.panel().get("activation")).containsExactly("tanh", "relu");
        for (ReportData.PhaseDiagram d : diagrams) {
            String activation = (String) d.panel().get("activation");
            assertThat(d.measured()).isTrue();
            assertThat(d.depth()).isEqualTo(3);
            assertThat(d.sigmaW2()).hasSize(4);
            assertThat(d.sigmaB2()).hasSize(2);
            assertThat(d.sigmaB2()).containsExactly(0.0, 0.09);
            assertThat(d.sigmaW2()).containsExactly(0.5, 1.0, 1.5, 3.0);
            int cells = 0;
            try (PreparedStatement p = duck.prepareStatement("SELECT round(width * weight_std * weight_std, 9) AS w,"
                    + " round(bias_std * bias_std, 9) AS b, avg(chi1_measured), count(chi1_measured), avg(depth_over_xi_c),"
                    + " avg(chi1) FROM theory_runs WHERE activation = ? AND chi1 IS NOT NULL GROUP BY w, b")) {
                p.setString(1, activation);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        int x = indexOf(d.sigmaW2(), rs.getDouble(1));
                        int y = indexOf(d.sigmaB2(), rs.getDouble(2));
                        assertThat(d.chi1()[x][y]).as("%s cell %d %d", activation, x, y)
                                .isCloseTo(rs.getDouble(3), within(TOLERANCE * Math.max(1, rs.getDouble(3))));
                        assertThat(d.runs()[x][y]).isEqualTo(rs.getLong(4)).isEqualTo(2);
                        assertThat(d.depthOverXiC()[x][y]).isCloseTo(rs.getDouble(5), within(TOLERANCE * Math.max(1,
                                Math.abs(rs.getDouble(5)))));
                        cells++;
                    }
                }
            }
            assertThat(cells).isEqualTo(8);
            // the critical line against jobs/sql/critical_line.sql run by DuckDB on the same files
            String sql = java.nio.file.Files.readString(Path.of("jobs/sql/critical_line.sql")).replace("FROM runs",
                    "FROM theory_runs");
            List<double[]> expected = new ArrayList<>();
            try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    if (rs.getString("activation").equals(activation)) {
                        double b = rs.getDouble("sigma_b2");
                        double w = rs.getDouble("critical_sigma_w2");
                        if (expected.stream().noneMatch(e -> Math.abs(e[0] - b) < 1e-12 && Math.abs(e[1] - w) < 1e-9)) {
                            expected.add(new double[] {b, w});
                        }
                    }
                }
            }
            assertThat(d.criticalLine()).hasSameSizeAs(expected).isNotEmpty();
            for (int i = 0; i < expected.size(); i++) {
                assertThat(d.criticalLine().get(i)[0]).isCloseTo(expected.get(i)[0], within(1e-12));
                assertThat(d.criticalLine().get(i)[1]).isCloseTo(expected.get(i)[1], within(1e-9));
            }
            double atZero = d.criticalLine().stream().filter(c -> c[0] == 0).mapToDouble(c -> c[1]).findFirst().orElseThrow();
            assertThat(atZero).as(activation + ": critical σ_w² at σ_b = 0").isCloseTo(activation.equals("relu") ? 2 : 1,
                    within(1e-6));
            java.awt.image.BufferedImage image = Charts.phaseDiagram("t", d);
            assertThat(image.getWidth()).isEqualTo(Charts.PHASE_WIDTH);
            // the line's point at σ_b = 0 is drawn in black
            double[] at = Charts.criticalPoint(d, new double[] {0, atZero},
                    (Charts.PHASE_WIDTH - 70 - 110) / 4.0, (Charts.PHASE_HEIGHT - 34 - 64) / 2.0);
            assertThat(image.getRGB((int) at[0], (int) at[1]) & 0xffffff).isEqualTo(0);
        }
        assertThat(Figures.of(spark).phaseDiagrams()).hasSize(2);
    }

    /** Measured E[A²] and c per layer beside the theory's, seed means of the layers DuckDB reads. */
    @Test
    void theoryProfilesAreSeedMeansOfMeasuredAndTheoryQAndC() throws SQLException {
        Views.register(spark, List.of(theoryOut));
        List<ReportData.TheoryProfile> profiles = new ReportData(spark).theoryProfiles();
        // panels: activation × bias_std; a line per σ_w²
        assertThat(profiles).hasSize(4);
        for (ReportData.TheoryProfile p : profiles) {
            assertThat(p.lines()).hasSize(4);
            for (ReportData.TheoryLine line : p.lines()) {
                assertThat(line.layers()).containsExactly(1, 2, 3);
                assertThat(line.seeds()).isEqualTo(2);
                try (PreparedStatement ps = duck.prepareStatement("SELECT layer, avg(pre_sq_mean), avg(theory_q),"
                        + " avg(pre_corr_mean), avg(theory_c) FROM theory_layers WHERE activation = ? AND bias_std = ?"
                        + " AND init_params = ? GROUP BY layer ORDER BY layer")) {
                    ps.setString(1, (String) p.panel().get("activation"));
                    ps.setDouble(2, (Double) p.panel().get("bias_std"));
                    ps.setString(3, (String) line.init().get("init_params"));
                    try (ResultSet rs = ps.executeQuery()) {
                        for (int i = 0; i < 3; i++) {
                            assertThat(rs.next()).isTrue();
                            double[][] got = {line.preSqMean(), line.theoryQ(), line.preCorrMean(), line.theoryC()};
                            for (int m = 0; m < 4; m++) {
                                assertThat(got[m][i]).isCloseTo(rs.getDouble(m + 2), within(TOLERANCE * Math.max(1,
                                        Math.abs(rs.getDouble(m + 2)))));
                            }
                        }
                    }
                }
            }
        }
        assertThat(Figures.of(spark).theoryProfiles()).hasSize(16);
    }

    /** Without a bias axis (or with one σ_w²) there is no phase diagram; the theory profiles remain. */
    @Test
    void aSweepWithoutABiasAxisHasNoPhaseDiagram() {
        Views.register(spark, List.of(theoryOut));
        for (String view : List.of(Views.RUNS, Views.LAYERS)) {
            spark.table(view).where("bias_std = 0").createOrReplaceTempView(view);
        }
        ReportData data = new ReportData(spark);
        assertThat(data.phaseDiagrams()).isEmpty();
        assertThat(data.theory().present()).isTrue();
        assertThat(data.theory().profiles()).hasSize(2);
        // the seed-style sweep: no bias axis at all
        Views.register(spark, List.of(out));
        assertThat(new ReportData(spark).phaseDiagrams()).isEmpty();
    }

    /** A sweep without training rows has no training figures. */
    @Test
    void aSweepWithoutTrainingHasNoTrainingFigures() {
        ReportData data = new ReportData(spark);
        assertThat(data.hasTraining()).isFalse();
        assertThat(data.training()).isSameAs(ReportData.Training.NONE);
        assertThat(data.training().present()).isFalse();
        Figures f = Figures.of(spark);
        assertThat(f.trainingLossCurves()).isEmpty();
        assertThat(f.trainabilityHeatmaps()).isEmpty();
        assertThat(f.trainingSymmetry()).isEmpty();
    }

    /**
     * The loss curves: per (activation, depth, lr) panel a line per init setting whose every point is
     * DuckDB's mean, min and max over seeds of the finite train and test losses at that step; the
     * diverged seeds are the runs' with their last finite records.
     */
    @Test
    void lossCurveLinesAndBandsAreSeedMeansMinimaAndMaximaOfTheFiniteLosses() throws SQLException {
        Views.register(spark, List.of(trainingOut));
        ReportData data = new ReportData(spark);
        assertThat(data.hasTraining()).isTrue();
        List<ReportData.LossPanel> panels = data.lossCurves();
        assertThat(panels).hasSize(2 * 2 * 2);
        assertThat(panels).extracting(p -> p.panel().get("activation")).containsExactly("tanh", "tanh", "tanh", "tanh",
                "relu", "relu", "relu", "relu");
        int points = 0;
        int divergences = 0;
        for (ReportData.LossPanel p : panels) {
            assertThat(p.lines()).extracting(l -> l.init().get("init") + " " + l.init().get("init_std"))
                    .containsExactly("normal 1.0", "normal 0.25", "constant null");
            for (ReportData.LossLine line : p.lines()) {
                assertThat(line.seeds()).isEqualTo(2);
                String where = " FROM training_training WHERE activation = ? AND depth = ? AND lr = ? AND init = ?"
                        + " AND init_std IS NOT DISTINCT FROM ?";
                Object[] params = {p.panel().get("activation"), p.panel().get("depth"), p.panel().get("lr"),
                        line.init().get("init"), line.init().get("init_std")};
                for (String loss : List.of("train_loss", "test_loss")) {
                    ReportData.StepSeries s = loss.equals("train_loss") ? line.train() : line.test();
                    String finite = " FILTER (WHERE isfinite(" + loss + "))";
                    try (PreparedStatement ps = duck.prepareStatement("SELECT step, avg(" + loss + ")" + finite + ", min(" + loss
                            + ")" + finite + ", max(" + loss + ")" + finite + ", count(" + loss + ")" + finite + where
                            + " GROUP BY step ORDER BY step")) {
                        for (int i = 0; i < params.length; i++) {
                            ps.setObject(i + 1, params[i]);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            int i = 0;
                            while (rs.next()) {
                                assertThat(s.steps()[i]).isEqualTo(rs.getInt(1));
                                assertThat(s.seeds()[i]).isEqualTo(rs.getLong(5));
                                if (rs.getLong(5) > 0) {
                                    assertThat(s.mean()[i]).isCloseTo(rs.getDouble(2), within(TOLERANCE * Math.max(1,
                                            Math.abs(rs.getDouble(2)))));
                                    assertThat(s.min()[i]).isEqualTo(rs.getDouble(3));
                                    assertThat(s.max()[i]).isEqualTo(rs.getDouble(4));
                                    assertThat(s.min()[i]).isLessThanOrEqualTo(s.mean()[i]);
                                    assertThat(s.max()[i]).isGreaterThanOrEqualTo(s.mean()[i]);
                                } else {
                                    assertThat(s.mean()[i]).isNaN();
                                }
                                i++;
                                points++;
                            }
                            assertThat(i).isEqualTo(s.steps().length);
                        }
                    }
                }
                assertThat(line.train().steps()[0]).isZero();
                // the diverged seeds: the runs' diverged_at, the last finite record of the training table
                List<Double> stopped = duckValues("SELECT seed FROM training_runs WHERE diverged AND activation = ? AND depth = ?"
                        + " AND lr = ? AND init = ? AND init_std IS NOT DISTINCT FROM ? ORDER BY seed", params);
                assertThat(line.divergences()).extracting(d -> (double) d.seed()).isEqualTo(stopped);
                for (ReportData.Divergence d : line.divergences()) {
                    Object[] seeded = java.util.stream.Stream.concat(Arrays.stream(params), java.util.stream.Stream.of(d.seed()))
                            .toArray();
                    assertThat((double) d.at()).isEqualTo(duckValues("SELECT diverged_at FROM training_runs WHERE activation = ?"
                            + " AND depth = ? AND lr = ? AND init = ? AND init_std IS NOT DISTINCT FROM ? AND seed = ?",
                            seeded).get(0));
                    assertThat(List.of((double) d.lastTrainStep(), d.lastTrain())).isEqualTo(duckRow("SELECT step, train_loss"
                            + where + " AND seed = ? AND isfinite(train_loss) ORDER BY step DESC LIMIT 1", seeded));
                    assertThat(List.of((double) d.lastTestStep(), d.lastTest())).isEqualTo(duckRow("SELECT step, test_loss"
                            + where + " AND seed = ? AND isfinite(test_loss) ORDER BY step DESC LIMIT 1", seeded));
                    divergences++;
                }
            }
        }
        assertThat(points).isGreaterThan(8 * 3 * 2 * 10);
        // relu, σ_w² = 16 (normal std 1), depth 4 at lr 0.5: both seeds diverge at step 2
        assertThat(divergences).isEqualTo(2);
        ReportData.LossPanel relu = panels.stream().filter(p -> p.panel().get("activation").equals("relu")
                && p.panel().get("depth").equals(4) && p.panel().get("lr").equals(0.5)).findFirst().orElseThrow();
        assertThat(relu.lines().get(0).divergences()).extracting(ReportData.Divergence::at).containsExactly(2, 2);
        assertThat(Charts.divergenceCaption(relu, Set.of())).startsWith("diverged: normal")
                .endsWith(" seed 0 at step 2, seed 1 at step 2");
        // step 0 is drawn at half the first positive step, 0.5; the band, the line, then the next init's
        XYChart chart = Charts.lossCurves("t", false, relu, Set.of());
        List<XYSeries> series = new ArrayList<>(chart.getSeriesCollection());
        assertThat(series.get(0).getName()).endsWith("(min–max)");
        assertThat(series.get(1).getXData()[0]).isEqualTo(0.5);
        assertThat(series.get(1).getYData()[0]).isEqualTo(relu.lines().get(0).train().mean()[0]);
        assertThat(series).extracting(XYSeries::getName).contains("× diverged (last finite record)");
        assertThat(Figures.of(spark).trainingLossCurves()).hasSize(8);
    }

    /**
     * The trainability map: per (activation, lr), σ_w² ∈ {1, 16} × depth {2, 4}; each cell the share
     * of seeds with trained as DuckDB counts it, constant inits (weight_std 0) left out, and the line
     * 6 · the mean xi_c of the column's runs.
     */
    @Test
    void trainabilityCellsAreSharesOfTrainedSeedsAndTheLineIsSixXiC() throws SQLException {
        Views.register(spark, List.of(trainingOut));
        List<ReportData.Trainability> maps = new ReportData(spark).trainability();
        assertThat(maps).hasSize(4);
        int trained = 0;
        for (ReportData.Trainability m : maps) {
            assertThat(m.sigmaW2()).containsExactly(1.0, 16.0);
            assertThat(m.depths()).containsExactly(2, 4);
            Object[] panel = {m.panel().get("activation"), m.panel().get("lr")};
            try (PreparedStatement ps = duck.prepareStatement("SELECT round(width * weight_std * weight_std, 9) AS w, depth,"
                    + " sum(CASE WHEN trained THEN 1 ELSE 0 END), count(*) FROM training_runs WHERE activation = ? AND lr = ?"
                    + " AND weight_std > 0 GROUP BY w, depth")) {
                ps.setObject(1, panel[0]);
                ps.setObject(2, panel[1]);
                int cells = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int x = indexOf(m.sigmaW2(), rs.getDouble(1));
                        int y = m.depths().indexOf(rs.getInt(2));
                        assertThat(m.trained()[x][y]).isEqualTo(rs.getLong(3));
                        assertThat(m.runs()[x][y]).isEqualTo(rs.getLong(4)).isEqualTo(2);
                        assertThat(m.share()[x][y]).isEqualTo(rs.getLong(3) / (double) rs.getLong(4));
                        trained += rs.getLong(3);
                        cells++;
                    }
                }
                assertThat(cells).isEqualTo(4);
            }
            for (int x = 0; x < 2; x++) {
                List<Double> xi = duckValues("SELECT xi_c FROM training_runs WHERE activation = ? AND lr = ? AND weight_std > 0"
                        + " AND round(width * weight_std * weight_std, 9) = ?", panel[0], panel[1], m.sigmaW2().get(x));
                assertThat(xi).hasSize(4);
                double mean = xi.stream().mapToDouble(Double::doubleValue).sum() / xi.size();
                assertThat(m.theoryDepth(x)).isCloseTo(6 * mean, within(TOLERANCE * Math.max(1, 6 * mean)));
            }
            // every 6·ξ_c of this grid lies above depth 4: the line leaves through the top, marked by a triangle
            java.awt.image.BufferedImage image = Charts.trainability("t", m);
            double cw = (Charts.PHASE_WIDTH - 70 - 110) / 2.0;
            assertThat(image.getRGB((int) (70 + 0.5 * cw), 34 - 3) & 0xffffff).isEqualTo(0);
        }
        assertThat(trained).as("trained runs in the grid").isPositive();
        assertThat(Figures.of(spark).trainabilityHeatmaps()).hasSize(4);
        // one depth only: no map
        spark.table(Views.RUNS).where("depth = 4").createOrReplaceTempView(Views.RUNS);
        assertThat(new ReportData(spark).trainability()).isEmpty();
    }

    /** A depth between the rows is placed linearly between their centres; beyond them along the nearest pair. */
    @Test
    void theTrainableDepthIsPlacedBetweenTheRowsDepths() {
        List<Integer> depths = List.of(2, 4, 8);
        // rows of height 10 from the top at 0: centres 25 (depth 2), 15 (4), 5 (8)
        assertThat(Charts.depthPixel(depths, 2, 0, 10)).isEqualTo(25);
        assertThat(Charts.depthPixel(depths, 3, 0, 10)).isEqualTo(20);
        assertThat(Charts.depthPixel(depths, 6, 0, 10)).isEqualTo(10);
        assertThat(Charts.depthPixel(depths, 16, 0, 10)).isEqualTo(-15);
        assertThat(Charts.depthPixel(depths, 1, 0, 10)).isEqualTo(30);
        assertThat(Charts.depthPixel(depths, Double.POSITIVE_INFINITY, 0, 10)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    /**
     * Symmetry: per (activation, lr) at depth 4, the fewest distinct units over the layers, mean, min
     * and max over seeds as DuckDB's list_min gives them; the constant init's is 1 at every step.
     */
    @Test
    void symmetryLinesAreSeedStatisticsOfTheFewestDistinctUnitsAndTheConstantInitStaysAtOne() throws SQLException {
        Views.register(spark, List.of(trainingOut));
        List<ReportData.SymmetryPanel> panels = new ReportData(spark).symmetry();
        assertThat(panels).hasSize(4);
        for (ReportData.SymmetryPanel p : panels) {
            assertThat(p.depth()).isEqualTo(4);
            assertThat(p.width()).isEqualTo(16);
            assertThat(p.lines()).hasSize(3);
            for (ReportData.SymmetryLine line : p.lines()) {
                ReportData.StepSeries s = line.minDistinct();
                try (PreparedStatement ps = duck.prepareStatement("SELECT step, avg(list_min(distinct_units)),"
                        + " min(list_min(distinct_units)), max(list_min(distinct_units)), count(*) FROM training_training"
                        + " WHERE activation = ? AND lr = ? AND depth = 4 AND init = ? AND init_std IS NOT DISTINCT FROM ?"
                        + " GROUP BY step ORDER BY step")) {
                    ps.setObject(1, p.panel().get("activation"));
                    ps.setObject(2, p.panel().get("lr"));
                    ps.setObject(3, line.init().get("init"));
                    ps.setObject(4, line.init().get("init_std"));
                    try (ResultSet rs = ps.executeQuery()) {
                        int i = 0;
                        while (rs.next()) {
                            assertThat(s.steps()[i]).isEqualTo(rs.getInt(1));
                            assertThat(s.mean()[i]).isCloseTo(rs.getDouble(2), within(TOLERANCE * 16));
                            assertThat(s.min()[i]).isEqualTo(rs.getDouble(3));
                            assertThat(s.max()[i]).isEqualTo(rs.getDouble(4));
                            assertThat(s.seeds()[i]).isEqualTo(rs.getLong(5));
                            i++;
                        }
                        assertThat(i).isEqualTo(s.steps().length).isPositive();
                    }
                }
                if (line.init().get("init").equals("constant")) {
                    assertThat(s.mean()).containsOnly(1.0);
                    assertThat(s.max()).containsOnly(1.0);
                } else {
                    assertThat(s.mean()[0]).as("random init at step 0").isGreaterThan(1);
                }
            }
        }
        assertThat(Figures.of(spark).trainingSymmetry()).hasSize(4);
    }

    private static int indexOf(List<Double> values, double v) {
        for (int i = 0; i < values.size(); i++) {
            if (Math.abs(values.get(i) - v) <= 1e-12 * Math.max(1, Math.abs(v))) {
                return i;
            }
        }
        throw new AssertionError(v + " not in " + values);
    }

    /**
     * Key columns the tables may gain later split configurations without any change to the
     * report: here a made-up {@code init_shift} (an init_* column describes the init: lines and heatmap columns) and
     * {@code norm} (a network axis: panels), placed among the keys of both views.
     */
    @Test
    void keyColumnsAddedLaterSplitConfigurations() {
        for (String view : List.of(Views.RUNS, Views.LAYERS)) {
            Dataset<Row> t = spark.table(view);
            List<Column> cols = new ArrayList<>();
            for (String c : t.columns()) {
                cols.add(functions.col(c));
                if (c.equals("dtype")) {
                    cols.add(functions.col("init_shift"));
                    cols.add(functions.col("norm"));
                }
            }
            Dataset<Row> all = null;
            for (double shift : new double[] {1, 2}) {
                for (String norm : List.of("none", "batch")) {
                    Dataset<Row> copy = t.withColumn("init_shift", functions.lit(shift)).withColumn("norm", functions.lit(norm))
                            .withColumn("run_id", functions.concat(functions.col("run_id"), functions.lit(shift + norm)))
                            .select(cols.toArray(new Column[0]));
                    all = all == null ? copy : all.unionByName(copy);
                }
            }
            all.createOrReplaceTempView(view);
        }
        ReportData data = new ReportData(spark);
        assertThat(data.keys.config()).contains("init_shift", "norm");
        assertThat(data.keys.varying()).contains("init_shift", "norm");

        Histograms h = data.histograms(null);
        assertThat(h.matchingConfigs()).isEqualTo(4 * 4 * 3);
        assertThat(h.rows()).hasSize(ReportData.MAX_HISTOGRAM_ROWS);
        assertThat(h.rows().get(0).config().label(data.keys.varying())).isEqualTo("normal, sigmoid, std 1, init_shift 1, norm batch");

        List<Heatmap> maps = data.heatmaps();
        assertThat(maps).hasSize(2 * 4 * 3);
        Heatmap normal = maps.stream().filter(m -> m.panel().get("init").equals("normal")).findFirst().orElseThrow();
        assertThat(normal.panel().has("init_shift")).isFalse();
        assertThat(normal.labels()).containsExactly("0.01, init_shift 1", "0.01, init_shift 2", "1, init_shift 1", "1, init_shift 2");

        List<Profile> profiles = data.profiles();
        assertThat(profiles).hasSize(2 * 3);
        assertThat(profiles).allSatisfy(p -> assertThat(p.lines()).hasSize(6 * 2));
        assertThat(profiles).extracting(p -> p.panel().label(data.keys.varying())).contains("sigmoid, norm batch",
                "relu, norm none");
    }

    @Test
    void theSummaryIsTheManifest() {
        var m = new ReportData(spark).summary().manifest();
        assertThat(m.path("sweep").asText()).isEqualTo("report-data");
        assertThat(m.path("counts").path("grid_points").asLong()).isEqualTo(6 * 3 * 2 * 2);
        assertThat(m.path("spec").path("text").asText()).isEqualTo(SPEC);
        assertThat(m.path("engine").path("blas").size()).isPositive();
    }

    private static List<Double> duckValues(String sql, Object... params) throws SQLException {
        List<Double> v = new ArrayList<>();
        try (PreparedStatement p = duck.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    v.add(rs.getDouble(1));
                }
            }
        }
        return v;
    }

    private static List<Double> duckRow(String sql, Object... params) throws SQLException {
        try (PreparedStatement p = duck.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                List<Double> v = new ArrayList<>();
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    v.add(rs.getDouble(c));
                }
                return v;
            }
        }
    }

    private static List<Long> duckLongs(String sql, Object... params) throws SQLException {
        return Arrays.stream((Object[]) duckArray(sql, params).getArray()).map(v -> ((Number) v).longValue()).toList();
    }

    private static List<Double> duckDoubles(String sql, Object... params) throws SQLException {
        return Arrays.stream((Object[]) duckArray(sql, params).getArray()).map(v -> ((Number) v).doubleValue()).toList();
    }

    private static Array duckArray(String sql, Object... params) throws SQLException {
        try (PreparedStatement p = duck.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                Array a = rs.getArray(1);
                assertThat(rs.next()).as(sql + ": one row").isFalse();
                return a;
            }
        }
    }
}
