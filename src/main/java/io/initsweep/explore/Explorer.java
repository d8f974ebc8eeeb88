package io.initsweep.explore;

import io.initsweep.report.Report;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explorer of a written sweep: one self-contained HTML page (Vega-Lite charts, their scripts
 * and the sweep's numbers inline; nothing is fetched when it is opened) with a control per axis
 * of the sweep and panels that follow the selection: per-layer histograms, act_std and E[A²] with
 * the theory, saturation and dead units, gradients and the Jacobian spectrum, training curves, a
 * second selection to compare, and a phase diagram over any two numeric axes. Data are read
 * through {@link Views}, as the report and {@code initsweep sql} read them.
 */
public final class Explorer {
    /** The page's file name inside a sweep's output directory when no other target is given. */
    public static final String DEFAULT_FILE = "explore.html";

    /**
     * The most layer rows a page carries by default. A larger sweep keeps the smallest seed of each
     * configuration and, if that is still too many, evenly spaced configurations; the page says so.
     * At 30 bins a layer row is about 400 bytes of JSON: with 10,000 grid points' runs the page is about
     * 20 MB and opens in about a second (bench/explore.sh).
     */
    public static final int DEFAULT_MAX_LAYER_ROWS = 40_000;

    private static final Logger LOG = LoggerFactory.getLogger(Explorer.class);

    private Explorer() {}

    /**
     * What was written: the file, the sweep's grid points, how many of them have their layers on the
     * page, how they were chosen (in words), the page's size and the time taken.
     */
    public record Result(String file, long gridPoints, long withLayers, String sampling, long bytes, double seconds) {}

    /** The default target for a sweep's output directory: {@code OUT_DIR/explore.html}. */
    public static String defaultTarget(String outputDir) {
        return new Path(outputDir, DEFAULT_FILE).toString();
    }

    /** As {@link #write(SparkSession, String, String, boolean, String, int)} with the default budget of layer rows. */
    public static Result write(SparkSession spark, String outputDir, String target, boolean overwrite, String name) {
        return write(spark, outputDir, target, overwrite, name, DEFAULT_MAX_LAYER_ROWS);
    }

    /**
     * Builds the page of the sweep in {@code outputDir} and writes it to {@code target} whole or not at
     * all, refusing an existing file unless {@code overwrite} ({@code name} is how messages name the
     * target). Registers the views in {@code spark}.
     *
     * @param maxLayerRows the most layer rows the page carries; beyond, it samples grid points and says so
     */
    public static Result write(SparkSession spark, String outputDir, String target, boolean overwrite, String name,
            int maxLayerRows) {
        if (maxLayerRows < 1) {
            throw new IllegalArgumentException("maxLayerRows must be >= 1, found " + maxLayerRows);
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Report.checkTarget(target, overwrite, conf, name);
        long t0 = System.nanoTime();
        ExploreData.Gathered g = Views.readConsistently(spark, List.of(outputDir), () -> ExploreData.gather(spark, maxLayerRows));
        long t1 = System.nanoTime();
        byte[] bytes = ExplorerPage.html(g).getBytes(StandardCharsets.UTF_8);
        String written = Report.writeWhole(target, bytes, overwrite, conf, name);
        LOG.info("explorer of {}: queries {} s, page {} s", outputDir, String.format("%.2f", (t1 - t0) / 1e9),
                String.format("%.2f", (System.nanoTime() - t1) / 1e9));
        return new Result(written, g.gridPoints(), g.shown(), g.sampling(), bytes.length, (System.nanoTime() - t0) / 1e9);
    }
}
