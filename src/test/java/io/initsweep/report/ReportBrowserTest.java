package io.initsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.HeadlessChromium;
import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.cli.Cli.Outcome;
import io.initsweep.job.SweepJob;
import io.initsweep.spec.SpecParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The report as a reader meets it: a real sweep on local Spark, {@code initsweep report} through
 * the CLI, and the file opened in Debian's headless Chromium over WebDriver. The page must load
 * without console errors, decode every figure, fetch nothing but itself, and not render blank. A
 * deliberately broken page shows each of those checks can fail.
 */
class ReportBrowserTest {
    static final String SPEC = """
            name: report-browser
            seed: 9
            network: { width: 24, batch: 300 }
            grid:
              init: [normal, xavier_normal, kaiming_normal]
              activation: [sigmoid, tanh, relu]
              std: [1.0, 0.01]
              depth: [4, 6]
              seed: [0, 1]
            stats: { bins: 30 }
            """;

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path out;
    static Path report;
    static String reportLine;
    static ChromeDriver driver;

    static Outcome cli(String... args) {
        return Cli.run(args);
    }

    @BeforeAll
    static void sweepAndReport() {
        spark = LocalSpark.start("local[2]");
        out = tmp.resolve("sweep");
        SweepJob.run(spark, SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "report-browser"),
                new SweepJob.Options(out.toString(), false, 0));
        Outcome r = cli("report", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        report = out.resolve(Report.DEFAULT_FILE);
        reportLine = r.out();
        assertThat(reportLine).startsWith("report: " + report + " (");
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        spark.stop();
    }

    /** Chromium and chromedriver from Debian, started once for the class. */
    static ChromeDriver browser() throws IOException {
        if (driver == null) {
            driver = HeadlessChromium.start(tmp);
        }
        return driver;
    }

    /** What a page did in the browser; {@code requested} holds the URLs it asked for, inline data: URIs aside. */
    record Visit(String title, List<String> severe, List<List<Object>> images, List<String> resources, Set<String> requested,
            int colours, double nonWhite, BufferedImage screenshot) {}

    /** Opens {@code page}, waits for its images, and records errors, images, fetches and a full-page screenshot. */
    static Visit visit(Path page) throws IOException {
        ChromeDriver d = browser();
        d.manage().logs().get(LogType.BROWSER); // drop entries of earlier pages
        d.manage().logs().get(LogType.PERFORMANCE);
        d.manage().window().setSize(new Dimension(1400, 1000));
        String url = page.toUri().toString();
        d.get(url);
        JavascriptExecutor js = d;
        // every <img> settled (loaded or failed) before anything is measured
        js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() => done(true));");
        @SuppressWarnings("unchecked")
        List<List<Object>> images = (List<List<Object>>) js.executeScript(
                "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.src.slice(0, 30)]);");
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
        d.manage().window().setSize(new Dimension(1400, (int) Math.min(Math.max(height, 600), 16000)));
        byte[] png = d.getScreenshotAs(OutputType.BYTES);
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));

        List<String> severe = new ArrayList<>();
        for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e.getMessage());
            }
        }
        Set<String> requested = new HashSet<>();
        Pattern requestUrl = Pattern.compile("\"method\":\"Network\\.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]*)\"");
        for (LogEntry e : d.manage().logs().get(LogType.PERFORMANCE)) {
            Matcher m = requestUrl.matcher(e.getMessage());
            if (m.find() && !m.group(1).startsWith("data:")) { // inline, nothing fetched
                requested.add(m.group(1));
            }
        }
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                int rgb = shot.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) {
                    nonWhite++;
                }
            }
        }
        return new Visit(d.getTitle(), severe, images, resources, requested, colours.size(),
                nonWhite / (double) (shot.getWidth() * shot.getHeight()), shot);
    }

    @Test
    void theReportOpensOfflineWithEveryFigureDecodedAndNoErrors() throws IOException {
        Visit v = visit(report);
        ImageIO.write(v.screenshot(), "png", Path.of("target", "report-browser-test.png").toFile());

        assertThat(v.title()).isEqualTo("initsweep report: report-browser");
        assertThat(v.severe()).as("console errors").isEmpty();
        // 12 histogram rows (normal std 1 and 0.01, xavier, kaiming × 3 activations) × 6 layers (the largest
        // depth ≤ 10), 9 (init, activation) panels × 2 heatmaps, 3 activation panels × 2 layer profiles; theory:
        // 3 activation panels × 4 configurations (normal std 1 and 0.01, xavier, kaiming) × (E[A²], c)
        int figures = 12 * 6 + 9 * 2 + 3 * 2 + 3 * 4 * 2;
        assertThat(reportLine).contains("(" + figures + " figures");
        assertThat(v.images()).hasSize(figures);
        for (List<Object> img : v.images()) {
            assertThat(img.get(0)).as("complete %s", img).isEqualTo(true);
            assertThat(((Number) img.get(1)).intValue()).as("naturalWidth %s", img).isPositive();
            assertThat(((Number) img.get(2)).intValue()).as("naturalHeight %s", img).isPositive();
            assertThat((String) img.get(3)).startsWith("data:image/png;base64,");
        }
        assertThat(v.resources()).as("resources fetched").isEmpty();
        // the page itself; chrome:// URLs are the browser's own resources (seen in some runs), never the network
        assertThat(v.requested()).as("requests sent").contains(report.toUri().toString()).allSatisfy(u -> assertThat(u)
                .satisfiesAnyOf(x -> assertThat(x).isEqualTo(report.toUri().toString()), x -> assertThat(x).startsWith("chrome://")));
        // the near-empty page of the next test inks < 1 % of its pixels; this report measured about 14 %
        assertThat(v.colours()).as("distinct colours").isGreaterThan(500);
        assertThat(v.nonWhite()).as("share of non-white pixels").isGreaterThan(0.05);
    }

    /** A report without gradient rows has no gradient section, link or figure (the sweep above has no gradients). */
    @Test
    void aSweepWithoutGradientsHasNoGradientSection() throws IOException {
        Visit v = visit(report);
        assertThat(v.severe()).isEmpty();
        JavascriptExecutor js = driver;
        assertThat(js.executeScript("return document.getElementById('gradients') === null;")).isEqualTo(true);
        assertThat(js.executeScript("return document.querySelectorAll('a[href=\"#gradients\"]').length;")).isEqualTo(0L);
        assertThat(js.executeScript("return document.getElementById('jacobian') === null;")).isEqualTo(true);
        // no bias axis: the theory section has no phase diagram
        assertThat(js.executeScript("return document.querySelector('#theory h2').textContent;")).isEqualTo("Theory");
        assertThat(js.executeScript("return document.getElementById('phase') === null;")).isEqualTo(true);
        assertThat(Files.readString(report)).doesNotContain("Gradients at initialization").doesNotContain("grad_sq_mean")
                .doesNotContain("grad_first_over_last");
    }

    /**
     * A sweep with {@code gradients: true}: the report gains the section, linked from the header,
     * with per activation act_std next to grad_sq_mean across layers and a vanishing/exploding
     * heatmap; every image in it decodes and is laid out with a nonzero size.
     */
    @Test
    void aSweepWithGradientsShowsTheGradientSection() throws IOException {
        Path spec = Files.writeString(tmp.resolve("gradients.yaml"), """
                name: report-gradients
                seed: 4
                network: { width: 8, batch: 40 }
                grid:
                  init: [normal, xavier_normal]
                  activation: [tanh, relu]
                  std: [1.0, 0.01]
                  depth: [2, 4]
                  seed: [0, 1]
                stats: { bins: 10 }
                gradients: true
                """);
        Path o = tmp.resolve("with-gradients");
        Outcome r = cli("run", spec.toString(), "--out", o.toString(), "--report", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        Path file = o.resolve(Report.DEFAULT_FILE);
        // 6 seed-figure rows (normal std 1 and 0.01, xavier × tanh, relu) × 4 layers, 4 (init, activation) heatmap
        // pairs, 2 profile pairs; gradients: 2 activations × (act_std + grad_sq_mean), 2 heatmaps and 2 Jacobian spectra
        int gradientFigures = 2 * 2 + 2 + 2;
        // theory: 2 activations × 3 configurations × (E[A²], c)
        int figures = 6 * 4 + 4 * 2 + 2 * 2 + gradientFigures + 2 * 3 * 2;
        assertThat(r.out()).contains("report: " + file + " (" + figures + " figures");
        Visit v = visit(file);
        assertThat(v.severe()).as("console errors").isEmpty();
        assertThat(v.requested()).allSatisfy(u -> assertThat(u).satisfiesAnyOf(x -> assertThat(x).isEqualTo(file.toUri().toString()),
                x -> assertThat(x).startsWith("chrome://")));
        assertThat(v.images()).hasSize(figures).allSatisfy(img -> assertThat(((Number) img.get(1)).intValue()).isPositive());

        JavascriptExecutor js = driver;
        assertThat(js.executeScript("return document.querySelector('#gradients h2').textContent;"))
                .isEqualTo("Gradients at initialization");
        assertThat(js.executeScript("return document.querySelector('nav a[href=\"#gradients\"]').textContent;"))
                .isEqualTo("Gradients at initialization");
        // [alt, complete, naturalWidth, naturalHeight, laid-out width, laid-out height] of the section's images
        @SuppressWarnings("unchecked")
        List<List<Object>> images = (List<List<Object>>) js.executeScript("return Array.from(document.querySelectorAll("
                + "'#gradients img')).map(i => { const b = i.getBoundingClientRect();"
                + " return [i.alt, i.complete, i.naturalWidth, i.naturalHeight, b.width, b.height]; });");
        assertThat(images).hasSize(gradientFigures);
        assertThat(images).extracting(i -> (String) i.get(0)).containsExactly(
                "tanh: act_std by layer, one line per initializer", "tanh: grad_sq_mean by layer, one line per initializer",
                "relu: act_std by layer, one line per initializer", "relu: grad_sq_mean by layer, one line per initializer",
                "tanh: log10 grad_first_over_last by init_std and depth",
                "relu: log10 grad_first_over_last by init_std and depth",
                "tanh: histogram of the Jacobian's singular values, one line per initializer",
                "relu: histogram of the Jacobian's singular values, one line per initializer");
        for (List<Object> img : images) {
            assertThat(img.get(1)).as("complete %s", img).isEqualTo(true);
            for (int k = 2; k < 6; k++) {
                assertThat(((Number) img.get(k)).doubleValue()).as("size %d of %s", k, img).isPositive();
            }
        }
        // the profile pair sits side by side (act_std left of grad_sq_mean, on one line)
        @SuppressWarnings("unchecked")
        List<Number> pair = (List<Number>) js.executeScript("const i = document.querySelectorAll('#gradients .panels img');"
                + " const a = i[0].getBoundingClientRect(), b = i[1].getBoundingClientRect(); return [a.right, b.left, a.top, b.top];");
        assertThat(pair.get(0).doubleValue()).isLessThanOrEqualTo(pair.get(1).doubleValue());
        assertThat(pair.get(2).doubleValue()).isEqualTo(pair.get(3).doubleValue());
        // the Jacobian spectrum closes the section, at the largest depth, every sample and seed pooled
        assertThat(js.executeScript("return document.querySelector('#gradients #jacobian').textContent;"))
                .isEqualTo("Jacobian spectrum");
        assertThat(js.executeScript("return Array.from(document.querySelectorAll('#gradients h3 .meta'))"
                + ".map(e => e.textContent).filter(t => t.startsWith('depth')).join('|');")).isEqualTo(
                        "depth 4 · 48 Jacobians|depth 4 · 48 Jacobians");
        // the section comes after the layer profiles, before the sweep's summary
        String html = Files.readString(file);
        assertThat(html.indexOf("<section id=\"profiles\">")).isLessThan(html.indexOf("<section id=\"gradients\">"));
        assertThat(html.indexOf("<section id=\"gradients\">")).isLessThan(html.indexOf("<section id=\"sweep\">"));
    }

    /**
     * A sweep over σ_w² (variance_scaling) and σ_b² (bias_std) with gradients: the Theory section,
     * linked from the header, with a phase diagram per activation (measured χ₁, the critical line) and
     * E[A²] and c against the theory per configuration; every image in it decodes and is laid out.
     */
    @Test
    void aSweepOverSigmaWAndSigmaBShowsThePhaseDiagram() throws IOException {
        Path spec = Files.writeString(tmp.resolve("theory.yaml"), """
                name: report-theory
                seed: 3
                network: { width: 16, batch: 32, bias_std: [0, 0.3] }
                grid:
                  init:
                    - {variance_scaling: {scale: 0.5, mode: fan_in, distribution: normal}}
                    - {variance_scaling: {scale: 1.0, mode: fan_in, distribution: normal}}
                    - {variance_scaling: {scale: 3.0, mode: fan_in, distribution: normal}}
                  activation: [tanh, relu]
                  depth: [3]
                gradients: true
                """);
        Path o = tmp.resolve("with-theory");
        Outcome r = cli("run", spec.toString(), "--out", o.toString(), "--report", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        Path file = o.resolve(Report.DEFAULT_FILE);
        Visit v = visit(file);
        assertThat(v.severe()).as("console errors").isEmpty();
        assertThat(v.images()).allSatisfy(img -> assertThat(((Number) img.get(1)).intValue()).isPositive());
        JavascriptExecutor js = driver;
        assertThat(js.executeScript("return document.querySelector('nav a[href=\"#theory\"]').textContent;")).isEqualTo("Theory");
        assertThat(js.executeScript("return document.querySelector('#theory #phase').textContent;")).isEqualTo("Phase diagram");
        @SuppressWarnings("unchecked")
        List<List<Object>> images = (List<List<Object>>) js.executeScript("return Array.from(document.querySelectorAll("
                + "'#theory img')).map(i => { const b = i.getBoundingClientRect();"
                + " return [i.alt, i.complete, i.naturalWidth, i.naturalHeight, b.width, b.height]; });");
        // 2 phase diagrams; 4 panels (activation × bias_std) × 3 configurations × (E[A²], c)
        assertThat(images).hasSize(2 + 4 * 3 * 2);
        assertThat(images.subList(0, 2)).extracting(i -> (String) i.get(0)).containsExactly(
                "tanh: phase diagram of χ₁ by σ_w² and σ_b²", "relu: phase diagram of χ₁ by σ_w² and σ_b²");
        for (List<Object> img : images) {
            assertThat(img.get(1)).as("complete %s", img).isEqualTo(true);
            for (int k = 2; k < 6; k++) {
                assertThat(((Number) img.get(k)).doubleValue()).as("size %d of %s", k, img).isPositive();
            }
        }
        assertThat((String) js.executeScript("return document.querySelector('#theory figcaption').textContent;"))
                .startsWith("χ₁ measured from the gradients").contains("depth/ξ_c at depth 3");
        String html = Files.readString(file);
        assertThat(html.indexOf("<section id=\"gradients\">")).isLessThan(html.indexOf("<section id=\"theory\">"));
        assertThat(html.indexOf("<section id=\"theory\">")).isLessThan(html.indexOf("<section id=\"sweep\">"));
    }

    /** A report without training rows has no Training section, link or figure (the sweep above has no training). */
    @Test
    void aSweepWithoutTrainingHasNoTrainingSection() throws IOException {
        Visit v = visit(report);
        assertThat(v.severe()).isEmpty();
        JavascriptExecutor js = driver;
        assertThat(js.executeScript("return document.getElementById('training') === null;")).isEqualTo(true);
        assertThat(js.executeScript("return document.querySelectorAll('a[href=\"#training\"]').length;")).isEqualTo(0L);
        assertThat(Files.readString(report)).doesNotContain("Loss curves").doesNotContain("Trainability")
                .doesNotContain("distinct_units");
    }

    /**
     * A small training sweep (σ_w² ∈ {1, 16} and a constant init, depths 2 and 4, two seeds): the
     * Training section, linked from the header, with a pair of loss charts per (activation, depth), a
     * trainability map and a symmetry chart per activation; every image decodes and is laid out.
     */
    @Test
    void aSweepWithTrainingShowsTheTrainingSection() throws IOException {
        Path spec = Files.writeString(tmp.resolve("training.yaml"), """
                name: report-training
                seed: 5
                network: { width: 16, batch: 32 }
                grid:
                  init: [normal, {constant: {value: 0.05}}]
                  activation: [tanh, relu]
                  std: [1.0, 0.25]
                  depth: [2, 4]
                  seed: [0, 1]
                stats: { bins: 10 }
                training:
                  kind: classification
                  outputs: 3
                  samples: 96
                  test_samples: 48
                  lr: [0.5]
                  steps: 30
                  batch: 16
                """);
        Path o = tmp.resolve("with-training");
        Outcome r = cli("run", spec.toString(), "--out", o.toString(), "--report", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        Path file = o.resolve(Report.DEFAULT_FILE);
        Visit v = visit(file);
        assertThat(v.severe()).as("console errors").isEmpty();
        assertThat(v.requested()).allSatisfy(u -> assertThat(u).satisfiesAnyOf(x -> assertThat(x).isEqualTo(file.toUri().toString()),
                x -> assertThat(x).startsWith("chrome://")));
        Matcher count = Pattern.compile("\\((\\d+) figures").matcher(r.out());
        assertThat(count.find()).as(r.out()).isTrue();
        assertThat(v.images()).hasSize(Integer.parseInt(count.group(1)))
                .allSatisfy(img -> assertThat(((Number) img.get(1)).intValue()).isPositive());

        JavascriptExecutor js = driver;
        assertThat(js.executeScript("return document.querySelector('#training h2').textContent;")).isEqualTo("Training");
        assertThat(js.executeScript("return document.querySelector('nav a[href=\"#training\"]').textContent;"))
                .isEqualTo("Training");
        assertThat(js.executeScript("return ['loss-curves', 'trainability', 'symmetry'].map(i => document.querySelector("
                + "'#training #' + i).textContent).join('|');")).isEqualTo("Loss curves|Trainability|Symmetry over training");
        @SuppressWarnings("unchecked")
        List<List<Object>> images = (List<List<Object>>) js.executeScript("return Array.from(document.querySelectorAll("
                + "'#training img')).map(i => { const b = i.getBoundingClientRect();"
                + " return [i.alt, i.complete, i.naturalWidth, i.naturalHeight, b.width, b.height]; });");
        // loss curves: 2 activations × 2 depths × (train, test); trainability: 2 activations; symmetry: 2 activations
        assertThat(images).hasSize(2 * 2 * 2 + 2 + 2);
        assertThat(images).extracting(i -> (String) i.get(0)).filteredOn(a -> !a.contains("_loss by step")).containsExactly(
                "tanh: share of seeds trained by σ_w² and depth, with 6·ξ_c",
                "relu: share of seeds trained by σ_w² and depth, with 6·ξ_c",
                "tanh: fewest distinct units by step, one line per initializer",
                "relu: fewest distinct units by step, one line per initializer");
        for (List<Object> img : images) {
            assertThat(img.get(1)).as("complete %s", img).isEqualTo(true);
            for (int k = 2; k < 6; k++) {
                assertThat(((Number) img.get(k)).doubleValue()).as("size %d of %s", k, img).isPositive();
            }
        }
        // relu at σ_w² = 16 (normal std 1), depth 4 diverges at lr 0.5: listed under its panel
        assertThat((String) js.executeScript("return document.querySelector('#training').textContent;"))
                .contains("diverged: normal");
        String html = Files.readString(file);
        assertThat(html.indexOf("<section id=\"theory\">")).isLessThan(html.indexOf("<section id=\"training\">"));
        assertThat(html.indexOf("<section id=\"training\">")).isLessThan(html.indexOf("<section id=\"sweep\">"));
    }

    /** The checks above are not vacuous: a page with a broken image, an error and a fetch fails each. */
    @Test
    void theBrowserChecksCatchABrokenPage() throws IOException {
        Path broken = Files.writeString(tmp.resolve("broken.html"), """
                <!DOCTYPE html><html><head><title>broken</title>
                <link rel="stylesheet" href="http://127.0.0.1:9/missing.css"></head>
                <body><img src="data:image/png;base64,AAAA" alt="broken"><script>console.error("boom")</script></body></html>
                """);
        Visit v = visit(broken);
        assertThat(v.severe()).anySatisfy(m -> assertThat(m).contains("boom"));
        assertThat(v.images()).singleElement().satisfies(img -> assertThat(((Number) img.get(1)).intValue()).isZero());
        assertThat(v.requested()).contains("http://127.0.0.1:9/missing.css");
        assertThat(v.nonWhite()).isLessThan(0.01);
    }

    @Test
    void runWithReportWritesTheReportIntoTheOutputDirectory() throws IOException {
        Path spec = Files.writeString(tmp.resolve("small.yaml"), """
                name: small
                network: { width: 8, batch: 50 }
                grid: { init: [kaiming_normal], activation: [relu, tanh], depth: [3] }
                """);
        Path o = tmp.resolve("with-report");
        Outcome r = cli("run", spec.toString(), "--out", o.toString(), "--report", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        Path file = o.resolve(Report.DEFAULT_FILE);
        assertThat(r.out()).contains("report: " + file + " (");
        // seed-figure rows (kaiming_normal with relu and tanh), 2 heatmap panels, 2 profile panels
        Visit v = visit(file);
        assertThat(v.severe()).isEmpty();
        assertThat(v.images()).hasSize(2 * 3 + 2 * 2 + 2 * 2 + 2 * 2)
                .allSatisfy(img -> assertThat(((Number) img.get(1)).intValue()).isPositive());
    }

    @Test
    void aMissingOrNonSweepDirectoryIsAUsageErrorAndNothingIsWritten() throws IOException {
        Path missing = tmp.resolve("no-such-sweep");
        Outcome r = cli("report", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("OUT_DIR " + missing).contains("holds no finished sweep");
        assertThat(missing).doesNotExist();

        Path notSweep = Files.createDirectories(tmp.resolve("not-a-sweep"));
        Files.writeString(notSweep.resolve("notes.txt"), "hello");
        Outcome r2 = cli("report", notSweep.toString());
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.err().lines()).hasSize(1);
        assertThat(r2.err()).contains("OUT_DIR " + notSweep).contains("manifest.json");
        try (var files = Files.list(notSweep)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void anExistingFileIsKeptUnlessOverwriteIsGiven() throws IOException {
        byte[] before = Files.readAllBytes(report);
        Outcome again = cli("report", out.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().lines()).hasSize(1);
        assertThat(again.err()).contains(report.toString()).contains("already exists").contains("--overwrite");
        assertThat(Files.readAllBytes(report)).isEqualTo(before);

        Path to = Files.writeString(tmp.resolve("mine.html"), "my notes");
        Outcome r = cli("report", out.toString(), "--to", to.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("initsweep: --to " + to + " already exists; pass --overwrite");
        assertThat(Files.readString(to)).isEqualTo("my notes");

        Outcome elsewhere = cli("report", out.toString(), "--to", tmp.resolve("no-dir").resolve("r.html").toString());
        assertThat(elsewhere.code()).isEqualTo(2);
        assertThat(elsewhere.err()).contains("--to ").contains("does not exist");
        assertThat(tmp.resolve("no-dir")).doesNotExist();

        Outcome replaced = cli("report", out.toString(), "--to", to.toString(), "--overwrite", "--histograms",
                "activation = 'relu' AND depth = 6");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(Files.readString(to)).startsWith("<!DOCTYPE html>").contains("depth 6");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void aHistogramConditionThatMatchesNothingOrDoesNotParseIsAUsageError() {
        Path to = tmp.resolve("never.html");
        Outcome none = cli("report", out.toString(), "--to", to.toString(), "--histograms", "init = 'glorot_magic'");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err().lines()).hasSize(1);
        assertThat(none.err()).contains("--histograms \"init = 'glorot_magic'\" matches no grid point");
        Outcome bad = cli("report", out.toString(), "--to", to.toString(), "--histograms", "no_such_column > 1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.err()).contains("no_such_column");
        assertThat(to).doesNotExist();
    }

    @Test
    void theReportIsSelfContained() throws IOException {
        String html = Files.readString(report);
        // no address outside the page: every src/href is a data: URI or an in-page anchor
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        int links = 0;
        while (m.find()) {
            assertThat(m.group(1)).satisfiesAnyOf(u -> assertThat(u).startsWith("data:"), u -> assertThat(u).startsWith("#"));
            links++;
        }
        assertThat(links).isGreaterThan(10);
        assertThat(html).doesNotContain("<script").contains("Content-Security-Policy")
                .contains("<pre>" + HtmlReport.esc(SPEC) + "</pre>");
        assertThat(java.awt.GraphicsEnvironment.isHeadless()).as("charts rendered headless").isTrue();
    }
}
