package io.initsweep.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.tables.Views;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The numbers the report draws, prepared with Spark SQL over the registered {@code runs},
 * {@code layers} and {@code sweeps} views (the ones {@code initsweep sql} sees). Everything
 * returned is plain values; charts and HTML are made elsewhere from them.
 */
public final class ReportData {
    /** Most layers drawn in one histogram row; deeper networks show layers spread over the depth. */
    static final int MAX_LAYERS_SHOWN = 10;
    /** Most histogram rows, so a large sweep's report stays readable. */
    static final int MAX_HISTOGRAM_ROWS = 24;
    /** Rows shown when nothing matches the seed posts' configurations. */
    static final int FALLBACK_ROWS = 6;
    /**
     * The seed posts' configurations: N(0, 1) and N(0, 0.01), Xavier and He (PyTorch's
     * kaiming_normal) with sigmoid, tanh and ReLU, seed 0, networks of at most 10 layers.
     */
    static final String SEED_FIGURES = "seed = 0 AND depth <= 10 AND activation IN ('sigmoid', 'tanh', 'relu')"
            + " AND (init = 'normal' AND init_std IN (1.0, 0.01) OR init IN ('xavier_normal', 'kaiming_normal'))";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One layer's histogram of Z as written: counts over edges, plus what fell outside them. */
    public record LayerHistogram(int layer, double[] edges, long[] counts, long underflow, long overflow, long nonfinite) {
        long total() {
            long t = underflow + overflow + nonfinite;
            for (long c : counts) {
                t += c;
            }
            return t;
        }

        long outside() {
            return underflow + overflow + nonfinite;
        }
    }

    /** A row of the seed figure: one grid point's histograms, layer by layer. */
    public record HistogramRow(Config config, String runId, long seed, int depth, List<LayerHistogram> layers) {
        long maxCount() {
            long m = 0;
            for (LayerHistogram h : layers) {
                for (long c : h.counts()) {
                    m = Math.max(m, c);
                }
            }
            return m;
        }
    }

    /** The histogram rows and how they were chosen. */
    public record Histograms(List<HistogramRow> rows, String predicate, boolean fallback, long matchingConfigs) {}

    /**
     * A grid over (initializer setting × depth) for one panel (init, activation and every other key
     * but the init's settings, depth and seed): the final layer's rates averaged over seeds. The
     * settings are the init's distinct (init_std, gain, ...) values, by init_std; {@code labels}
     * names them (init_std, "derived" for inits that compute their own). A cell with no runs is NaN.
     */
    record Heatmap(Config panel, List<Config> settings, List<String> labels, List<Integer> depths, double[][] saturation,
            double[][] deadUnits, long[][] seeds) {}

    /** A line drawn across layers: one init setting of a panel. */
    interface Line {
        Config init();

        int[] layers();
    }

    /** One line of a layer profile: an init setting's act_std and E[A²] per layer, averaged over seeds. */
    record ProfileLine(Config init, int[] layers, double[] actStd, double[] preSqMean, long seeds) implements Line {}

    /** The layer profiles of one panel (activation and every other key but the init setting and depth). */
    record Profile(Config panel, List<ProfileLine> lines) {}

    /**
     * One line of a gradient profile: an init setting's E[δ²] (grad_sq_mean) per layer at its
     * largest depth, averaged over seeds. Unlike the forward values, the gradients of a layer depend
     * on the depth the backward pass starts from, so one depth is drawn.
     */
    record GradientLine(Config init, int depth, int[] layers, double[] gradSqMean, long seeds) implements Line {}

    /** The gradient profiles of one panel, as {@link Profile}. */
    record GradientProfile(Config panel, List<GradientLine> lines) {}

    /**
     * log10(grad_first_over_last) averaged over seeds, over (init setting × depth) for one panel
     * (activation and every other key but the init and depth). {@code axis} names the columns:
     * {@code init_std} (only inits that have one) when the sweep has two or more init_std values,
     * else {@code init} (every init). A cell with no runs is NaN.
     */
    record GradientHeatmap(Config panel, String axis, List<Config> settings, List<String> labels, List<Integer> depths,
            double[][] log10FirstOverLast, long[][] seeds) {}

    /**
     * One init setting's singular values of the input–output Jacobian, pooled over every sample and
     * seed of its configuration at the panel's depth: counts over the panel's edges, {@code values}
     * in all, {@code outside} of them zero, non-finite or outside the range of log10 σ, from
     * {@code rows} jacobian rows.
     */
    record SpectrumSeries(Config init, long[] counts, long values, long outside, long rows) {}

    /**
     * Histograms of log10 σ of the Jacobian's singular values for one panel (activation and every
     * other key but the init and depth) at its largest depth, one series per init setting, over
     * shared edges a quarter decade apart (from the data inside [{@link #SPECTRUM_MIN},
     * {@link #SPECTRUM_MAX}]).
     */
    record JacobianSpectrum(Config panel, int depth, double[] edges, List<SpectrumSeries> series) {}

    /** The gradient figures' numbers: empty lists for a sweep written without gradients. */
    record Gradients(List<GradientProfile> profiles, List<GradientHeatmap> heatmaps, List<JacobianSpectrum> spectra) {
        static final Gradients NONE = new Gradients(List.of(), List.of(), List.of());

        boolean present() {
            return !profiles.isEmpty() || !heatmaps.isEmpty() || !spectra.isEmpty();
        }
    }

    /** The range of log10 σ the Jacobian histograms draw; values outside it (and zeros) are counted, not drawn. */
    static final double SPECTRUM_MIN = -8;
    static final double SPECTRUM_MAX = 4;
    /** Bins per decade of the Jacobian histograms. */
    static final int SPECTRUM_BINS_PER_DECADE = 4;

    /**
     * The mean-field phase diagram of one panel (activation and every other key but the init, the
     * bias and the depth): over σ_w² = width · weight_std² (x) and σ_b² = bias_std² (y), both rounded
     * to {@link #SIGMA_DECIMALS} decimals (inits of one σ_w² pooled), χ₁ averaged
     * over seeds and depths — measured ({@code chi1_measured}) when the sweep has gradients, else
     * the theory's {@code chi1} — with {@code depthOverXiC} averaged over seeds at the panel's largest
     * depth {@code depth}, and the theory's critical line: per σ_b² the σ_w² where the theory's χ₁
     * crosses 1, interpolated linearly between neighbouring σ_w² (as jobs/sql/critical_line.sql), as
     * {σ_b², σ_w²} pairs. A cell with no runs is NaN.
     */
    record PhaseDiagram(Config panel, boolean measured, List<Double> sigmaW2, List<Double> sigmaB2, double[][] chi1,
            long[][] runs, int depth, double[][] depthOverXiC, List<double[]> criticalLine) {}

    /**
     * One configuration's measured E[A²] (pre_sq_mean) and c (pre_corr_mean) per layer with the
     * theory's q and c (theory_q, theory_c), averaged over seeds, on the layers where the theory is
     * defined.
     */
    record TheoryLine(Config init, int[] layers, double[] preSqMean, double[] theoryQ, double[] preCorrMean,
            double[] theoryC, long seeds) implements Line {}

    /** The theory lines of one layer-profile panel. */
    record TheoryProfile(Config panel, List<TheoryLine> lines) {}

    /** The theory section's numbers: empty lists for a sweep whose rows carry no theory. */
    record Theory(List<PhaseDiagram> phaseDiagrams, List<TheoryProfile> profiles) {
        static final Theory NONE = new Theory(List.of(), List.of());

        boolean present() {
            return !phaseDiagrams.isEmpty() || !profiles.isEmpty();
        }
    }

    /**
     * A value over seeds at each recorded step of one line: the mean, min and max over the seeds
     * whose record at that step is finite, and how many those are (NaN and 0 where none is).
     */
    record StepSeries(int[] steps, double[] mean, double[] min, double[] max, long[] seeds) {}

    /**
     * A seed whose run diverged ({@code diverged} in runs): the step it stopped at ({@code diverged_at})
     * and its last record with a finite training loss and with a finite test loss (step −1 and NaN
     * when it has none).
     */
    record Divergence(long seed, int at, int lastTrainStep, double lastTrain, int lastTestStep, double lastTest) {}

    /** One init setting's train and test loss against step in a loss-curve panel, and its diverged seeds. */
    record LossLine(Config init, StepSeries train, StepSeries test, long seeds, List<Divergence> divergences) {}

    /**
     * The loss curves of one panel: every key but the init's (activation, depth, optimizer, lr, ...),
     * one line per init setting.
     */
    record LossPanel(Config panel, List<LossLine> lines) {}

    /**
     * Trainability of one panel (every key but the init's and the depth: activation, optimizer, lr,
     * bias_std, ...) over σ_w² = width · weight_std² (x, rounded to {@link #SIGMA_DECIMALS} decimals
     * as the phase diagram, inits of one σ_w² pooled; random inits only, weight_std &gt; 0) and depth
     * (y): {@code trained[x][y]} of {@code runs[x][y]} runs have {@code trained}, {@code share} their
     * ratio (NaN for an empty cell). {@code xiC[x]} is the mean {@code xi_c} of the column's runs (NaN
     * when none has one); the theory's trainable depth is 6·ξ_c (Schoenholz et al. 2017).
     */
    record Trainability(Config panel, List<Double> sigmaW2, List<Integer> depths, double[][] share, long[][] trained,
            long[][] runs, double[] xiC) {
        /** The theory's largest trainable depth at column x: 6·ξ_c. */
        double theoryDepth(int x) {
            return TRAINABLE_XI_C * xiC[x];
        }
    }

    /** Schoenholz et al. 2017: a network trains when its depth is at most about this many ξ_c. */
    static final double TRAINABLE_XI_C = 6;

    /** One init setting's fewest distinct units over the layers (min of distinct_units) against step. */
    record SymmetryLine(Config init, StepSeries minDistinct) {}

    /** The symmetry of one panel (as trainability's) at its largest depth; {@code width} the most units a layer has. */
    record SymmetryPanel(Config panel, int depth, int width, List<SymmetryLine> lines) {}

    /** The training section's numbers: empty lists for a sweep written without training. */
    record Training(List<LossPanel> losses, List<Trainability> trainability, List<SymmetryPanel> symmetry) {
        static final Training NONE = new Training(List.of(), List.of(), List.of());

        boolean present() {
            return !losses.isEmpty() || !trainability.isEmpty() || !symmetry.isEmpty();
        }
    }

    /** The sweep's manifest as the {@code sweeps} view returns it (absent fields are missing nodes). */
    record Summary(JsonNode manifest) {}

    private final SparkSession spark;
    public final Keys keys;

    /** Over views already registered in {@code spark} (see {@link Views#register}). */
    public ReportData(SparkSession spark) {
        this.spark = spark;
        this.keys = Keys.read(spark, Views.RUNS, Views.LAYERS);
    }

    /**
     * The seed figure's rows. {@code predicate} (a SQL condition on the runs view) chooses the grid
     * points; null means {@link #SEED_FIGURES}, falling back to the first {@link #FALLBACK_ROWS}
     * configurations of the sweep when none match. Per configuration the smallest seed is drawn, at
     * the largest depth ≤ 10 (else the smallest depth).
     */
    public Histograms histograms(String predicate) {
        Dataset<Row> runs = spark.table(Views.RUNS);
        String used = predicate != null ? predicate : SEED_FIGURES;
        List<Row> chosen = pick(runs.where(used));
        boolean fallback = false;
        if (chosen.isEmpty()) {
            if (predicate != null) {
                throw new NoMatchException("--histograms \"" + predicate + "\" matches no grid point of the sweep");
            }
            chosen = pick(runs);
            fallback = true;
        }
        int limit = fallback ? FALLBACK_ROWS : MAX_HISTOGRAM_ROWS;
        List<String> config = configWithoutDepth();
        List<Row> shown = chosen.stream().sorted(Comparator.comparing(r -> Config.of(r, config), STORY_ORDER)).limit(limit)
                .toList();

        Map<String, Row> byRunId = new LinkedHashMap<>();
        shown.forEach(r -> byRunId.put(r.getString(r.fieldIndex(Keys.RUN_ID)), r));
        List<Row> layerRows = spark.table(Views.LAYERS)
                .where(col(Keys.RUN_ID).isin(byRunId.keySet().toArray()))
                .select(col(Keys.RUN_ID), col("layer"), col("hist_edges"), col("hist_counts"), col("hist_underflow"),
                        col("hist_overflow"), col("hist_nonfinite"))
                .collectAsList();
        Map<String, Map<Integer, LayerHistogram>> layersByRun = new LinkedHashMap<>();
        for (Row l : layerRows) {
            LayerHistogram h = new LayerHistogram(l.getInt(1), doubles(l.getList(2)), longs(l.getList(3)), l.getLong(4),
                    l.getLong(5), l.getLong(6));
            layersByRun.computeIfAbsent(l.getString(0), k -> new LinkedHashMap<>()).put(h.layer(), h);
        }
        List<HistogramRow> rows = new ArrayList<>();
        for (Row r : shown) {
            String runId = r.getString(r.fieldIndex(Keys.RUN_ID));
            int depth = r.getInt(r.fieldIndex(Keys.DEPTH));
            Map<Integer, LayerHistogram> byLayer = layersByRun.getOrDefault(runId, Map.of());
            List<LayerHistogram> layers = new ArrayList<>();
            for (int layer : shownLayers(depth, MAX_LAYERS_SHOWN)) {
                LayerHistogram h = byLayer.get(layer);
                if (h == null) {
                    throw new IllegalStateException("layers table has no layer " + layer + " of run " + runId);
                }
                layers.add(h);
            }
            rows.add(new HistogramRow(Config.of(r, config), runId, r.getLong(r.fieldIndex(Keys.SEED)), depth, layers));
        }
        return new Histograms(rows, fallback ? null : used, fallback, chosen.size());
    }

    /** Per configuration (depth aside): the run with the smallest seed, then the largest depth ≤ 10, else the smallest. */
    private List<Row> pick(Dataset<Row> runs) {
        Column shallow = col(Keys.DEPTH).leq(MAX_LAYERS_SHOWN);
        Column rank = functions.row_number().over(Window.partitionBy(columns(configWithoutDepth()).toArray(new Column[0]))
                .orderBy(col(Keys.SEED).asc(), functions.when(shallow, 0).otherwise(1).asc(),
                        functions.when(shallow, col(Keys.DEPTH).multiply(-1)).otherwise(col(Keys.DEPTH)).asc()));
        return runs.withColumn("_rank", rank).where(col("_rank").equalTo(1)).drop("_rank").collectAsList();
    }

    private List<String> configWithoutDepth() {
        return keys.without(union(Keys.IDENTIFIERS, Set.of(Keys.DEPTH)));
    }

    /** Layers 1..depth when depth ≤ max, else max layers spread evenly from 1 to depth. */
    static List<Integer> shownLayers(int depth, int max) {
        List<Integer> layers = new ArrayList<>();
        if (depth <= max) {
            for (int l = 1; l <= depth; l++) {
                layers.add(l);
            }
            return layers;
        }
        TreeSet<Integer> spread = new TreeSet<>();
        for (int i = 0; i < max; i++) {
            spread.add(1 + (int) Math.round(i * (depth - 1) / (double) (max - 1)));
        }
        layers.addAll(spread);
        return layers;
    }

    /**
     * Saturation and dead-unit rates of the final layer (the runs table) over (init setting ×
     * depth), averaged over seeds, one heatmap per panel.
     */
    List<Heatmap> heatmaps() {
        List<String> settingColumns = keys.initSettings();
        List<String> panelColumns = keys.config().stream()
                .filter(c -> !settingColumns.contains(c) && !c.equals(Keys.DEPTH)).toList();
        List<Column> groups = new ArrayList<>(columns(panelColumns));
        groups.addAll(columns(settingColumns));
        groups.add(col(Keys.DEPTH));
        List<Row> cells = spark.table(Views.RUNS)
                .groupBy(groups.toArray(new Column[0]))
                .agg(avg("saturation_rate").alias("saturation_rate"), avg("dead_unit_rate").alias("dead_unit_rate"),
                        count(lit(1)).alias("seeds"))
                .collectAsList();
        Map<Config, List<Row>> byPanel = new LinkedHashMap<>();
        for (Row r : cells) {
            byPanel.computeIfAbsent(Config.of(r, panelColumns), k -> new ArrayList<>()).add(r);
        }
        List<Heatmap> maps = new ArrayList<>();
        byPanel.keySet().stream().sorted(STORY_ORDER).forEach(panel -> {
            List<Row> rows = byPanel.get(panel);
            List<Config> settings = rows.stream().map(r -> Config.of(r, settingColumns)).distinct().sorted(SETTING_ORDER)
                    .toList();
            List<Integer> depths = rows.stream().map(r -> r.<Integer>getAs(Keys.DEPTH)).distinct().sorted().toList();
            double[][] sat = nans(settings.size(), depths.size());
            double[][] dead = nans(settings.size(), depths.size());
            long[][] seeds = new long[settings.size()][depths.size()];
            for (Row r : rows) {
                int x = settings.indexOf(Config.of(r, settingColumns));
                int y = depths.indexOf(r.<Integer>getAs(Keys.DEPTH));
                sat[x][y] = r.getDouble(r.fieldIndex("saturation_rate"));
                dead[x][y] = r.getDouble(r.fieldIndex("dead_unit_rate"));
                seeds[x][y] = r.getLong(r.fieldIndex("seeds"));
            }
            List<String> labels = Config.distinctLabels(settings,
                    c -> c.has(Keys.INIT_STD) && c.get(Keys.INIT_STD) != null ? Config.format(c.get(Keys.INIT_STD)) : "derived");
            maps.add(new Heatmap(panel, settings, labels, depths, sat, dead, seeds));
        });
        return maps;
    }

    /** An init's settings by init_std (nulls last), then by every other setting. */
    static final Comparator<Config> SETTING_ORDER = (a, b) -> {
        if (a.has(Keys.INIT_STD) && b.has(Keys.INIT_STD)) {
            int c = compareValues(a.get(Keys.INIT_STD), b.get(Keys.INIT_STD));
            if (c != 0) {
                return c;
            }
        }
        for (int i = 0; i < a.columns().size(); i++) {
            String k = a.columns().get(i);
            int c = b.has(k) ? compareValues(a.get(k), b.get(k)) : 0;
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    /**
     * act_std and E[A²] (pre_sq_mean) per layer, averaged over seeds, one line per init setting and
     * one profile per panel. Points that differ only in depth share their layers (one chain), so each
     * (configuration, seed, layer) counts once however many depths read it.
     */
    List<Profile> profiles() {
        Split split = layerSplit();
        List<String> metrics = List.of("act_std", "pre_sq_mean");
        List<Row> rows = layerMeans(spark.table(Views.LAYERS), split.line(), metrics);
        List<Profile> profiles = new ArrayList<>();
        lineSeries(rows, split.panel(), split.line(), metrics).forEach((panel, lines) ->
                profiles.add(new Profile(panel, lines.stream().map(l -> new ProfileLine(l.line().only(split.init()),
                        l.xs(), l.values()[0], l.values()[1], l.seeds())).toList())));
        return profiles;
    }

    /** Whether the layers view has gradient rows (grad_sq_mean not null): the sweep set {@code gradients}. */
    boolean hasGradients() {
        Dataset<Row> layers = spark.table(Views.LAYERS);
        return java.util.Arrays.asList(layers.columns()).contains("grad_sq_mean")
                && !layers.where(col("grad_sq_mean").isNotNull()).limit(1).isEmpty();
    }

    /** The gradient profiles and heatmaps, or {@link Gradients#NONE} when the sweep has no gradient rows. */
    Gradients gradients() {
        return hasGradients() ? new Gradients(gradientProfiles(), gradientHeatmaps(), jacobianSpectra()) : Gradients.NONE;
    }

    /**
     * The Jacobian's singular values as histograms of log10 σ: per panel (activation and every other
     * key but the init and depth) at the panel's largest depth, one series per init setting pooling
     * every sample and seed. The edges are a quarter decade apart, from the smallest to the largest
     * log10 σ inside [{@link #SPECTRUM_MIN}, {@link #SPECTRUM_MAX}] in the panel; zeros, non-finite
     * values and values outside that range are counted in {@code outside}. Empty when the jacobian
     * view has no rows.
     */
    List<JacobianSpectrum> jacobianSpectra() {
        Dataset<Row> jacobian = spark.table(Views.JACOBIAN);
        if (jacobian.isEmpty()) {
            return List.of();
        }
        List<String> initColumns = keys.config().stream().filter(Keys::describesInit).toList();
        List<String> panelColumns = keys.config().stream()
                .filter(c -> !Keys.describesInit(c) && !c.equals(Keys.DEPTH)).toList();
        Column[] panel = columns(panelColumns).toArray(new Column[0]);
        Dataset<Row> deepest = jacobian
                .withColumn("_deepest", max(col(Keys.DEPTH)).over(Window.partitionBy(panel)))
                .where(col(Keys.DEPTH).equalTo(col("_deepest")));
        List<Column> keyed = new ArrayList<>(columns(panelColumns));
        keyed.addAll(columns(initColumns));
        keyed.add(col(Keys.DEPTH));
        // sv > 0 and sv < Infinity leave out zeros, negatives, NaN (greater than any double in Spark) and Infinity
        Column sv = col("_sv");
        Column log = log10(sv);
        Column inside = sv.gt(0).and(sv.lt(lit(Double.POSITIVE_INFINITY))).and(log.geq(SPECTRUM_MIN))
                .and(log.leq(SPECTRUM_MAX));
        double step = 1.0 / SPECTRUM_BINS_PER_DECADE;
        List<Column> values = new ArrayList<>(keyed);
        values.add(functions.explode(col("singular_values")).alias("_sv"));
        Dataset<Row> logs = deepest.select(values.toArray(new Column[0]))
                .withColumn("_log", functions.when(inside, log));
        org.apache.spark.sql.expressions.WindowSpec byPanel = Window.partitionBy(panel);
        Dataset<Row> binned = logs
                .withColumn("_lo", functions.floor(functions.min(col("_log")).over(byPanel).multiply(SPECTRUM_BINS_PER_DECADE))
                        .divide(SPECTRUM_BINS_PER_DECADE))
                .withColumn("_hi", functions.floor(max(col("_log")).over(byPanel).multiply(SPECTRUM_BINS_PER_DECADE))
                        .divide(SPECTRUM_BINS_PER_DECADE).plus(step))
                .withColumn("_bin", functions.floor(col("_log").minus(col("_lo")).multiply(SPECTRUM_BINS_PER_DECADE)));
        List<Column> groups = new ArrayList<>(keyed);
        groups.add(col("_lo"));
        groups.add(col("_hi"));
        groups.add(col("_bin"));
        List<Row> cells = binned.groupBy(groups.toArray(new Column[0])).agg(count(lit(1)).alias("_n")).collectAsList();
        Map<Config, Long> rowsBySetting = new LinkedHashMap<>();
        List<String> configColumns = new ArrayList<>(panelColumns);
        configColumns.addAll(initColumns);
        for (Row r : deepest.groupBy(columns(configColumns).toArray(new Column[0])).agg(count(lit(1)).alias("_rows"))
                .collectAsList()) {
            rowsBySetting.put(Config.of(r, configColumns), r.getLong(r.fieldIndex("_rows")));
        }

        Map<Config, List<Row>> byPanelRows = new LinkedHashMap<>();
        for (Row r : cells) {
            byPanelRows.computeIfAbsent(Config.of(r, panelColumns), k -> new ArrayList<>()).add(r);
        }
        List<JacobianSpectrum> spectra = new ArrayList<>();
        byPanelRows.keySet().stream().sorted(STORY_ORDER).forEach(p -> {
            List<Row> rows = byPanelRows.get(p);
            Row first = rows.get(0);
            int depth = first.getInt(first.fieldIndex(Keys.DEPTH));
            Object lo = first.get(first.fieldIndex("_lo"));
            double[] edges;
            if (lo == null) { // nothing inside the range: no bins, everything outside
                edges = new double[0];
            } else {
                double low = ((Number) lo).doubleValue();
                double high = ((Number) first.get(first.fieldIndex("_hi"))).doubleValue();
                int bins = (int) Math.round((high - low) * SPECTRUM_BINS_PER_DECADE);
                edges = new double[bins + 1];
                for (int k = 0; k <= bins; k++) {
                    edges[k] = low + k * step;
                }
            }
            Map<Config, long[]> counts = new LinkedHashMap<>();
            Map<Config, long[]> totals = new LinkedHashMap<>(); // values, outside
            for (Row r : rows) {
                Config setting = Config.of(r, initColumns);
                long[] c = counts.computeIfAbsent(setting, k -> new long[Math.max(0, edges.length - 1)]);
                long[] t = totals.computeIfAbsent(setting, k -> new long[2]);
                long n = r.getLong(r.fieldIndex("_n"));
                Object bin = r.get(r.fieldIndex("_bin"));
                t[0] += n;
                if (bin == null) {
                    t[1] += n;
                } else {
                    c[(int) ((Number) bin).longValue()] += n;
                }
            }
            List<SpectrumSeries> series = new ArrayList<>();
            counts.keySet().stream().sorted(STORY_ORDER).forEach(setting -> {
                List<Object> v = new ArrayList<>(p.values());
                v.addAll(setting.values());
                long sampled = rowsBySetting.getOrDefault(new Config(configColumns, v), 0L);
                series.add(new SpectrumSeries(setting, counts.get(setting), totals.get(setting)[0], totals.get(setting)[1],
                        sampled));
            });
            spectra.add(new JacobianSpectrum(p, depth, edges, series));
        });
        return spectra;
    }

    /**
     * E[δ²] (grad_sq_mean) per layer, averaged over seeds, one line per init setting and one profile
     * per panel, as {@link #profiles()}; each line at the largest depth its configuration has.
     */
    List<GradientProfile> gradientProfiles() {
        Split split = layerSplit();
        List<String> lineConfig = split.line();
        List<Column> perLayer = new ArrayList<>(columns(lineConfig));
        perLayer.add(col(Keys.DEPTH));
        perLayer.add(col("layer"));
        List<Row> rows = spark.table(Views.LAYERS)
                .where(col("grad_sq_mean").isNotNull())
                .withColumn("_deepest", max(col(Keys.DEPTH)).over(Window.partitionBy(columns(lineConfig).toArray(new Column[0]))))
                .where(col(Keys.DEPTH).equalTo(col("_deepest")))
                .groupBy(perLayer.toArray(new Column[0]))
                .agg(avg("grad_sq_mean").alias("grad_sq_mean"), count(lit(1)).alias("seeds"))
                .collectAsList();

        List<GradientProfile> profiles = new ArrayList<>();
        lineSeries(rows, split.panel(), lineConfig, List.of("grad_sq_mean")).forEach((panel, lines) ->
                profiles.add(new GradientProfile(panel, lines.stream().map(l -> new GradientLine(l.line().only(split.init()),
                        l.first().getInt(l.first().fieldIndex(Keys.DEPTH)), l.xs(), l.values()[0], l.seeds())).toList())));
        return profiles;
    }

    /**
     * log10(grad_first_over_last) of the runs table averaged over seeds (the geometric mean's
     * log, as jobs/sql/vanishing_exploding.sql; a ratio of 0 makes its cell −∞), over (init setting × depth), one heatmap per
     * panel. With two or more init_std values the columns are the settings of the inits that have
     * an init_std; otherwise every init.
     */
    List<GradientHeatmap> gradientHeatmaps() {
        List<String> settingColumns = keys.config().stream().filter(Keys::describesInit).toList();
        List<String> panelColumns = keys.config().stream()
                .filter(c -> !Keys.describesInit(c) && !c.equals(Keys.DEPTH)).toList();
        Dataset<Row> runs = spark.table(Views.RUNS).where(col("grad_first_over_last").isNotNull());
        boolean byStd = keys.all().contains(Keys.INIT_STD)
                && runs.where(col(Keys.INIT_STD).isNotNull()).select(Keys.INIT_STD).distinct().limit(2).count() > 1;
        if (byStd) {
            runs = runs.where(col(Keys.INIT_STD).isNotNull());
        }
        List<Column> groups = new ArrayList<>(columns(panelColumns));
        groups.addAll(columns(settingColumns));
        groups.add(col(Keys.DEPTH));
        List<Row> cells = runs.groupBy(groups.toArray(new Column[0]))
                .agg(avg(log10OrMinusInfinity(col("grad_first_over_last"))).alias("log10_first_over_last"),
                        count(lit(1)).alias("seeds"))
                .collectAsList();
        Map<Config, List<Row>> byPanel = new LinkedHashMap<>();
        for (Row r : cells) {
            byPanel.computeIfAbsent(Config.of(r, panelColumns), k -> new ArrayList<>()).add(r);
        }
        List<String> named = List.of(Keys.INIT, Keys.INIT_VALUE, Keys.INIT_STD);
        List<GradientHeatmap> maps = new ArrayList<>();
        byPanel.keySet().stream().sorted(STORY_ORDER).forEach(panel -> {
            List<Row> rows = byPanel.get(panel);
            List<Config> settings = rows.stream().map(r -> Config.of(r, settingColumns)).distinct()
                    .sorted(byStd ? SETTING_ORDER : STORY_ORDER).toList();
            List<Integer> depths = rows.stream().map(r -> r.<Integer>getAs(Keys.DEPTH)).distinct().sorted().toList();
            double[][] values = nans(settings.size(), depths.size());
            long[][] seeds = new long[settings.size()][depths.size()];
            for (Row r : rows) {
                int x = settings.indexOf(Config.of(r, settingColumns));
                int y = depths.indexOf(r.<Integer>getAs(Keys.DEPTH));
                values[x][y] = nullToNaN(r.getAs("log10_first_over_last"));
                seeds[x][y] = r.getLong(r.fieldIndex("seeds"));
            }
            List<String> labels = Config.distinctLabels(settings, byStd ? c -> Config.format(c.get(Keys.INIT_STD))
                    : c -> c.only(named).label(Set.of()));
            maps.add(new GradientHeatmap(panel, byStd ? Keys.INIT_STD : Keys.INIT, settings, labels, depths, values, seeds));
        });
        return maps;
    }

    /** Whether the layers view has theory rows (theory_q not null). */
    boolean hasTheory() {
        Dataset<Row> layers = spark.table(Views.LAYERS);
        return java.util.Arrays.asList(layers.columns()).contains("theory_q")
                && !layers.where(col("theory_q").isNotNull()).limit(1).isEmpty();
    }

    /** The phase diagrams and theory profiles, or {@link Theory#NONE} when no layer carries the theory. */
    Theory theory() {
        return hasTheory() ? new Theory(phaseDiagrams(), theoryProfiles()) : Theory.NONE;
    }

    /**
     * χ₁ over (σ_w² × σ_b²) per panel, for panels with at least two distinct values of each among the
     * runs whose theory chi1 is not null; see {@link PhaseDiagram}.
     */
    List<PhaseDiagram> phaseDiagrams() {
        Dataset<Row> runs = spark.table(Views.RUNS);
        List<String> present = java.util.Arrays.asList(runs.columns());
        if (!present.containsAll(List.of("chi1", "depth_over_xi_c", "bias_std", "weight_std", "width"))) {
            return List.of();
        }
        runs = runs.where(col("chi1").isNotNull().and(functions.not(functions.isnan(col("chi1"))))
                .and(col("weight_std").isNotNull()).and(col("bias_std").isNotNull()));
        boolean measured = present.contains("chi1_measured") && !runs.where(col("chi1_measured").isNotNull()).limit(1).isEmpty();
        List<String> panelColumns = keys.config().stream().filter(c -> !Keys.describesInit(c) && !c.equals(Keys.DEPTH)
                && !c.equals("bias_std")).toList();
        Column[] panel = columns(panelColumns).toArray(new Column[0]);
        List<Column> groups = new ArrayList<>(columns(panelColumns));
        groups.add(col("_sigma_b2"));
        groups.add(col("_sigma_w2"));
        // rounded to 9 decimals: inits whose weight_std differ in the last bit (orthogonal's gain/√fan_in,
        // variance_scaling's √(scale/fan_in)) share a σ_w²
        List<Row> cells = runs
                .withColumn("_sigma_w2", functions.round(col("width").multiply(col("weight_std")).multiply(col("weight_std")),
                        SIGMA_DECIMALS))
                .withColumn("_sigma_b2", functions.round(col("bias_std").multiply(col("bias_std")), SIGMA_DECIMALS))
                .withColumn("_deepest", max(col(Keys.DEPTH)).over(Window.partitionBy(panel)))
                .groupBy(groups.toArray(new Column[0]))
                .agg(avg("chi1").alias("_chi1"), avg(measured ? col("chi1_measured") : col("chi1")).alias("_shown"),
                        count(measured ? col("chi1_measured") : col("chi1")).alias("_runs"),
                        avg(functions.when(col(Keys.DEPTH).equalTo(col("_deepest")), col("depth_over_xi_c"))).alias("_dxi"),
                        max(col("_deepest")).alias("_deepest"))
                .collectAsList();
        Map<Config, List<Row>> byPanel = new LinkedHashMap<>();
        for (Row r : cells) {
            byPanel.computeIfAbsent(Config.of(r, panelColumns), k -> new ArrayList<>()).add(r);
        }
        List<PhaseDiagram> diagrams = new ArrayList<>();
        byPanel.keySet().stream().sorted(STORY_ORDER).forEach(p -> {
            List<Row> rows = byPanel.get(p);
            List<Double> w = rows.stream().map(ReportData::sigmaW2).distinct().sorted().toList();
            List<Double> b = rows.stream().map(ReportData::sigmaB2).distinct().sorted().toList();
            if (w.size() < 2 || b.size() < 2) {
                return;
            }
            double[][] chi1 = nans(w.size(), b.size());
            double[][] theory = nans(w.size(), b.size());
            double[][] dxi = nans(w.size(), b.size());
            long[][] n = new long[w.size()][b.size()];
            int depth = 0;
            for (Row r : rows) {
                int x = w.indexOf(sigmaW2(r));
                int y = b.indexOf(sigmaB2(r));
                chi1[x][y] = nullToNaN(r.getAs("_shown"));
                theory[x][y] = nullToNaN(r.getAs("_chi1"));
                dxi[x][y] = nullToNaN(r.getAs("_dxi"));
                n[x][y] = r.getLong(r.fieldIndex("_runs"));
                depth = Math.max(depth, r.getInt(r.fieldIndex("_deepest")));
            }
            diagrams.add(new PhaseDiagram(p, measured, w, b, chi1, n, depth, dxi, criticalLine(w, b, theory)));
        });
        return diagrams;
    }

    /** Decimals σ_w² and σ_b² are rounded to before grouping. */
    static final int SIGMA_DECIMALS = 9;

    private static double sigmaW2(Row r) {
        return r.getDouble(r.fieldIndex("_sigma_w2"));
    }

    private static double sigmaB2(Row r) {
        return r.getDouble(r.fieldIndex("_sigma_b2"));
    }

    /**
     * Per σ_b², the σ_w² where {@code chi1} crosses 1 between neighbouring σ_w² (skipping cells
     * without a value), linearly interpolated, as jobs/sql/critical_line.sql; a grid value where χ₁
     * is exactly 1 counts once.
     */
    static List<double[]> criticalLine(List<Double> sigmaW2, List<Double> sigmaB2, double[][] chi1) {
        List<double[]> line = new ArrayList<>();
        for (int y = 0; y < sigmaB2.size(); y++) {
            List<Integer> xs = new ArrayList<>();
            for (int x = 0; x < sigmaW2.size(); x++) {
                if (!Double.isNaN(chi1[x][y])) {
                    xs.add(x);
                }
            }
            double last = Double.NaN;
            for (int i = 0; i + 1 < xs.size(); i++) {
                double w0 = sigmaW2.get(xs.get(i));
                double w1 = sigmaW2.get(xs.get(i + 1));
                double c0 = chi1[xs.get(i)][y];
                double c1 = chi1[xs.get(i + 1)][y];
                if ((c0 - 1) * (c1 - 1) > 0 || (c0 == 1 && c1 == 1)) {
                    continue;
                }
                double at = c1 == c0 ? w0 : w0 + (1 - c0) * (w1 - w0) / (c1 - c0);
                if (!(Math.abs(at - last) <= 1e-12 * Math.max(1, Math.abs(at)))) {
                    line.add(new double[] {sigmaB2.get(y), at});
                }
                last = at;
            }
        }
        return line;
    }

    /**
     * Per layer-profile panel and configuration, measured E[A²] and c beside the theory's q and c,
     * averaged over seeds (each chain's layer once, as {@link #profiles()}), on the layers whose
     * theory_q is not null; configurations without theory are left out.
     */
    List<TheoryProfile> theoryProfiles() {
        Split split = layerSplit();
        List<String> metrics = List.of("pre_sq_mean", "theory_q", "pre_corr_mean", "theory_c");
        List<Row> rows = layerMeans(spark.table(Views.LAYERS).where(col("theory_q").isNotNull()), split.line(), metrics);
        List<TheoryProfile> profiles = new ArrayList<>();
        lineSeries(rows, split.panel(), split.line(), metrics).forEach((panel, lines) ->
                profiles.add(new TheoryProfile(panel, lines.stream().map(l -> new TheoryLine(l.line().only(split.init()),
                        l.xs(), l.values()[0], l.values()[1], l.values()[2], l.values()[3], l.seeds())).toList())));
        return profiles;
    }

    /**
     * How a figure splits a configuration's columns: {@code line}, every column a line keeps apart;
     * {@code panel}, those that are not the init's (and, unless depths have panels of their own, not
     * the depth); {@code init}, the init's, which label a line within its panel.
     */
    private record Split(List<String> line, List<String> panel, List<String> init) {
        static Split of(List<String> line, boolean panelPerDepth) {
            return new Split(line, line.stream().filter(c -> !Keys.describesInit(c) && (panelPerDepth || !c.equals(Keys.DEPTH)))
                    .toList(), line.stream().filter(Keys::describesInit).toList());
        }
    }

    /** The per-layer figures' split: every key but the identifiers and the depth (depths read one chain). */
    private Split layerSplit() {
        return Split.of(keys.without(union(Keys.IDENTIFIERS, Set.of(Keys.DEPTH))), true);
    }

    /**
     * Per (configuration, layer) means over seeds of {@code metrics}, with a {@code seeds} count:
     * averaged within a seed first, so that each (configuration, seed, layer) counts once however
     * many depths read its chain.
     */
    private static List<Row> layerMeans(Dataset<Row> layers, List<String> lineConfig, List<String> metrics) {
        List<Column> perSeed = new ArrayList<>(columns(lineConfig));
        perSeed.add(col(Keys.SEED));
        perSeed.add(col("layer"));
        List<Column> perLayer = new ArrayList<>(columns(lineConfig));
        perLayer.add(col("layer"));
        List<Column> means = metrics.stream().map(m -> avg(m).alias(m)).toList();
        List<Column> meansAndSeeds = new ArrayList<>(means);
        meansAndSeeds.add(count(lit(1)).alias("seeds"));
        return layers.groupBy(perSeed.toArray(new Column[0]))
                .agg(means.get(0), means.subList(1, means.size()).toArray(new Column[0]))
                .groupBy(perLayer.toArray(new Column[0]))
                .agg(meansAndSeeds.get(0), meansAndSeeds.subList(1, meansAndSeeds.size()).toArray(new Column[0]))
                .collectAsList();
    }

    /**
     * One line of a per-layer figure: its configuration, its layers in order, each metric's value
     * per layer (NaN for null) and the fewest seeds behind a point; {@code first} is its first row.
     */
    private record LineSeries(Config line, Row first, int[] xs, double[][] values, long seeds) {}

    /**
     * Rows of per-layer means (a {@code layer} and a {@code seeds} column and each of {@code metrics})
     * grouped into panels, then lines, both in story order, each line's points in layer order.
     */
    private static Map<Config, List<LineSeries>> lineSeries(List<Row> rows, List<String> panelColumns,
            List<String> lineConfig, List<String> metrics) {
        return lineSeries(rows, panelColumns, lineConfig, metrics, "layer");
    }

    /** As {@link #lineSeries(List, List, List, List)} over another integer x column (the training's {@code step}). */
    private static Map<Config, List<LineSeries>> lineSeries(List<Row> rows, List<String> panelColumns,
            List<String> lineConfig, List<String> metrics, String x) {
        Map<Config, Map<Config, List<Row>>> byPanel = new LinkedHashMap<>();
        for (Row r : rows) {
            byPanel.computeIfAbsent(Config.of(r, panelColumns), k -> new LinkedHashMap<>())
                    .computeIfAbsent(Config.of(r, lineConfig), k -> new ArrayList<>()).add(r);
        }
        Map<Config, List<LineSeries>> panels = new LinkedHashMap<>();
        byPanel.keySet().stream().sorted(STORY_ORDER).forEach(panel -> {
            List<LineSeries> lines = new ArrayList<>();
            byPanel.get(panel).entrySet().stream().sorted(Map.Entry.comparingByKey(STORY_ORDER)).forEach(e -> {
                List<Row> points = new ArrayList<>(e.getValue());
                points.sort(Comparator.comparingInt(r -> r.getInt(r.fieldIndex(x))));
                int[] xs = new int[points.size()];
                double[][] values = new double[metrics.size()][points.size()];
                long seeds = Long.MAX_VALUE;
                for (int i = 0; i < points.size(); i++) {
                    Row p = points.get(i);
                    xs[i] = p.getInt(p.fieldIndex(x));
                    for (int m = 0; m < metrics.size(); m++) {
                        values[m][i] = nullToNaN(p.getAs(metrics.get(m)));
                    }
                    seeds = Math.min(seeds, p.getLong(p.fieldIndex("seeds")));
                }
                lines.add(new LineSeries(e.getKey(), points.get(0), xs, values, seeds));
            });
            panels.put(panel, lines);
        });
        return panels;
    }

    /**
     * log10 of a ratio, −∞ for 0 (Spark's log10 gives null there, which avg would skip: a seed whose
     * first layer has no gradient at all makes the cell −∞, not the mean of the other seeds).
     */
    private static Column log10OrMinusInfinity(Column ratio) {
        return functions.when(ratio.equalTo(0), lit(Double.NEGATIVE_INFINITY)).otherwise(log10(ratio));
    }

    /** Whether the training view has rows: the sweep has a {@code training} block. */
    boolean hasTraining() {
        return !spark.table(Views.TRAINING).isEmpty();
    }

    /** The loss curves, trainability maps and symmetry, or {@link Training#NONE} without training rows. */
    Training training() {
        return hasTraining() ? new Training(lossCurves(), trainability(), symmetry()) : Training.NONE;
    }

    /** The value when it is a finite number, else null (so avg, min, max and count skip it). */
    private static Column finiteOrNull(Column c) {
        return functions.when(c.isNotNull().and(functions.not(functions.isnan(c)))
                .and(functions.abs(c).lt(lit(Double.POSITIVE_INFINITY))), c);
    }

    /** mean, min, max and count of {@code value} under {@code prefix}_mean, ... */
    private static Column[] stepAggregates(Column value, String prefix) {
        return new Column[] {avg(value).alias(prefix + "_mean"), functions.min(value).alias(prefix + "_min"),
                max(value).alias(prefix + "_max"), count(value).alias(prefix + "_n")};
    }

    private static List<String> stepMetrics(String prefix) {
        return List.of(prefix + "_mean", prefix + "_min", prefix + "_max", prefix + "_n");
    }

    /** A {@link StepSeries} from four of a line's metric arrays: mean, min, max, count. */
    private static StepSeries stepSeries(LineSeries l, int from) {
        double[][] v = l.values();
        long[] n = new long[l.xs().length];
        for (int i = 0; i < n.length; i++) {
            n[i] = Double.isNaN(v[from + 3][i]) ? 0 : (long) v[from + 3][i];
        }
        return new StepSeries(l.xs(), v[from], v[from + 1], v[from + 2], n);
    }

    /**
     * Train and test loss against step: per panel (every key but the init's) one line per init
     * setting, the mean, min and max over seeds of the finite losses recorded at each step, and the
     * seeds that diverged with their last finite records.
     */
    List<LossPanel> lossCurves() {
        Split split = Split.of(keys.config(), true);
        List<String> lineConfig = split.line();
        List<String> panelColumns = split.panel();
        List<String> initColumns = split.init();
        List<Column> groups = new ArrayList<>(columns(lineConfig));
        groups.add(col("step"));
        List<Column> aggregates = new ArrayList<>(List.of(stepAggregates(col("_train"), "train")));
        aggregates.addAll(List.of(stepAggregates(col("_test"), "test")));
        aggregates.add(functions.countDistinct(col(Keys.SEED)).alias("seeds"));
        List<Row> rows = spark.table(Views.TRAINING)
                .withColumn("_train", finiteOrNull(col("train_loss")))
                .withColumn("_test", finiteOrNull(col("test_loss")))
                .groupBy(groups.toArray(new Column[0]))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
                .collectAsList();
        List<String> metrics = new ArrayList<>(stepMetrics("train"));
        metrics.addAll(stepMetrics("test"));
        metrics.add("seeds");
        Map<Config, List<Divergence>> diverged = divergences(lineConfig);
        List<LossPanel> panels = new ArrayList<>();
        lineSeries(rows, panelColumns, lineConfig, metrics, "step").forEach((panel, lines) ->
                panels.add(new LossPanel(panel, lines.stream().map(l -> {
                    long seeds = 0;
                    for (double n : l.values()[8]) {
                        seeds = Math.max(seeds, (long) n);
                    }
                    return new LossLine(l.line().only(initColumns), stepSeries(l, 0), stepSeries(l, 4), seeds,
                            diverged.getOrDefault(l.line(), List.of()));
                }).toList())));
        return panels;
    }

    /** The diverged runs by configuration (lineConfig), seeds in order, with their last finite records. */
    private Map<Config, List<Divergence>> divergences(List<String> lineConfig) {
        Dataset<Row> runs = spark.table(Views.RUNS);
        if (!java.util.Arrays.asList(runs.columns()).contains("diverged")) {
            return Map.of();
        }
        List<Column> picked = new ArrayList<>(columns(lineConfig));
        picked.add(col(Keys.RUN_ID));
        picked.add(col(Keys.SEED));
        picked.add(col("diverged_at"));
        List<Row> stopped = runs.where(col("diverged").equalTo(true)).select(picked.toArray(new Column[0]))
                .orderBy(col(Keys.SEED)).collectAsList();
        if (stopped.isEmpty()) {
            return Map.of();
        }
        Dataset<Row> training = spark.table(Views.TRAINING)
                .where(col(Keys.RUN_ID).isin(stopped.stream().map(r -> r.getAs(Keys.RUN_ID)).toArray()));
        Map<String, Object[]> lastTrain = lastFinite(training, "train_loss");
        Map<String, Object[]> lastTest = lastFinite(training, "test_loss");
        Map<Config, List<Divergence>> byLine = new LinkedHashMap<>();
        for (Row r : stopped) {
            String id = r.getAs(Keys.RUN_ID);
            Object[] tr = lastTrain.getOrDefault(id, new Object[] {-1, Double.NaN});
            Object[] te = lastTest.getOrDefault(id, new Object[] {-1, Double.NaN});
            Object at = r.getAs("diverged_at");
            byLine.computeIfAbsent(Config.of(r, lineConfig), k -> new ArrayList<>()).add(new Divergence(
                    r.<Long>getAs(Keys.SEED), at == null ? -1 : ((Number) at).intValue(), ((Number) tr[0]).intValue(),
                    ((Number) tr[1]).doubleValue(), ((Number) te[0]).intValue(), ((Number) te[1]).doubleValue()));
        }
        return byLine;
    }

    /** Per run_id the last step whose {@code column} is finite, and that value. */
    private static Map<String, Object[]> lastFinite(Dataset<Row> training, String column) {
        Map<String, Object[]> last = new LinkedHashMap<>();
        for (Row r : training.where(finiteOrNull(col(column)).isNotNull()).groupBy(col(Keys.RUN_ID))
                .agg(max(col("step")).alias("_step"), functions.max_by(col(column), col("step")).alias("_value"))
                .collectAsList()) {
            last.put(r.getString(0), new Object[] {r.get(1), r.get(2)});
        }
        return last;
    }

    /**
     * The share of seeds with {@code trained} over (σ_w² × depth) per panel with at least two of
     * each, and the mean ξ_c per σ_w²; see {@link Trainability}.
     */
    List<Trainability> trainability() {
        Dataset<Row> runs = spark.table(Views.RUNS);
        List<String> present = java.util.Arrays.asList(runs.columns());
        if (!present.containsAll(List.of("trained", "xi_c", "weight_std", "width"))) {
            return List.of();
        }
        runs = runs.where(col("trained").isNotNull().and(col("weight_std").gt(0)))
                .withColumn("_sigma_w2", functions.round(col("width").multiply(col("weight_std")).multiply(col("weight_std")),
                        SIGMA_DECIMALS));
        List<String> panelColumns = keys.config().stream().filter(c -> !Keys.describesInit(c) && !c.equals(Keys.DEPTH))
                .toList();
        List<Column> byColumn = new ArrayList<>(columns(panelColumns));
        byColumn.add(col("_sigma_w2"));
        List<Column> byCell = new ArrayList<>(byColumn);
        byCell.add(col(Keys.DEPTH));
        List<Row> cells = runs.groupBy(byCell.toArray(new Column[0]))
                .agg(functions.sum(functions.when(col("trained"), 1L).otherwise(0L)).alias("_trained"),
                        count(lit(1)).alias("_runs"))
                .collectAsList();
        Map<Config, Double> xi = new LinkedHashMap<>();
        List<String> columnKeys = new ArrayList<>(panelColumns);
        columnKeys.add("_sigma_w2");
        for (Row r : runs.groupBy(byColumn.toArray(new Column[0])).agg(avg(col("xi_c")).alias("_xi")).collectAsList()) {
            xi.put(Config.of(r, columnKeys), nullToNaN(r.getAs("_xi")));
        }
        Map<Config, List<Row>> byPanel = new LinkedHashMap<>();
        for (Row r : cells) {
            byPanel.computeIfAbsent(Config.of(r, panelColumns), k -> new ArrayList<>()).add(r);
        }
        List<Trainability> maps = new ArrayList<>();
        byPanel.keySet().stream().sorted(STORY_ORDER).forEach(p -> {
            List<Row> rows = byPanel.get(p);
            List<Double> w = rows.stream().map(ReportData::sigmaW2).distinct().sorted().toList();
            List<Integer> depths = rows.stream().map(r -> r.<Integer>getAs(Keys.DEPTH)).distinct().sorted().toList();
            if (w.size() < 2 || depths.size() < 2) {
                return;
            }
            double[][] share = nans(w.size(), depths.size());
            long[][] trained = new long[w.size()][depths.size()];
            long[][] n = new long[w.size()][depths.size()];
            for (Row r : rows) {
                int x = w.indexOf(sigmaW2(r));
                int y = depths.indexOf(r.<Integer>getAs(Keys.DEPTH));
                trained[x][y] = r.getLong(r.fieldIndex("_trained"));
                n[x][y] = r.getLong(r.fieldIndex("_runs"));
                share[x][y] = trained[x][y] / (double) n[x][y];
            }
            double[] xiC = new double[w.size()];
            for (int x = 0; x < w.size(); x++) {
                List<Object> v = new ArrayList<>(p.values());
                v.add(w.get(x));
                xiC[x] = xi.getOrDefault(new Config(columnKeys, v), Double.NaN);
            }
            maps.add(new Trainability(p, w, depths, share, trained, n, xiC));
        });
        return maps;
    }

    /**
     * The fewest distinct units over a network's layers (array_min of distinct_units) against step:
     * per panel (every key but the init's and the depth) at its largest depth, one line per init
     * setting, mean, min and max over seeds.
     */
    List<SymmetryPanel> symmetry() {
        Split split = Split.of(keys.config(), false);
        List<String> lineConfig = split.line();
        List<String> panelColumns = split.panel();
        List<String> initColumns = split.init();
        List<Column> groups = new ArrayList<>(columns(lineConfig));
        groups.add(col("step"));
        Column[] aggregates = stepAggregates(col("_units"), "units");
        List<Column> rest = new ArrayList<>(List.of(aggregates).subList(1, aggregates.length));
        rest.add(max(col("width")).alias("_width"));
        rest.add(functions.countDistinct(col(Keys.SEED)).alias("seeds"));
        List<Row> rows = spark.table(Views.TRAINING)
                .withColumn("_deepest", max(col(Keys.DEPTH)).over(Window.partitionBy(columns(panelColumns).toArray(new Column[0]))))
                .where(col(Keys.DEPTH).equalTo(col("_deepest")))
                .withColumn("_units", functions.array_min(col("distinct_units")).cast("double"))
                .groupBy(groups.toArray(new Column[0]))
                .agg(aggregates[0], rest.toArray(new Column[0]))
                .collectAsList();
        List<String> metrics = new ArrayList<>(stepMetrics("units"));
        metrics.add("_width");
        List<SymmetryPanel> panels = new ArrayList<>();
        lineSeries(rows, panelColumns, lineConfig, metrics, "step").forEach((panel, lines) -> {
            int width = 0;
            for (LineSeries l : lines) {
                for (double v : l.values()[4]) {
                    width = Math.max(width, (int) v);
                }
            }
            Row first = lines.get(0).first();
            panels.add(new SymmetryPanel(panel, first.getInt(first.fieldIndex(Keys.DEPTH)), width,
                    lines.stream().map(l -> new SymmetryLine(l.line().only(initColumns), stepSeries(l, 0))).toList()));
        });
        return panels;
    }

    /** The manifest of the sweep (the first, when several are registered). */
    Summary summary() {
        List<String> json = spark.table(Views.SWEEPS).toJSON().collectAsList();
        try {
            return new Summary(JSON.readTree(json.isEmpty() ? "{}" : json.get(0)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rows in the order of the seed story: sigmoid, tanh, relu, then other activations; normal,
     * xavier_normal, kaiming_normal, then other inits; larger std first; every other key ascending.
     */
    static final Comparator<Config> STORY_ORDER = (a, b) -> {
        int c = Integer.compare(rank(a, Keys.ACTIVATION, List.of("sigmoid", "tanh", "relu")),
                rank(b, Keys.ACTIVATION, List.of("sigmoid", "tanh", "relu")));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(rank(a, Keys.INIT, List.of("normal", "xavier_normal", "kaiming_normal")),
                rank(b, Keys.INIT, List.of("normal", "xavier_normal", "kaiming_normal")));
        if (c != 0) {
            return c;
        }
        for (String k : List.of(Keys.ACTIVATION, Keys.INIT)) {
            c = compareValues(a.has(k) ? a.get(k) : null, b.has(k) ? b.get(k) : null);
            if (c != 0) {
                return c;
            }
        }
        if (a.has(Keys.INIT_STD) && b.has(Keys.INIT_STD)) {
            c = compareValues(b.get(Keys.INIT_STD), a.get(Keys.INIT_STD));
            if (c != 0) {
                return c;
            }
        }
        for (int i = 0; i < a.columns().size(); i++) {
            String k = a.columns().get(i);
            if (b.has(k)) {
                c = compareValues(a.get(k), b.get(k));
                if (c != 0) {
                    return c;
                }
            }
        }
        return 0;
    };

    private static int rank(Config c, String column, List<String> order) {
        if (!c.has(column)) {
            return 0;
        }
        int i = order.indexOf(String.valueOf(c.get(column)));
        return i < 0 ? order.size() : i;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (Objects.equals(a, b)) {
            return 0;
        }
        if (a == null) {
            return 1;
        }
        if (b == null) {
            return -1;
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    private static List<Column> columns(List<String> names) {
        return names.stream().map(functions::col).toList();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static double[][] nans(int x, int y) {
        double[][] m = new double[x][y];
        for (double[] row : m) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        return m;
    }

    private static double nullToNaN(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    private static double[] doubles(List<Object> v) {
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) v.get(i)).doubleValue();
        }
        return d;
    }

    private static long[] longs(List<Object> v) {
        long[] d = new long[v.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) v.get(i)).longValue();
        }
        return d;
    }

    /** A --histograms condition that selects nothing: a usage error. */
    static final class NoMatchException extends ReportException {
        NoMatchException(String message) {
            super(message);
        }
    }
}
