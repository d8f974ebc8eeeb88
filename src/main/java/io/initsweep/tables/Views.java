package io.initsweep.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Spark SQL views over written sweeps: {@code runs}, {@code layers}, {@code histograms} (one row
 * per run, layer and bin) and {@code sweeps} (one row per manifest). Several output directories
 * are unioned, so sweeps can be compared in one query.
 */
public final class Views {
    public static final String RUNS = "runs";
    public static final String LAYERS = "layers";
    public static final String HISTOGRAMS = "histograms";
    public static final String SWEEPS = "sweeps";
    public static final String MANIFEST = "manifest.json";

    private Views() {}

    /** Registers the four views over the sweeps in {@code outputs}; each must hold a finished sweep. */
    public static void register(SparkSession spark, List<String> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no output directories given");
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        for (String out : outputs) {
            requireSweep(conf, out);
        }
        table(spark, outputs, LAYERS, Schema.LAYERS).createOrReplaceTempView(LAYERS);
        table(spark, outputs, RUNS, Schema.RUNS).createOrReplaceTempView(RUNS);
        spark.sql(sql("histograms.sql", LAYERS)).createOrReplaceTempView(HISTOGRAMS);
        Dataset<Row> sweeps = null;
        for (String out : outputs) {
            Dataset<Row> m = spark.read().option("multiLine", true).json(new Path(out, MANIFEST).toString());
            sweeps = sweeps == null ? m : sweeps.unionByName(m, true);
        }
        sweeps.createOrReplaceTempView(SWEEPS);
    }

    /** One written table of several sweeps, columns in schema order (partition columns included). */
    public static Dataset<Row> table(SparkSession spark, List<String> outputs, String name, Map<String, Schema.Column> schema) {
        Dataset<Row> all = null;
        for (String out : outputs) {
            Dataset<Row> t = spark.read().schema(Schema.struct(schema)).parquet(new Path(out, name).toString());
            all = all == null ? t : all.unionByName(t);
        }
        return all.select(columns(schema));
    }

    /** A SQL file shipped with the tables, with {@code {layers}} bound to a view name. */
    static String sql(String resource, String layersView) {
        try (InputStream in = Views.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{layers}", layersView);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Column[] columns(Map<String, Schema.Column> schema) {
        List<Column> cols = new ArrayList<>();
        schema.keySet().forEach(c -> cols.add(functions.col(c)));
        return cols.toArray(new Column[0]);
    }

    private static void requireSweep(Configuration conf, String out) {
        try {
            Path dir = new Path(out);
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(new Path(dir, MANIFEST))) {
                throw new NotASweepException("--out " + out + " holds no finished sweep (no " + MANIFEST
                        + "); give a directory written by 'initsweep run'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An output directory that does not hold a finished sweep: a usage error. */
    public static final class NotASweepException extends RuntimeException {
        public NotASweepException(String message) {
            super(message);
        }
    }
}
