package io.initsweep.report;

import io.initsweep.tables.Views;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML report of a written sweep: the seed figures (per-layer histograms of chosen
 * configurations), heatmaps of the final layer's saturation and dead-unit rates over (init_std ×
 * depth), act_std and E[A²] across layers, for sweeps with gradients E[δ²] across layers and
 * log10(grad_first_over_last) over (init_std × depth), the Jacobian's singular values, for sweeps with the
 * mean-field theory a phase diagram of χ₁ over (σ_w² × σ_b²) and E[A²] and c per layer against the theory, for
 * sweeps with training the loss curves, trainability over (σ_w² × depth) with 6·ξ_c and the units' symmetry over
 * training, and the manifest's summary, in one self-contained file
 * (figures are inline PNGs; nothing is fetched when it is opened). Data are read with Spark SQL
 * through {@link Views#register}, so the report and {@code initsweep sql} see the same tables.
 */
public final class Report {
    static {
        // XChart draws with Java2D; no display is needed or wanted
        System.setProperty("java.awt.headless", "true");
    }

    /** The report's file name inside a sweep's output directory when no other target is given. */
    public static final String DEFAULT_FILE = "report.html";

    private static final Logger LOG = LoggerFactory.getLogger(Report.class);
    /** How many of the page's queries run at once (see {@link #render}). */
    static final int GATHER_THREADS = 3;

    private Report() {}

    /** What was written: the file, its figure count and size, and the time taken (queries and rendering). */
    public record Result(String file, int figures, long bytes, double seconds) {}

    /** The default target for a sweep's output directory: {@code OUT_DIR/report.html}. */
    public static String defaultTarget(String outputDir) {
        return new Path(outputDir, DEFAULT_FILE).toString();
    }

    /**
     * Refuses, before anything is computed or written, a target that exists (unless
     * {@code overwrite}), is a directory, or whose directory does not exist. {@code name} is how
     * the message names the target, e.g. {@code "--to /tmp/r.html"}.
     */
    public static void checkTarget(String target, boolean overwrite, Configuration conf, String name) {
        try {
            Path p = new Path(target);
            FileSystem fs = p.getFileSystem(conf);
            if (fs.exists(p)) {
                if (fs.getFileStatus(p).isDirectory()) {
                    throw new ReportException(name + " is a directory; give the path of an .html file");
                }
                if (!overwrite) {
                    throw new ReportException(name + " already exists; pass --overwrite to replace it");
                }
            }
            Path parent = fs.makeQualified(p).getParent();
            if (parent != null && !fs.exists(parent)) {
                throw new ReportException(name + ": directory " + shown(parent) + " does not exist");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders the report of the sweep in {@code outputDir} and writes it to {@code target} (a
     * local path or a Hadoop URI), whole or not at all. Registers the views in {@code spark}.
     *
     * @param histograms a SQL condition on the runs view choosing the histogram rows; null for the
     *     seed figures' configurations
     */
    public static Result write(SparkSession spark, String outputDir, String target, boolean overwrite, String histograms,
            String name) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        checkTarget(target, overwrite, conf, name);
        long t0 = System.nanoTime();
        HtmlReport.Page page = render(spark, outputDir, histograms);
        byte[] bytes = page.html().getBytes(StandardCharsets.UTF_8);
        String written = writeWhole(target, bytes, overwrite, conf, name);
        return new Result(written, page.figures(), bytes.length, (System.nanoTime() - t0) / 1e9);
    }

    /** What the report's queries returned. */
    private record Gathered(Keys keys, ReportData.Summary summary, ReportData.Histograms rows,
            List<ReportData.Heatmap> heatmaps, List<ReportData.Profile> profiles, ReportData.Gradients gradients,
            ReportData.Theory theory, ReportData.Training training) {}

    /** The report page of the sweep in {@code outputDir}, registering the views in {@code spark}. */
    static HtmlReport.Page render(SparkSession spark, String outputDir, String histograms) {
        long t0 = System.nanoTime();
        // every query runs against one version of the sweep (a run with --overwrite may replace it)
        Gathered g = Views.readConsistently(spark, List.of(outputDir), () -> {
            ReportData data = new ReportData(spark);
            // independent queries, a few at a time: one query's planning on the driver overlaps
            // another's tasks, which on a small sweep is most of what the report waits for
            try (Parallel p = new Parallel(spark, GATHER_THREADS)) {
                var summary = p.submit(data::summary);
                var rows = p.submit(() -> data.histograms(histograms));
                var heatmaps = p.submit(data::heatmaps);
                var profiles = p.submit(data::profiles);
                var gradients = p.submit(data::gradients);
                var theory = p.submit(data::theory);
                var training = p.submit(data::training);
                return new Gathered(data.keys, p.get(summary), p.get(rows), p.get(heatmaps), p.get(profiles),
                        p.get(gradients), p.get(theory), p.get(training));
            }
        });
        long t1 = System.nanoTime();
        HtmlReport.Page page = HtmlReport.render(outputDir, g.keys(), g.summary(), g.rows(), g.heatmaps(), g.profiles(),
                g.gradients(), g.theory(), g.training(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        LOG.info("report of {}: queries {} s, {} figures {} s", outputDir, String.format("%.2f", (t1 - t0) / 1e9),
                page.figures(), String.format("%.2f", (System.nanoTime() - t1) / 1e9));
        return page;
    }

    /**
     * Writes {@code bytes} to {@code target} (a local path or a Hadoop URI) whole or not at all: into a
     * temporary sibling, then renamed; an existing file is replaced only with {@code overwrite}, and
     * one created meanwhile by someone else is kept. Returns the file written, as a path or URI.
     */
    public static String writeWhole(String target, byte[] bytes, boolean overwrite, Configuration conf, String name) {
        Path p = new Path(target);
        String scheme = p.toUri().getScheme();
        String tmpName = "." + p.getName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            if (scheme == null || "file".equals(scheme)) {
                java.nio.file.Path file = java.nio.file.Path.of(p.toUri().getPath()).toAbsolutePath();
                java.nio.file.Path tmp = file.resolveSibling(tmpName);
                Files.write(tmp, bytes);
                try {
                    if (overwrite) {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.move(tmp, file);
                    }
                } catch (FileAlreadyExistsException e) {
                    throw new ReportException(name + " was created by someone else while the page was rendered;"
                            + " pass --overwrite to replace it");
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return file.toString();
            }
            FileSystem fs = p.getFileSystem(conf);
            Path q = fs.makeQualified(p);
            Path tmp = new Path(q.getParent(), tmpName);
            try (OutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
            }
            try {
                if (fs.exists(q)) {
                    if (!overwrite) {
                        throw new ReportException(name + " was created by someone else while the page was rendered;"
                                + " pass --overwrite to replace it");
                    }
                    fs.delete(q, false);
                }
                if (!fs.rename(tmp, q)) {
                    throw new IOException("cannot move " + tmp + " to " + q);
                }
            } finally {
                if (fs.exists(tmp)) {
                    fs.delete(tmp, false);
                }
            }
            return q.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shown(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
