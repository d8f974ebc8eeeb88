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
    /** The view column naming the output directory a row was read from. */
    public static final String OUTPUT = "output";

    private Views() {}

    /** Registers the four views over the sweeps in {@code outputs}; each must hold a finished sweep. */
    public static void register(SparkSession spark, List<String> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no output directories given");
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        outputs = expand(conf, outputs);
        withOutput(spark, outputs, LAYERS, Schema.LAYERS).createOrReplaceTempView(LAYERS);
        withOutput(spark, outputs, RUNS, Schema.RUNS).createOrReplaceTempView(RUNS);
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

    /**
     * {@link #table} plus a last column {@code output}: the directory each row was read from, which
     * keeps two runs of the same spec (same {@code sweep} name) apart.
     */
    static Dataset<Row> withOutput(SparkSession spark, List<String> outputs, String name, Map<String, Schema.Column> schema) {
        Dataset<Row> all = null;
        for (String out : outputs) {
            Dataset<Row> t = table(spark, List.of(out), name, schema).withColumn(OUTPUT, functions.lit(out));
            all = all == null ? t : all.unionByName(t);
        }
        return all;
    }

    /** A query as written in a file or on the command line, as Spark takes it: trimmed, without a final ';'. */
    public static String statement(String text) {
        String t = text.strip();
        while (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t;
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

    /**
     * The sweeps behind the given directories: a directory holding a finished sweep stands for
     * itself; one that does not, but whose subdirectories do, stands for those (sorted by name),
     * so a parent of several runs can be queried at once.
     */
    public static List<String> expand(Configuration conf, List<String> outputs) {
        List<String> sweeps = new ArrayList<>();
        try {
            for (String out : outputs) {
                Path dir = new Path(out);
                FileSystem fs = dir.getFileSystem(conf);
                if (fs.exists(new Path(dir, MANIFEST))) {
                    sweeps.add(out);
                    continue;
                }
                List<String> children = new ArrayList<>();
                if (fs.exists(dir) && fs.getFileStatus(dir).isDirectory()) {
                    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
                        if (st.isDirectory() && fs.exists(new Path(st.getPath(), MANIFEST))) {
                            children.add(new Path(dir, st.getPath().getName()).toString());
                        }
                    }
                }
                if (children.isEmpty()) {
                    throw new NotASweepException("--out " + out + " holds no finished sweep (no " + MANIFEST
                            + ", here or in its subdirectories); give a directory written by 'initsweep run' or a parent of several");
                }
                children.sort(null);
                sweeps.addAll(children);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(sweeps);
    }

    /** An output directory that does not hold a finished sweep: a usage error. */
    public static final class NotASweepException extends RuntimeException {
        public NotASweepException(String message) {
            super(message);
        }
    }
}
