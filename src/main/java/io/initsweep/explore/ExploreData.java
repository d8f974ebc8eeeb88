package io.initsweep.explore;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.initsweep.report.Keys;
import io.initsweep.report.ReportData;
import io.initsweep.tables.Views;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StructField;

/**
 * What the explorer page holds, read with Spark SQL from the registered views (as the report reads
 * them): every grid point of {@code runs} with its coordinates and final-layer numbers, and for the
 * grid points within the page's budget their per-layer rows of {@code layers} (histogram, moments,
 * rates, theory, gradients), their Jacobian spectrum and their training curve. One JSON document;
 * {@link ExplorerPage} puts it into the HTML.
 */
final class ExploreData {
    /** Key columns that are never a control: the same for every row of a sweep, or identifiers. */
    static final Set<String> NOT_CONTROLS = Set.of("sweep", Keys.RUN_ID, Keys.CHAIN_ID, "master_seed");
    /** Controls shown even when the sweep has one value of them. */
    static final Set<String> ALWAYS_SHOWN = Set.of(Keys.INIT, Keys.ACTIVATION, Keys.DEPTH, Keys.SEED);

    /** Per-layer columns carried for the panels, when the layers view has them. */
    static final List<String> LAYER_METRICS = List.of("act_std", "act_mean", "pre_sq_mean", "theory_q", "pre_corr_mean",
            "theory_c", "saturation_rate", "theory_saturation_rate", "dead_unit_rate", "zero_rate", "weight_rms",
            "grad_sq_mean", "grad_ratio", "theory_chi1", "weight_grad_norm", "weight_grad_ratio");

    /** Decimals σ_w² and σ_b² are rounded to, as the report's phase diagram (inits of one σ_w² share a column). */
    static final int SIGMA_DECIMALS = 9;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ExploreData() {}

    /** The page's data and how the grid points with layer data were chosen. */
    record Gathered(ObjectNode json, String sweep, long gridPoints, long shown, String sampling) {}

    /** Reads everything the page shows from the registered views; at most {@code maxLayerRows} layer rows. */
    static Gathered gather(SparkSession spark, int maxLayerRows) {
        ReportData report = new ReportData(spark);
        Keys keys = report.keys;
        List<String> controls = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        for (String k : keys.all()) {
            if (NOT_CONTROLS.contains(k)) {
                continue;
            }
            if (keys.distinct().getOrDefault(k, 1L) > 1 || ALWAYS_SHOWN.contains(k)) {
                controls.add(k);
            } else {
                fixed.add(k);
            }
        }
        Dataset<Row> runsView = spark.table(Views.RUNS);
        List<String> runColumns = Arrays.asList(runsView.columns());
        List<String> metrics = new ArrayList<>();
        for (StructField f : runsView.schema().fields()) {
            if (!keys.all().contains(f.name()) && isNumber(f.dataType())) {
                metrics.add(f.name());
            }
        }
        List<String> selected = new ArrayList<>(List.of(Keys.RUN_ID, "sweep"));
        selected.addAll(controls);
        selected.addAll(fixed);
        selected.addAll(metrics);
        List<Row> runs = runsView.select(selected.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();

        // the controls' values, sorted (numbers ascending, nulls last), and each run's index into them
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (String c : controls) {
            values.put(c, runs.stream().map(r -> r.get(r.fieldIndex(c))).distinct().sorted(VALUE_ORDER).toList());
        }
        // runs in control order, so "first" means the same thing everywhere on the page
        List<Row> ordered = new ArrayList<>(runs);
        Comparator<Row> byControls = (a, b) -> 0;
        for (String c : controls) {
            byControls = byControls.thenComparing(r -> values.get(c).indexOf(r.get(r.fieldIndex(c))));
        }
        ordered.sort(byControls);
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            indexOf.put(ordered.get(i).getString(0), i);
        }

        // the report's seed figure gives the first view: its first row, and a second one to compare
        List<ReportData.HistogramRow> seedRows = report.histograms(null).rows();
        String first = seedRows.isEmpty() ? ordered.get(0).getString(0) : seedRows.get(0).runId();
        String second = seedRows.stream().filter(h -> !h.runId().equals(first)
                && "kaiming_normal".equals(h.config().get(Keys.INIT))
                && Objects.equals(h.config().get(Keys.ACTIVATION), seedRows.get(0).config().get(Keys.ACTIVATION)))
                .map(ReportData.HistogramRow::runId).findFirst()
                .orElse(seedRows.size() > 1 ? seedRows.get(1).runId() : ordered.get(Math.min(1, ordered.size() - 1)).getString(0));

        Sample sample = sample(ordered, controls, maxLayerRows, Set.of(first, second));

        ObjectNode json = F.objectNode();
        String sweep = ordered.get(0).getString(1);
        json.put("sweep", sweep);
        ArrayNode controlsJson = json.putArray("controls");
        for (String c : controls) {
            ObjectNode o = controlsJson.addObject();
            o.put("name", c);
            o.put("numeric", isNumber(runsView.schema().apply(c).dataType()));
            o.put("init", Keys.describesInit(c));
            ArrayNode vs = o.putArray("values");
            values.get(c).forEach(v -> vs.add(node(v)));
        }
        ObjectNode fixedJson = json.putObject("fixed");
        for (String c : fixed) {
            fixedJson.set(c, node(ordered.get(0).get(ordered.get(0).fieldIndex(c))));
        }

        ObjectNode runsJson = json.putObject("runs");
        runsJson.put("count", ordered.size());
        ArrayNode ids = runsJson.putArray("run_id");
        ordered.forEach(r -> ids.add(r.getString(0)));
        ObjectNode keyIdx = runsJson.putObject("keys");
        for (String c : controls) {
            ArrayNode a = keyIdx.putArray(c);
            List<Object> vs = values.get(c);
            ordered.forEach(r -> a.add(vs.indexOf(r.get(r.fieldIndex(c)))));
        }
        ObjectNode metricJson = runsJson.putObject("metrics");
        for (String m : metrics) {
            if (ordered.stream().allMatch(r -> r.isNullAt(r.fieldIndex(m)))) {
                continue; // a column the sweep does not fill (training columns of a sweep without training)
            }
            ArrayNode a = metricJson.putArray(m);
            ordered.forEach(r -> a.add(node(r.get(r.fieldIndex(m)))));
        }
        // σ_w² = width · weight_std² and σ_b² = bias_std², the mean-field theory's coordinates
        if (runColumns.containsAll(List.of("width", "weight_std", "bias_std"))) {
            ArrayNode w = runsJson.putObject("derived").putArray("sigma_w2");
            ArrayNode b = ((ObjectNode) runsJson.get("derived")).putArray("sigma_b2");
            for (Row r : ordered) {
                Object ws = r.get(r.fieldIndex("weight_std"));
                double width = ((Number) r.get(r.fieldIndex("width"))).doubleValue();
                w.add(ws == null ? F.nullNode() : F.numberNode(round(width * (Double) ws * (Double) ws)));
                double bs = (Double) r.get(r.fieldIndex("bias_std"));
                b.add(round(bs * bs));
            }
        }

        ObjectNode layersJson = json.putObject("layers");
        List<String> layerMetrics = layerRows(spark, sample.runIds(), indexOf, layersJson);
        ArrayNode lm = json.putArray("layerMetrics");
        layerMetrics.forEach(lm::add);
        json.set("jacobian", jacobian(spark, sample.runIds(), indexOf));
        json.set("training", training(spark, sample.runIds(), indexOf));

        ObjectNode defaults = json.putObject("defaults");
        defaults.put("a", indexOf.get(first));
        defaults.put("b", indexOf.get(second));
        ObjectNode sampling = json.putObject("sampling");
        sampling.put("mode", sample.mode());
        sampling.put("gridPoints", ordered.size());
        sampling.put("shown", sample.runIds().size());
        sampling.put("maxLayerRows", maxLayerRows);
        sampling.put("text", sample.text());
        json.set("manifest", manifest(spark));
        return new Gathered(json, sweep, ordered.size(), sample.runIds().size(), sample.text());
    }

    /** The grid points whose layers the page carries, how they were chosen, in words. */
    record Sample(List<String> runIds, String mode, String text) {}

    /**
     * Every grid point while their layer rows fit {@code maxLayerRows}; else the smallest seed of
     * each configuration (every control but the seed); else evenly spaced ones of those, in control
     * order. {@code keep} (the first view's grid points) are always in.
     */
    static Sample sample(List<Row> ordered, List<String> controls, int maxLayerRows, Set<String> keep) {
        long rows = ordered.stream().mapToLong(ExploreData::depth).sum();
        if (rows <= maxLayerRows) {
            return new Sample(ordered.stream().map(r -> r.getString(0)).toList(), "all",
                    "Every grid point's layers are on this page (" + ordered.size() + " grid points, " + rows + " layer rows).");
        }
        List<String> config = controls.stream().filter(c -> !c.equals(Keys.SEED)).toList();
        Map<List<Object>, Row> smallestSeed = new LinkedHashMap<>();
        for (Row r : ordered) {
            List<Object> k = config.stream().map(c -> r.get(r.fieldIndex(c))).toList();
            Row had = smallestSeed.get(k);
            if (had == null || seed(r) < seed(had)) {
                smallestSeed.put(k, r);
            }
        }
        List<Row> seeds = new ArrayList<>(smallestSeed.values());
        long seedRows = seeds.stream().mapToLong(ExploreData::depth).sum();
        boolean multipleSeeds = seeds.size() < ordered.size();
        if (seedRows <= maxLayerRows && multipleSeeds) {
            return new Sample(ids(seeds, ordered, keep), "seeds", "Layers are on this page for the smallest seed of each"
                    + " configuration: " + seeds.size() + " of " + ordered.size() + " grid points (" + seedRows + " of " + rows
                    + " layer rows; the page holds at most " + maxLayerRows + "). The phase diagram uses every grid point.");
        }
        // evenly spaced configurations: a stride over the list that fits the budget
        double stride = (double) seedRows / maxLayerRows;
        List<Row> spaced = new ArrayList<>();
        long taken = 0;
        for (double at = 0; at < seeds.size(); at += stride) {
            Row r = seeds.get((int) at);
            if (taken + depth(r) > maxLayerRows) {
                break;
            }
            spaced.add(r);
            taken += depth(r);
        }
        return new Sample(ids(spaced, ordered, keep), "configurations", "Layers are on this page for "
                + (multipleSeeds ? "the smallest seed of " : "") + spaced.size() + " evenly spaced of " + seeds.size()
                + " configurations: " + spaced.size() + " of " + ordered.size() + " grid points (" + taken + " of " + rows
                + " layer rows; the page holds at most " + maxLayerRows + "). The phase diagram uses every grid point.");
    }

    private static List<String> ids(List<Row> chosen, List<Row> ordered, Set<String> keep) {
        Set<String> in = new LinkedHashSet<>();
        chosen.forEach(r -> in.add(r.getString(0)));
        in.addAll(keep);
        // in the page's run order
        return ordered.stream().map(r -> r.getString(0)).filter(in::contains).toList();
    }

    private static long depth(Row r) {
        return r.getInt(r.fieldIndex(Keys.DEPTH));
    }

    private static long seed(Row r) {
        return r.getLong(r.fieldIndex(Keys.SEED));
    }

    /** The layer rows of {@code runIds} into {@code out}, by run index; returns the per-layer metrics carried. */
    private static List<String> layerRows(SparkSession spark, List<String> runIds, Map<String, Integer> indexOf, ObjectNode out) {
        Dataset<Row> layers = spark.table(Views.LAYERS);
        List<String> present = Arrays.asList(layers.columns());
        List<String> metrics = LAYER_METRICS.stream().filter(present::contains).toList();
        List<String> cols = new ArrayList<>(List.of(Keys.RUN_ID, "layer", "hist_edges", "hist_counts", "hist_underflow",
                "hist_overflow", "hist_nonfinite"));
        cols.addAll(metrics);
        Dataset<Row> ids = spark.createDataset(runIds, Encoders.STRING()).toDF(Keys.RUN_ID);
        List<Row> rows = layers.join(broadcast(ids), Keys.RUN_ID)
                .select(cols.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                .orderBy(col(Keys.RUN_ID), col("layer")).collectAsList();
        Set<String> filled = new LinkedHashSet<>();
        ObjectNode run = null;
        String current = null;
        for (Row r : rows) {
            String id = r.getString(0);
            if (!id.equals(current)) {
                current = id;
                run = out.putObject(String.valueOf(indexOf.get(id)));
                run.set("edges", doubles(r.getList(2)));
                run.putArray("counts");
                run.putArray("under");
                run.putArray("over");
                run.putArray("nonfinite");
                ObjectNode m = run.putObject("m");
                metrics.forEach(m::putArray);
            }
            if (!run.get("edges").equals(doubles(r.getList(2)))) {
                // edges differ by layer (not written so today): keep each layer's
                ArrayNode per = run.has("layerEdges") ? (ArrayNode) run.get("layerEdges") : run.putArray("layerEdges");
                per.add(doubles(r.getList(2)));
            }
            ((ArrayNode) run.get("counts")).add(longs(r.getList(3)));
            ((ArrayNode) run.get("under")).add(r.getLong(4));
            ((ArrayNode) run.get("over")).add(r.getLong(5));
            ((ArrayNode) run.get("nonfinite")).add(r.getLong(6));
            for (int i = 0; i < metrics.size(); i++) {
                Object v = r.get(7 + i);
                ((ArrayNode) run.get("m").get(metrics.get(i))).add(node(v));
                if (v != null) {
                    filled.add(metrics.get(i));
                }
            }
        }
        // columns null on every row (gradients of a sweep without them) are dropped
        for (JsonNode r : out) {
            ObjectNode m = (ObjectNode) r.get("m");
            metrics.stream().filter(c -> !filled.contains(c)).forEach(m::remove);
        }
        return metrics.stream().filter(filled::contains).toList();
    }

    /** Per grid point, its Jacobian singular values' log10 histogram pooled over samples; null without rows. */
    private static JsonNode jacobian(SparkSession spark, List<String> runIds, Map<String, Integer> indexOf) {
        Dataset<Row> ids = spark.createDataset(runIds, Encoders.STRING()).toDF(Keys.RUN_ID);
        List<Row> rows = spark.table(Views.JACOBIAN).join(broadcast(ids), Keys.RUN_ID)
                .select(col(Keys.RUN_ID), col("sv_log_hist_edges"), col("sv_log_hist_counts"), col("sv_log_hist_underflow"),
                        col("sv_log_hist_overflow"), col("sv_sq_mean"))
                .collectAsList();
        if (rows.isEmpty()) {
            return F.nullNode();
        }
        ObjectNode out = F.objectNode();
        out.set("edges", doubles(rows.get(0).getList(1)));
        ObjectNode byRun = out.putObject("runs");
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, long[]> outside = new LinkedHashMap<>();
        for (Row r : rows) {
            List<Long> c = r.getList(2);
            long[] sum = counts.computeIfAbsent(r.getString(0), k -> new long[c.size()]);
            for (int i = 0; i < c.size(); i++) {
                sum[i] += c.get(i);
            }
            long[] o = outside.computeIfAbsent(r.getString(0), k -> new long[3]);
            o[0] += r.getLong(3);
            o[1] += r.getLong(4);
            o[2]++;
        }
        counts.forEach((id, c) -> {
            ObjectNode j = byRun.putObject(String.valueOf(indexOf.get(id)));
            ArrayNode a = j.putArray("counts");
            for (long v : c) {
                a.add(v);
            }
            long[] o = outside.get(id);
            j.put("under", o[0]);
            j.put("over", o[1]);
            j.put("samples", o[2]);
        });
        return out;
    }

    /** Per grid point, its training records (step, train_loss, test_loss, accuracy); null without rows. */
    private static JsonNode training(SparkSession spark, List<String> runIds, Map<String, Integer> indexOf) {
        Dataset<Row> ids = spark.createDataset(runIds, Encoders.STRING()).toDF(Keys.RUN_ID);
        List<Row> rows = spark.table(Views.TRAINING).join(broadcast(ids), Keys.RUN_ID)
                .select(col(Keys.RUN_ID), col("step"), col("train_loss"), col("test_loss"), col("accuracy"))
                .orderBy(col(Keys.RUN_ID), col("step")).collectAsList();
        if (rows.isEmpty()) {
            return F.nullNode();
        }
        ObjectNode out = F.objectNode();
        for (Row r : rows) {
            String key = String.valueOf(indexOf.get(r.getString(0)));
            ObjectNode run = out.has(key) ? (ObjectNode) out.get(key) : out.putObject(key);
            for (String c : List.of("step", "train_loss", "test_loss", "accuracy")) {
                (run.has(c) ? (ArrayNode) run.get(c) : run.putArray(c)).add(node(r.get(r.fieldIndex(c))));
            }
        }
        return out;
    }

    /** The manifest's grid size, times, engine and the spec verbatim, from the sweeps view. */
    private static JsonNode manifest(SparkSession spark) {
        try {
            JsonNode m = JSON.readTree(spark.table(Views.SWEEPS).toJSON().first());
            ObjectNode out = F.objectNode();
            out.put("spec", m.path("spec").path("text").asText(""));
            out.put("gridPoints", m.path("counts").path("grid_points").asLong());
            out.put("wallSeconds", m.path("times").path("wall_seconds").asDouble());
            out.put("finished", m.path("times").path("finished").asText(""));
            out.put("spark", m.path("engine").path("spark_version").asText(""));
            out.put("commit", m.path("code").path("git_commit").asText(""));
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean isNumber(DataType t) {
        return t instanceof DoubleType || t instanceof IntegerType || t instanceof LongType || t instanceof BooleanType;
    }

    /** Numbers ascending, strings alphabetically, nulls last. */
    static final Comparator<Object> VALUE_ORDER = (a, b) -> {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return a.toString().compareTo(b.toString());
    };

    private static double round(double v) {
        return Double.isFinite(v) ? new BigDecimal(v).setScale(SIGMA_DECIMALS, RoundingMode.HALF_UP).doubleValue() : v;
    }

    /**
     * A value as JSON. Non-finite doubles become the strings "NaN", "Infinity" and "-Infinity" (JSON has
     * no such numbers), which the page turns back into numbers; booleans become 1 and 0.
     */
    static JsonNode node(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? F.numberNode(d) : F.textNode(d.toString());
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof Boolean b) {
            return F.numberNode(b ? 1 : 0);
        }
        return F.textNode(v.toString());
    }

    private static ArrayNode doubles(List<?> list) {
        ArrayNode a = F.arrayNode(list.size());
        list.forEach(v -> a.add(node(v)));
        return a;
    }

    private static ArrayNode longs(List<?> list) {
        ArrayNode a = F.arrayNode(list.size());
        list.forEach(v -> a.add(((Number) v).longValue()));
        return a;
    }
}
