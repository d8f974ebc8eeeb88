package io.initsweep.bench;

import io.initsweep.HeadlessChromium;
import io.initsweep.explore.Explorer;
import io.initsweep.tables.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How long the explorer page of a large sweep takes to open: a synthetic output directory of
 * 10,000 grid points × 50 layers × 30 bins (written with Spark in the tables' schema: 2
 * activations × 25 stds × 20 bias stds × 10 seeds at depth 50; the numbers are made up, the shapes
 * are a real sweep's), {@code initsweep explore}'s page of it, then that page opened from disk in
 * headless Chromium a few times: the time from navigation start until the page says it has drawn
 * every panel ({@code explorer.loaded}, performance.now() at that moment), and the wall time of
 * WebDriver's load and wait. bench/explore.sh runs it.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.initsweep.bench.ExploreLoadBench OUT_DIR [--rounds 5] [--max-layer-rows N]
 * </pre>
 */
public final class ExploreLoadBench {
    static final int STDS = 25;
    static final int BIAS_STDS = 20;
    static final int SEEDS = 10;
    static final String[] ACTIVATIONS = {"tanh", "relu"};
    static final int DEPTH = 50;
    static final int BINS = 30;

    /** Selects the next init_std in selection A and calls back with the milliseconds until the page has redrawn. */
    static final String CHANGE_ONE_CONTROL = """
            const done = arguments[arguments.length - 1];
            const select = document.getElementById('control-A-init_std');
            const before = Number(document.body.dataset.renders);
            const t0 = performance.now();
            select.value = select.options[(select.selectedIndex + 1) % select.options.length].value;
            select.dispatchEvent(new Event('change'));
            (function wait() {
              if (Number(document.body.dataset.renders) > before) done(performance.now() - t0); else setTimeout(wait, 5);
            })();""";

    private ExploreLoadBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int rounds = 5;
        int maxLayerRows = Explorer.DEFAULT_MAX_LAYER_ROWS;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--max-layer-rows" -> maxLayerRows = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path sweep = dir.resolve("sweep");
        Path page = dir.resolve("explore.html");
        SparkSession spark = SparkSession.builder().master("local[*]").appName("explore-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "8").getOrCreate();
        try {
            if (!Files.exists(sweep.resolve("manifest.json"))) {
                long t0 = System.nanoTime();
                write(spark, sweep);
                System.out.printf(Locale.ROOT, "synthetic sweep: %d grid points x %d layers x %d bins written in %.1f s%n",
                        points(), DEPTH, BINS, (System.nanoTime() - t0) / 1e9);
            }
            Explorer.Result r = Explorer.write(spark, sweep.toString(), page.toString(), true, "--to " + page, maxLayerRows);
            System.out.printf(Locale.ROOT, "page: %s, %.1f MB, %d of %d grid points with layers, built in %.1f s%n", r.file(),
                    r.bytes() / 1e6, r.withLayers(), r.gridPoints(), r.seconds());
            System.out.println("page says: " + r.sampling());
        } finally {
            spark.stop();
        }
        Path scratch = Files.createTempDirectory("explore-bench");
        ChromeDriver driver = HeadlessChromium.start(scratch);
        try {
            double[] ready = new double[rounds];
            double[] wall = new double[rounds];
            double[] update = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                driver.get("about:blank");
                long t0 = System.nanoTime();
                driver.get(page.toUri().toString());
                new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> {
                    Object s = ((JavascriptExecutor) d).executeScript("return document.body && document.body.dataset.ready;");
                    if ("error".equals(s)) {
                        throw new IllegalStateException("the page failed to draw");
                    }
                    return "true".equals(s);
                });
                wall[i] = (System.nanoTime() - t0) / 1e9;
                ready[i] = ((Number) ((JavascriptExecutor) driver).executeScript("return explorer.loaded;")).doubleValue() / 1e3;
                // one change of selection: the next value of the std control, until every panel has followed
                update[i] = ((Number) ((JavascriptExecutor) driver).executeAsyncScript(CHANGE_ONE_CONTROL)).doubleValue() / 1e3;
                System.out.printf(Locale.ROOT, "round %d: drawn %.2f s after navigation start (WebDriver wall %.2f s); a change of"
                        + " selection redrawn in %.3f s%n", i + 1, ready[i], wall[i], update[i]);
            }
            Arrays.sort(ready);
            Arrays.sort(wall);
            Arrays.sort(update);
            System.out.printf(Locale.ROOT, "median over %d rounds: drawn %.2f s after navigation start, WebDriver wall %.2f s,"
                    + " a change of selection %.3f s%n", rounds, ready[rounds / 2], wall[rounds / 2], update[rounds / 2]);
        } finally {
            driver.quit();
        }
    }

    static long points() {
        return (long) ACTIVATIONS.length * STDS * BIAS_STDS * SEEDS;
    }

    /** The synthetic sweep: runs and layers in the tables' schema, partitioned as the job writes them, and a manifest. */
    static void write(SparkSession spark, Path sweep) throws IOException {
        // grid point id → coordinates: activation, std index, bias index, seed
        Dataset<Row> grid = spark.range(points()).toDF("id")
                .withColumn("activation", functions.element_at(functions.array(Arrays.stream(ACTIVATIONS).map(functions::lit)
                        .toArray(Column[]::new)), functions.col("id").mod(ACTIVATIONS.length).plus(1).cast("int")))
                .withColumn("s", functions.floor(functions.col("id").divide(ACTIVATIONS.length)).mod(STDS))
                .withColumn("b", functions.floor(functions.col("id").divide(ACTIVATIONS.length * STDS)).mod(BIAS_STDS))
                .withColumn("seed", functions.floor(functions.col("id").divide(ACTIVATIONS.length * STDS * BIAS_STDS)).cast("long"))
                .withColumn("init_std", functions.pow(functions.lit(10.0), functions.col("s").divide(STDS - 1).multiply(2).minus(2)))
                .withColumn("bias_std", functions.col("b").multiply(0.05));
        Dataset<Row> layers = grid.crossJoin(spark.range(1, DEPTH + 1).toDF("layer").withColumn("layer", functions.col("layer").cast("int")));
        write(layers, Schema.LAYERS, sweep.resolve("layers"), Schema.PARTITION_COLUMNS);
        write(grid.withColumn("layer", functions.lit(DEPTH)), Schema.RUNS, sweep.resolve("runs"), Schema.RUNS_PARTITION_COLUMNS);
        long layerRows = points() * DEPTH;
        Files.writeString(sweep.resolve("manifest.json"), """
                {"sweep": "explore-bench", "output": "%s", "master_seed": 1,
                 "spec": {"text": "name: explore-bench  # synthetic: bench/explore.sh\\n", "sha256": ""},
                 "code": {"version": "bench", "git_commit": "synthetic", "git_dirty": false},
                 "engine": {"spark_version": "%s"},
                 "times": {"started": "", "finished": "", "wall_seconds": 0, "kernel_seconds": 0},
                 "counts": {"grid_points": %d, "chains": %d, "partitions": 1, "runs_rows": %d, "layers_rows": %d}}
                """.formatted(sweep, spark.version(), points(), points(), points(), layerRows));
    }

    /** Every column of {@code table} made up from (id, layer) by its type; the keys from the grid's coordinates. */
    private static void write(Dataset<Row> rows, Map<String, Schema.Column> table, Path dir, List<String> partitionBy) {
        Column id = functions.col("id");
        Column layer = functions.col("layer");
        Column wave = functions.sin(id.multiply(0.37).plus(layer.multiply(0.11)));
        List<Column> cols = new ArrayList<>();
        for (Map.Entry<String, Schema.Column> e : table.entrySet()) {
            String name = e.getKey();
            DataType type = e.getValue().type();
            Column c = switch (name) {
                case "sweep" -> functions.lit("explore-bench");
                case "run_id" -> functions.lpad(functions.hex(id), 16, "0");
                case "chain_id" -> functions.lpad(functions.hex(id), 16, "0");
                case "init" -> functions.lit("normal");
                case "init_params" -> functions.concat(functions.lit("normal(std="), functions.col("init_std").cast("string"), functions.lit(")"));
                case "activation", "seed", "init_std", "bias_std", "layer" -> functions.col(name);
                case "weight_std" -> functions.col("init_std");
                case "depth" -> functions.lit(DEPTH);
                case "width", "input_width", "fan_in" -> functions.lit(100);
                case "batch" -> functions.lit(1000);
                case "input" -> functions.lit("normal");
                case "dtype" -> functions.lit("float64");
                case "master_seed" -> functions.lit(1L);
                case "input_correlation" -> functions.lit(0.0);
                case "hist_edges" -> functions.transform(functions.sequence(functions.lit(0), functions.lit(BINS)),
                        k -> k.cast("double").divide(BINS).multiply(2).minus(1));
                case "hist_counts" -> functions.transform(functions.sequence(functions.lit(0), functions.lit(BINS - 1)),
                        k -> functions.floor(functions.exp(functions.sin(k.multiply(0.3).plus(id)).multiply(3)).multiply(300)).cast("long"));
                case "phase" -> functions.lit("ordered");
                default -> filler(name, type, wave, e.getValue().nullable());
            };
            // arrays are built with their element type; a cast would only change the elements' nullability, which Spark refuses
            cols.add((type instanceof ArrayType ? c : c.cast(type)).alias(name));
        }
        rows.select(cols.toArray(Column[]::new)).write().partitionBy(partitionBy.toArray(String[]::new)).parquet(dir.toString());
    }

    private static Column filler(String name, DataType type, Column wave, boolean nullable) {
        boolean absent = nullable && (name.startsWith("grad") || name.startsWith("lsuv") || name.startsWith("final_")
                || name.startsWith("best_") || name.startsWith("baseline") || name.startsWith("steps_") || name.startsWith("diverged")
                || name.equals("trained") || name.equals("train_records") || name.equals("optimizer") || name.equals("lr")
                || name.startsWith("weight_grad") || name.startsWith("bias_grad") || name.equals("distinct_units")
                || name.equals("chi1_measured") || name.equals("init_value") || name.equals("gain") || name.equals("activation_param"));
        if (absent) {
            return functions.lit(null);
        }
        if (type instanceof ArrayType a) {
            return a.elementType().equals(DataTypes.LongType)
                    ? functions.array(functions.lit(1L), functions.lit(2L)) : functions.array(functions.lit(-1.0), functions.lit(0.0), functions.lit(1.0));
        }
        if (type.equals(DataTypes.DoubleType)) {
            return functions.abs(wave).plus(0.001);
        }
        if (type.equals(DataTypes.StringType)) {
            return functions.lit("x");
        }
        if (type.equals(DataTypes.BooleanType)) {
            return functions.lit(false);
        }
        return functions.lit(0);
    }
}
