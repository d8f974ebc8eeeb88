package io.initsweep.explore;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.HeadlessChromium;
import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.cli.Cli.Outcome;
import io.initsweep.job.SweepJob;
import io.initsweep.report.ReportData;
import io.initsweep.spec.SpecParser;
import io.initsweep.tables.Views;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer as a reader meets it: real sweeps on local Spark, {@code initsweep explore} (and
 * {@code run --explore}) through the CLI, the page opened from disk in Debian's headless Chromium.
 * What the panels hold is read back from the page's Vega views and compared with the Parquet rows
 * of the selected grid point (read by Spark from the written files) and with the report's own
 * histogram numbers; every control is moved; the URL fragment is reloaded; hostile strings stay text.
 */
class ExploreBrowserTest {
    static final String SPEC = """
            name: explore-browser
            seed: 11
            network: { width: 16, batch: 120 }
            grid:
              init: [normal, xavier_normal, kaiming_normal]
              activation: [sigmoid, tanh, relu]
              std: [1.0, 0.01]
              depth: [3, 5]
              seed: [0, 1]
            stats: { bins: 12 }
            """;
    /** σ_w² × σ_b² with gradients, the Jacobian and a short training run: every panel has data. */
    static final String RICH_SPEC = """
            name: explore-rich
            seed: 3
            network: { width: 16, batch: 32, bias_std: [0, 0.3] }
            grid:
              init:
                - {variance_scaling: {scale: 0.5, mode: fan_in, distribution: normal}}
                - {variance_scaling: {scale: 1.0, mode: fan_in, distribution: normal}}
                - {variance_scaling: {scale: 3.0, mode: fan_in, distribution: normal}}
              activation: [tanh]
              depth: [3]
              seed: [0, 1]
            stats: { bins: 10 }
            gradients: true
            training: { kind: classification, outputs: 3, samples: 64, test_samples: 32, lr: [0.1], steps: 10, batch: 16 }
            """;
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path out;
    static Path page;
    static Path rich;
    static Path richPage;
    static ChromeDriver driver;

    @BeforeAll
    static void sweepsAndPages() throws IOException {
        spark = LocalSpark.start("local[2]");
        out = tmp.resolve("sweep");
        SweepJob.run(spark, SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "explore-browser"),
                new SweepJob.Options(out.toString(), false, 0));
        Outcome r = Cli.run("explore", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        page = out.resolve(Explorer.DEFAULT_FILE);
        assertThat(r.out()).startsWith("explorer: " + page + " (48 grid points, 48 with their layers on the page");

        rich = tmp.resolve("rich");
        Path spec = Files.writeString(tmp.resolve("rich.yaml"), RICH_SPEC);
        Outcome run = Cli.run("run", spec.toString(), "--out", rich.toString(), "--explore", "--summary-rows", "0");
        assertThat(run.code()).as(run.err()).isZero();
        richPage = rich.resolve(Explorer.DEFAULT_FILE);
        assertThat(run.out()).contains("explorer: " + richPage + " (12 grid points");
        driver = HeadlessChromium.start(tmp);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        spark.stop();
    }

    // ---- the page --------------------------------------------------------------------------------

    static JavascriptExecutor js() {
        return driver;
    }

    @SuppressWarnings("unchecked")
    static <T> T eval(String script, Object... args) {
        return (T) js().executeScript(script, args);
    }

    /** Opens {@code file} (with a fragment) afresh and waits until the page says it has drawn. */
    static void open(Path file, String fragment) {
        driver.manage().logs().get(LogType.BROWSER); // drop entries of earlier pages
        driver.get("about:blank");
        driver.get(file.toUri() + fragment);
        new WebDriverWait(driver, WAIT).until(d -> {
            Object ready = eval("return document.body && document.body.dataset.ready;");
            assertThat(ready).as("the page failed to draw").isNotEqualTo("error");
            return "true".equals(ready);
        });
    }

    static long renders() {
        return Long.parseLong(eval("return document.body.dataset.renders || '0';"));
    }

    /** Chooses {@code value} in a select as a user does, and waits for the panels to follow (if it was not chosen). */
    static void choose(String selectId, String value) {
        Select select = new Select(driver.findElement(By.id(selectId)));
        if (value.equals(select.getFirstSelectedOption().getAttribute("value"))) {
            return;
        }
        long before = renders();
        select.selectByValue(value);
        new WebDriverWait(driver, WAIT).until(d -> renders() > before);
    }

    static List<String> severeConsoleMessages() {
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e.getMessage());
            }
        }
        return severe;
    }

    /** The rows a panel's Vega view holds in one of its datasets. */
    static List<Map<String, Object>> dataset(String view, String name) {
        return eval("return explorer.views[arguments[0]].data(arguments[1]);", view, name);
    }

    static String pickedRunId(String selection) {
        return eval("return explorer.data.runs.run_id[explorer.picked[arguments[0]]];", selection);
    }

    static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    // ---- the written rows --------------------------------------------------------------------------

    static List<Row> layerRows(Path sweep, String runId) {
        return spark.read().parquet(sweep.resolve("layers").toString()).where(col("run_id").equalTo(runId))
                .orderBy("layer").collectAsList();
    }

    static Row runRow(Path sweep, String runId) {
        return spark.read().parquet(sweep.resolve("runs").toString()).where(col("run_id").equalTo(runId)).first();
    }

    /** The page's histogram of one selection, per layer: counts by bin, then under-, overflow. */
    static Map<Integer, long[]> pageHistogram(String selection) {
        Map<Integer, List<Map<String, Object>>> byLayer = dataset("histograms", "hist").stream()
                .filter(r -> selection.equals(r.get("sel")))
                .collect(Collectors.groupingBy(r -> ((Number) r.get("layer")).intValue()));
        Map<Integer, long[]> out = new HashMap<>();
        byLayer.forEach((layer, rows) -> {
            List<Map<String, Object>> in = rows.stream().filter(r -> "in range".equals(r.get("kind"))).toList();
            long[] c = new long[in.size() + 2];
            for (Map<String, Object> r : in) {
                c[((Number) r.get("bin")).intValue()] = ((Number) r.get("count")).longValue();
            }
            c[in.size()] = rows.stream().filter(r -> "below".equals(r.get("kind"))).mapToLong(r -> ((Number) r.get("count")).longValue()).sum();
            c[in.size() + 1] = rows.stream().filter(r -> "above".equals(r.get("kind"))).mapToLong(r -> ((Number) r.get("count")).longValue()).sum();
            out.put(layer, c);
        });
        return out;
    }

    /** A panel's per-layer values of one metric and source for one selection, by layer. */
    static Map<Integer, Double> pageMetric(String view, String dataset, String selection, String metric, String source) {
        Map<Integer, Double> m = new HashMap<>();
        for (Map<String, Object> r : dataset(view, dataset)) {
            if (selection.equals(r.get("sel")) && metric.equals(r.get("metric")) && source.equals(r.get("source"))) {
                m.put(((Number) r.get("layer")).intValue(), number(r.get("value")));
            }
        }
        return m;
    }

    /** Every panel of the selection equals the written rows of the grid point it resolved to. */
    static void assertPanelsShowTheRowsOf(Path sweep, String selection) {
        String runId = pickedRunId(selection);
        List<Row> layers = layerRows(sweep, runId);
        assertThat(layers).as("layers of %s", runId).isNotEmpty();
        // the selection's coordinates are the grid point's, as written
        Row run = runRow(sweep, runId);
        List<List<Object>> coords = eval("const s = explorer.state.sel[arguments[0]];"
                + " return explorer.data.controls.map(c => [c.name, c.values[s[c.name]]]);", selection);
        for (List<Object> c : coords) {
            Object written = run.get(run.fieldIndex((String) c.get(0)));
            if (written instanceof Number n) {
                assertThat(number(c.get(1))).as("%s of %s", c.get(0), runId).isEqualTo(n.doubleValue());
            } else {
                assertThat(c.get(1)).as("%s of %s", c.get(0), runId).isEqualTo(written);
            }
        }
        Map<Integer, long[]> hist = pageHistogram(selection);
        assertThat(hist).hasSize(layers.size());
        Map<Integer, Double> actStd = pageMetric("profile", "profile", selection, "act_std", "measured");
        Map<Integer, Double> preSq = pageMetric("profile", "profile", selection, "E[A²]", "measured");
        Map<Integer, Double> saturation = pageMetric("rates", "rates", selection, "saturation_rate", "measured");
        Map<Integer, Double> dead = pageMetric("rates", "rates", selection, "dead_unit_rate", "measured");
        for (Row l : layers) {
            int layer = l.getInt(l.fieldIndex("layer"));
            List<Long> counts = l.getList(l.fieldIndex("hist_counts"));
            long[] expected = new long[counts.size() + 2];
            for (int i = 0; i < counts.size(); i++) {
                expected[i] = counts.get(i);
            }
            expected[counts.size()] = l.getLong(l.fieldIndex("hist_underflow"));
            expected[counts.size() + 1] = l.getLong(l.fieldIndex("hist_overflow"));
            assertThat(hist.get(layer)).as("histogram of %s layer %d", runId, layer).containsExactly(expected);
            double std = l.getDouble(l.fieldIndex("act_std"));
            // the log-scale profile leaves out zeros and non-finite values
            if (std > 0 && Double.isFinite(std)) {
                assertThat(actStd.get(layer)).as("act_std of %s layer %d", runId, layer).isEqualTo(std);
            } else {
                assertThat(actStd).doesNotContainKey(layer);
            }
            double q = l.getDouble(l.fieldIndex("pre_sq_mean"));
            if (q > 0 && Double.isFinite(q)) {
                assertThat(preSq.get(layer)).as("pre_sq_mean of %s layer %d", runId, layer).isEqualTo(q);
            }
            assertThat(saturation.get(layer)).as("saturation_rate of %s layer %d", runId, layer)
                    .isEqualTo(l.getDouble(l.fieldIndex("saturation_rate")));
            assertThat(dead.get(layer)).as("dead_unit_rate of %s layer %d", runId, layer)
                    .isEqualTo(l.getDouble(l.fieldIndex("dead_unit_rate")));
        }
    }

    // ---- tests ---------------------------------------------------------------------------------------

    /**
     * The first view is the report's first seed-figure row (N(0, 1) with sigmoid, seed 0): the page's
     * histogram bars, as drawn, have the report's counts, and each bar's height is its count on the
     * row's one y scale.
     */
    @Test
    void theSeedConfigurationOpensFirstWithTheReportsHistogramNumbers() throws IOException {
        open(page, "");
        assertThat(severeConsoleMessages()).as("console errors").isEmpty();
        Views.register(spark, List.of(out.toString()));
        ReportData.HistogramRow seed = new ReportData(spark).histograms(null).rows().get(0);
        assertThat(List.of(seed.config().get("init"), seed.config().get("activation"), seed.config().get("init_std"), seed.seed()))
                .containsExactly("normal", "sigmoid", 1.0, 0L);
        assertThat(pickedRunId("A")).isEqualTo(seed.runId());

        // [layer, bin, count, drawn height, the y scale's height for that count, the height of the SVG element on screen]
        // of every in-range bar drawn
        List<List<Object>> bars = eval("""
                const view = explorer.views.histograms;
                const y = view.scale('y');
                const out = [];
                (function walk(mark) {
                  if (mark.marktype === 'rect') {
                    for (const it of mark.items) {
                      if (it.datum && it.datum.kind === 'in range') out.push([it.datum.layer, it.datum.bin, it.datum.count, it.height,
                        y(0) - y(it.datum.count), it._svg ? it._svg.getBoundingClientRect().height : -1]);
                    }
                  }
                  for (const it of mark.items || []) for (const child of it.items || []) walk(child);
                })(view.scenegraph().root);
                return out;""");
        int bins = seed.layers().get(0).counts().length;
        assertThat(bars).hasSize(seed.layers().size() * bins);
        for (List<Object> bar : bars) {
            ReportData.LayerHistogram h = seed.layers().get(((Number) bar.get(0)).intValue() - 1);
            assertThat(((Number) bar.get(2)).longValue()).as("layer %s bin %s", bar.get(0), bar.get(1))
                    .isEqualTo(h.counts()[((Number) bar.get(1)).intValue()]);
            assertThat(number(bar.get(3))).as("height of layer %s bin %s", bar.get(0), bar.get(1))
                    .isCloseTo(number(bar.get(4)), within(0.01));
            // the page is drawn at one CSS pixel per unit: the element on screen has the bar's height
            assertThat(number(bar.get(5))).as("on-screen height of layer %s bin %s", bar.get(0), bar.get(1))
                    .isCloseTo(number(bar.get(4)), within(0.5));
        }
        for (ReportData.LayerHistogram h : seed.layers()) {
            long[] shown = pageHistogram("A").get(h.layer());
            assertThat(shown[bins]).isEqualTo(h.underflow());
            assertThat(shown[bins + 1]).isEqualTo(h.overflow());
        }
        Files.write(Path.of("target", "explore-browser-test.png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Every option of every control, one after another: the panels show the Parquet rows of the grid point chosen. */
    @Test
    void everyControlShowsTheWrittenRowsOfItsSelection() {
        open(page, "");
        List<String> controls = eval("return explorer.data.controls.map(c => c.name);");
        assertThat(controls).contains("init", "init_params", "activation", "init_std", "depth", "seed");
        int moved = 0;
        for (String c : controls) {
            String id = "control-A-" + c;
            List<String> values = eval("return Array.from(document.getElementById(arguments[0]).options).map(o => o.value);", id);
            for (String v : values) {
                if (!driver.findElement(By.id(id)).isEnabled()) {
                    break; // one value left for this control, given the ones before it
                }
                if (v.equals(new Select(driver.findElement(By.id(id))).getFirstSelectedOption().getAttribute("value"))) {
                    continue;
                }
                List<String> now = eval("return Array.from(document.getElementById(arguments[0]).options).map(o => o.value);", id);
                if (!now.contains(v)) {
                    continue;
                }
                choose(id, v);
                assertThat(eval("return String(explorer.state.sel.A[arguments[0]]);", c).toString()).isEqualTo(v);
                assertPanelsShowTheRowsOf(out, "A");
                moved++;
            }
        }
        // every axis of the sweep moved at least once: 3 inits, 3 activations, 2 stds, 2 depths, 2 seeds
        assertThat(moved).isGreaterThanOrEqualTo(2 + 2 + 1 + 1 + 1);
        assertThat(severeConsoleMessages()).as("console errors").isEmpty();
    }

    /** A second selection is drawn beside the first, from its own rows; the fragment brings both back. */
    @Test
    void theComparisonAndTheFragmentRoundTrip() {
        open(page, "");
        WebElement compare = driver.findElement(By.id("compare"));
        long before = renders();
        compare.click();
        new WebDriverWait(driver, WAIT).until(d -> renders() > before);
        choose("control-B-init", eval("return String(explorer.data.controls.find(c => c.name === 'init').values.indexOf('kaiming_normal'));"));
        choose("control-A-activation", eval("return String(explorer.data.controls.find(c => c.name === 'activation').values.indexOf('relu'));"));
        choose("control-A-seed", "1");
        assertPanelsShowTheRowsOf(out, "A");
        assertPanelsShowTheRowsOf(out, "B");
        assertThat(eval("return explorer.data.controls.find(c => c.name === 'init').values[explorer.state.sel.B.init];").toString())
                .isEqualTo("kaiming_normal");
        String fragment = eval("return location.hash;");
        String a = pickedRunId("A");
        String b = pickedRunId("B");
        assertThat(fragment).contains("a.activation=relu").contains("b.init=kaiming_normal").contains("compare=1");

        open(page, fragment);
        assertThat(pickedRunId("A")).isEqualTo(a);
        assertThat(pickedRunId("B")).isEqualTo(b);
        assertThat(driver.findElement(By.id("compare")).isSelected()).isTrue();
        assertThat((String) eval("return location.hash;")).isEqualTo(fragment);
        assertPanelsShowTheRowsOf(out, "A");
        assertPanelsShowTheRowsOf(out, "B");
    }

    /** A sweep without gradients or training has no such panels; each panel shown has data and a drawn chart. */
    @Test
    void panelsAreShownOnlyWithData() {
        open(page, "");
        assertThat(hidden()).containsEntry("panel-gradients", true).containsEntry("panel-jacobian", true)
                .containsEntry("panel-training", true).containsEntry("panel-histograms", false)
                .containsEntry("panel-profile", false).containsEntry("panel-rates", false).containsEntry("panel-phase", false);
        assertShownPanelsAreDrawn();

        open(richPage, "");
        assertThat(hidden()).doesNotContainValue(true);
        assertShownPanelsAreDrawn();
        assertThat(severeConsoleMessages()).as("console errors").isEmpty();
        // gradients, Jacobian and losses of the selected grid point, as written
        String runId = pickedRunId("A");
        Map<Integer, Double> grad = pageMetric("gradients", "gradients", "A", "grad_sq_mean", "measured");
        for (Row l : layerRows(rich, runId)) {
            assertThat(grad.get(l.getInt(l.fieldIndex("layer")))).isEqualTo(l.getDouble(l.fieldIndex("grad_sq_mean")));
        }
        List<Row> jacobian = spark.read().parquet(rich.resolve("jacobian").toString()).where(col("run_id").equalTo(runId)).collectAsList();
        long[] pooled = new long[jacobian.get(0).<Long>getList(jacobian.get(0).fieldIndex("sv_log_hist_counts")).size()];
        for (Row j : jacobian) {
            List<Long> c = j.getList(j.fieldIndex("sv_log_hist_counts"));
            for (int i = 0; i < pooled.length; i++) {
                pooled[i] += c.get(i);
            }
        }
        long[] shown = new long[pooled.length];
        for (Map<String, Object> r : dataset("jacobian", "jacobian")) {
            shown[((Number) r.get("bin")).intValue()] = ((Number) r.get("count")).longValue();
        }
        assertThat(shown).containsExactly(pooled);
        List<Row> steps = spark.read().parquet(rich.resolve("training").toString()).where(col("run_id").equalTo(runId))
                .orderBy("step").collectAsList();
        Map<Integer, Double> train = new HashMap<>();
        for (Map<String, Object> r : dataset("training", "loss")) {
            if ("train_loss".equals(r.get("which"))) {
                train.put(((Number) r.get("step")).intValue(), number(r.get("value")));
            }
        }
        assertThat(train).hasSize(steps.size());
        for (Row s : steps) {
            assertThat(train.get(s.getInt(s.fieldIndex("step")))).isEqualTo(s.getDouble(s.fieldIndex("train_loss")));
        }
    }

    static Map<String, Boolean> hidden() {
        return eval("return Object.fromEntries(Array.from(document.querySelectorAll('section.panel[id]'))"
                + ".map(p => [p.id, p.hidden]));");
    }

    /** Every visible panel's Vega view holds rows and draws an SVG of nonzero size. */
    static void assertShownPanelsAreDrawn() {
        List<List<Object>> panels = eval("""
                return Object.entries(explorer.views).filter(([n]) => !document.getElementById('panel-' + n).hidden).map(([n, v]) => {
                  const names = { histograms: 'hist', profile: 'profile', rates: 'rates', gradients: 'gradients', jacobian: 'jacobian',
                    training: 'loss', phase: 'phase' };
                  const r = v.container().querySelector('svg').getBoundingClientRect();
                  return [n, v.data(names[n]).length, r.width, r.height];
                });""");
        assertThat(panels).isNotEmpty();
        for (List<Object> p : panels) {
            assertThat(((Number) p.get(1)).longValue()).as("rows of %s", p.get(0)).isPositive();
            assertThat(number(p.get(2))).as("width of %s", p.get(0)).isPositive();
            assertThat(number(p.get(3))).as("height of %s", p.get(0)).isPositive();
        }
    }

    /**
     * The phase diagram over σ_w² and σ_b² coloured by χ₁: each cell is the mean of its runs (Spark
     * over the written runs), the critical line is jobs/sql/critical_line.sql's, and clicking a cell
     * selects a grid point of that cell.
     */
    @Test
    void thePhaseDiagramShowsTheRunsAndTheCriticalLineAndSelectsOnClick() throws IOException {
        open(richPage, "");
        choose("phase-x", "sigma_w2");
        choose("phase-y", "sigma_b2");
        choose("phase-colour", "chi1");
        Dataset<Row> runs = spark.read().parquet(rich.resolve("runs").toString());
        Map<String, double[]> expected = new HashMap<>();
        for (Row r : runs.groupBy(functions.round(col("width").multiply(col("weight_std")).multiply(col("weight_std")), 9).alias("w"),
                functions.round(col("bias_std").multiply(col("bias_std")), 9).alias("b"))
                .agg(functions.avg("chi1").alias("chi1"), functions.count(functions.lit(1)).alias("n")).collectAsList()) {
            expected.put(r.getDouble(0) + "|" + r.getDouble(1), new double[] {r.getDouble(2), r.getLong(3)});
        }
        List<Map<String, Object>> cells = dataset("phase", "phase");
        assertThat(cells).hasSize(expected.size());
        for (Map<String, Object> c : cells) {
            double[] e = expected.get(number(c.get("xv")) + "|" + number(c.get("yv")));
            assertThat(e).as("cell %s", c).isNotNull();
            assertThat(number(c.get("value"))).isCloseTo(e[0], within(1e-12 * Math.abs(e[0])));
            assertThat(((Number) c.get("runs")).longValue()).isEqualTo((long) e[1]);
        }

        Views.register(spark, List.of(rich.toString()));
        List<Row> line = spark.sql(Views.statement(Files.readString(Path.of("jobs", "sql", "critical_line.sql")))).collectAsList();
        List<Map<String, Object>> critical = dataset("phase", "critical");
        assertThat(line).isNotEmpty();
        assertThat(critical).hasSize(line.size());
        for (Row l : line) {
            double b = l.getDouble(l.fieldIndex("sigma_b2"));
            double w = l.getDouble(l.fieldIndex("critical_sigma_w2"));
            assertThat(critical).anySatisfy(p -> {
                assertThat(number(p.get("sigma_b2"))).isCloseTo(b, within(1e-9));
                assertThat(number(p.get("sigma_w2"))).isCloseTo(w, within(1e-9 * Math.max(1, w)));
            });
        }

        // click the cell at the largest σ_w² and σ_b², as a user does
        List<Object> target = eval("""
                const rows = explorer.phaseData().rows;
                const xi = Math.max(...rows.map(r => r.xi)), yi = Math.max(...rows.map(r => r.yi));
                const view = explorer.views.phase;
                view.container().scrollIntoView({ block: 'center' });
                let hit = null;
                (function walk(mark) {
                  if (mark.marktype === 'rect') {
                    for (const it of mark.items) if (it.datum && it.datum.xi === xi && it.datum.yi === yi) hit = it;
                  }
                  for (const it of mark.items || []) for (const child of it.items || []) walk(child);
                })(view.scenegraph().root);
                const box = view.container().querySelector('svg').getBoundingClientRect();
                const [ox, oy] = view.origin();
                return [box.left + ox + (hit.bounds.x1 + hit.bounds.x2) / 2, box.top + oy + (hit.bounds.y1 + hit.bounds.y2) / 2,
                  hit.datum.xv, hit.datum.yv];""");
        long before = renders();
        new Actions(driver).moveToLocation((int) Math.round(number(target.get(0))), (int) Math.round(number(target.get(1)))).click().perform();
        new WebDriverWait(driver, WAIT).until(d -> renders() > before);
        double w = number(eval("return explorer.data.runs.derived.sigma_w2[explorer.picked.A];"));
        double b = number(eval("return explorer.data.runs.derived.sigma_b2[explorer.picked.A];"));
        assertThat(w).isEqualTo(number(target.get(2)));
        assertThat(b).isEqualTo(number(target.get(3)));
        Row run = runRow(rich, pickedRunId("A"));
        assertThat(run.getDouble(run.fieldIndex("bias_std")) * run.getDouble(run.fieldIndex("bias_std"))).isCloseTo(b, within(1e-9));
        assertPanelsShowTheRowsOf(rich, "A");
    }

    /** Beyond its budget of layer rows the page keeps the smallest seed of each configuration, and says so. */
    @Test
    void aLargeSweepIsSampledAndThePageSaysSo() {
        Path to = tmp.resolve("sampled.html");
        // 48 grid points, 192 layer rows; the smallest seed of each configuration has 96
        Outcome r = Cli.run("explore", out.toString(), "--to", to.toString(), "--max-layer-rows", "100");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(48 grid points, 24 with their layers on the page").contains("smallest seed");
        open(to, "");
        String text = driver.findElement(By.id("sampling")).getText();
        assertThat(text).contains("smallest seed of each configuration: 24 of 48 grid points (96 of 192 layer rows");
        assertThat(((Number) eval("return Object.keys(explorer.data.layers).length;")).intValue()).isEqualTo(24);
        // the seed control offers the one seed that has layers; the phase diagram still counts every grid point
        assertThat((Object) eval("return Array.from(document.getElementById('control-A-seed').options).map(o => o.text);"))
                .isEqualTo(List.of("0"));
        assertThat(((Number) eval("return explorer.phaseData().rows.reduce((a, r) => a + r.runs, 0);")).intValue())
                .isGreaterThan(((Number) eval("return explorer.phaseData().rows.length;")).intValue());

        Path smaller = tmp.resolve("spaced.html");
        Outcome spaced = Cli.run("explore", out.toString(), "--to", smaller.toString(), "--max-layer-rows", "40");
        assertThat(spaced.code()).as(spaced.err()).isZero();
        assertThat(spaced.out()).contains("evenly spaced");
        open(smaller, "");
        assertThat(driver.findElement(By.id("sampling")).getText()).contains("evenly spaced of 24 configurations");
        assertPanelsShowTheRowsOf(out, "A");
    }

    /**
     * A sweep whose strings are hostile (the spec, its name as the tables hold it, init parameters and
     * the input's name with markup, a script end, quotes): the page runs no injected script, adds no
     * element, and shows every string as text.
     */
    @Test
    void hostileStringsStayText() throws IOException {
        String evil = "</script><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">'\"&amp;<b>";
        Path hostile = tmp.resolve("hostile");
        for (String table : List.of("runs", "layers")) {
            Dataset<Row> t = spark.read().parquet(out.resolve(table).toString())
                    .withColumn("sweep", functions.lit("sweep" + evil))
                    .withColumn("init_params", functions.concat(col("init_params"), functions.lit(evil)))
                    .withColumn("input", functions.lit("data:" + evil + ".csv"));
            t.write().mode(SaveMode.ErrorIfExists).partitionBy(table.equals("runs") ? new String[] {"activation"}
                    : new String[] {"activation", "init"}).parquet(hostile.resolve(table).toString());
        }
        com.fasterxml.jackson.databind.node.ObjectNode manifest = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        manifest.put("sweep", "sweep" + evil);
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("spec")).put("text", "name: x # " + evil + "\n");
        Files.writeString(hostile.resolve("manifest.json"), manifest.toString());
        Path to = tmp.resolve("hostile.html");
        Outcome r = Cli.run("explore", hostile.toString(), "--to", to.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // the data island holds no markup character at all: every <, >, & and quote of a string is a \\u escape
        String island = islandOf(Files.readString(to));
        assertThat(island).containsIgnoringCase("\\u003c/script\\u003e").doesNotContain("<").doesNotContain(">").doesNotContain("&");

        open(to, "");
        assertThat((Object) eval("return window.__pwned === undefined;")).isEqualTo(true);
        assertThat(((Number) eval("return document.querySelectorAll('img, b').length;")).intValue()).isZero();
        assertThat(((Number) eval("return document.scripts.length;")).intValue()).isEqualTo(5); // the data and four scripts
        try {
            driver.switchTo().alert();
            throw new AssertionError("an alert opened");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
        assertThat(driver.getTitle()).isEqualTo("initsweep explorer: sweep" + evil);
        assertThat(driver.findElement(By.id("sweep-name")).getText()).isEqualTo("sweep" + evil);
        assertThat((String) eval("return document.getElementById('spec').textContent;")).contains(evil);
        assertThat((List<String>) eval("return Array.from(document.getElementById('control-A-init_params').options).map(o => o.text);"))
                .allSatisfy(t -> assertThat(t).endsWith(evil));
        assertThat((String) eval("return document.getElementById('fixed').textContent;")).contains("input data:" + evil + ".csv");
        assertThat(severeConsoleMessages()).as("console errors").isEmpty();
    }

    static String islandOf(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"sweep-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("the page's data").isTrue();
        return m.group(1);
    }

    @Test
    void badInputIsOneLineNamingTheFieldWithNothingWritten() throws IOException {
        Path missing = tmp.resolve("no-such-sweep");
        Outcome r = Cli.run("explore", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("OUT_DIR " + missing).contains("holds no finished sweep");
        assertThat(missing).doesNotExist();

        Path notSweep = Files.createDirectories(tmp.resolve("not-a-sweep"));
        Files.writeString(notSweep.resolve("notes.txt"), "hello");
        Outcome r2 = Cli.run("explore", notSweep.toString());
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.err().lines()).hasSize(1);
        assertThat(r2.err()).contains("OUT_DIR " + notSweep).contains("manifest.json");
        try (var files = Files.list(notSweep)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }

        Path mine = Files.writeString(tmp.resolve("mine.html"), "my notes");
        Outcome exists = Cli.run("explore", out.toString(), "--to", mine.toString());
        assertThat(exists.code()).isEqualTo(2);
        assertThat(exists.err().lines()).hasSize(1);
        assertThat(exists.err()).startsWith("initsweep: --to " + mine + " already exists; pass --overwrite");
        assertThat(Files.readString(mine)).isEqualTo("my notes");

        byte[] page0 = Files.readAllBytes(page);
        Outcome again = Cli.run("explore", out.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains(page.toString()).contains("already exists").contains("--overwrite");
        assertThat(Files.readAllBytes(page)).isEqualTo(page0);

        Outcome dir = Cli.run("explore", out.toString(), "--to", tmp.toString());
        assertThat(dir.code()).isEqualTo(2);
        assertThat(dir.err()).contains("--to " + tmp).contains("is a directory");

        Outcome nowhere = Cli.run("explore", out.toString(), "--to", tmp.resolve("no-dir").resolve("e.html").toString());
        assertThat(nowhere.code()).isEqualTo(2);
        assertThat(nowhere.err()).contains("--to ").contains("does not exist");
        assertThat(tmp.resolve("no-dir")).doesNotExist();

        Outcome budget = Cli.run("explore", out.toString(), "--to", tmp.resolve("e.html").toString(), "--max-layer-rows", "0");
        assertThat(budget.code()).isEqualTo(2);
        assertThat(budget.err().lines().findFirst().orElseThrow()).contains("--max-layer-rows must be >= 1, found 0");
        assertThat(tmp.resolve("e.html")).doesNotExist();

        Outcome replaced = Cli.run("explore", out.toString(), "--to", mine.toString(), "--overwrite");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(Files.readString(mine)).startsWith("<!DOCTYPE html>");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    /** The page fetches nothing but itself: the scripts and data are inline and the policy forbids the rest. */
    @Test
    void thePageIsSelfContained() throws IOException {
        String html = Files.readString(page);
        // the markup outside the scripts has no address to fetch
        String markup = html.replaceAll("(?s)<script>.*?</script>", "").replace(islandOf(html), "");
        Matcher m = Pattern.compile("(?:src|href)=").matcher(markup);
        assertThat(m.find()).as("no src or href attributes").isFalse();
        assertThat(Pattern.compile("<script").matcher(markup).results().count()).isEqualTo(1);
        assertThat(html).contains("Content-Security-Policy").contains("default-src &#39;none&#39;")
                .doesNotContain("sourceMappingURL").doesNotContain("unsafe-eval");
        driver.manage().logs().get(LogType.PERFORMANCE);
        open(page, "");
        List<String> requested = new ArrayList<>();
        Pattern requestUrl = Pattern.compile("\"method\":\"Network\\.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]*)\"");
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            Matcher u = requestUrl.matcher(e.getMessage());
            if (u.find() && !u.group(1).startsWith("data:") && !u.group(1).equals("about:blank")) {
                requested.add(u.group(1));
            }
        }
        assertThat(requested).allSatisfy(u -> assertThat(u).satisfiesAnyOf(x -> assertThat(x).isEqualTo(page.toUri().toString()),
                x -> assertThat(x).startsWith("chrome://")));
    }
}
