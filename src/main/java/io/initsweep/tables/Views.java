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
    /** The input–output Jacobian spectra of sweeps with gradients; empty for the others. */
    public static final String JACOBIAN = "jacobian";
    /** The training table's view and directory (empty for sweeps without training). */
    public static final String TRAINING = "training";
    public static final String SWEEPS = "sweeps";
    public static final String MANIFEST = "manifest.json";
    /** The view column naming the output directory a row was read from. */
    public static final String OUTPUT = "output";
    /**
     * The manifest's object that lists each table's data files (paths relative to the table's
     * directory), in a sweep committed by its manifest (on object stores): readers read those files
     * and no others. A manifest without it commits a sweep whose directories hold exactly its files.
     */
    public static final String FILES = "files";

    private Views() {}

    /**
     * Registers the four views over the sweeps in {@code outputs}; each must hold a finished,
     * whole sweep ({@link #verify}). Returns each sweep's manifest as read, by directory: what
     * {@link #readConsistently} compares after a read to know that no sweep was replaced meanwhile.
     */
    public static Map<String, String> register(SparkSession spark, List<String> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no output directories given");
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        outputs = expand(conf, outputs);
        Map<String, String> manifests = new java.util.LinkedHashMap<>();
        for (String out : outputs) {
            manifests.put(out, verify(conf, out));
        }
        withOutput(spark, outputs, LAYERS, Schema.LAYERS).createOrReplaceTempView(LAYERS);
        withOutput(spark, outputs, RUNS, Schema.RUNS).createOrReplaceTempView(RUNS);
        List<String> withJacobian = new java.util.ArrayList<>();
        for (String out : outputs) {
            if (hasTable(conf, out, JACOBIAN)) {
                withJacobian.add(out);
            }
        }
        (withJacobian.isEmpty()
                ? spark.createDataFrame(List.<Row>of(), Schema.struct(Schema.JACOBIAN)).withColumn(OUTPUT,
                        functions.lit(null).cast("string"))
                : withOutput(spark, withJacobian, JACOBIAN, Schema.JACOBIAN)).createOrReplaceTempView(JACOBIAN);
        List<String> withTraining = new java.util.ArrayList<>();
        for (String out : outputs) {
            if (hasTable(conf, out, TRAINING)) {
                withTraining.add(out);
            }
        }
        (withTraining.isEmpty()
                ? spark.createDataFrame(List.<Row>of(), Schema.struct(Schema.TRAINING)).withColumn(OUTPUT,
                        functions.lit(null).cast("string"))
                : withOutput(spark, withTraining, TRAINING, Schema.TRAINING)).createOrReplaceTempView(TRAINING);
        spark.sql(sql("histograms.sql", LAYERS)).createOrReplaceTempView(HISTOGRAMS);
        Dataset<Row> sweeps = null;
        for (String out : outputs) {
            Dataset<Row> m = spark.read().option("multiLine", true).json(new Path(out, MANIFEST).toString()).drop(FILES);
            sweeps = sweeps == null ? m : sweeps.unionByName(m, true);
        }
        sweeps.createOrReplaceTempView(SWEEPS);
        return manifests;
    }

    /** How often {@link #readConsistently} reads before it gives up on an output that keeps changing. */
    static final int READ_ATTEMPTS = 5;

    /**
     * Registers the views over {@code outputs} and runs {@code read} (which queries them and
     * returns everything it needs, collected), so that the result comes from one version of each
     * sweep. A run with {@code --overwrite} replaces a sweep by renames while readers may be
     * reading it; so each sweep's manifest is read before and after, and a read during which one
     * changed, or which failed while one changed or while a run held an output's lock, is done
     * again, up to {@link #READ_ATTEMPTS} times. A read that fails while nothing changed fails as
     * it is.
     *
     * @throws OutputChangedException when the outputs changed under every attempt
     */
    public static <T> T readConsistently(SparkSession spark, List<String> outputs, java.util.function.Supplier<T> read) {
        return new Registered(spark, outputs).read(read);
    }

    /**
     * The views over a set of outputs, registered once and again only when a sweep's manifest
     * changed: for a session that reads many times (the {@code sql} prompt, a notebook). Each
     * {@link #read} has {@link #readConsistently}'s guarantee: its result comes from one version
     * of each sweep.
     */
    public static final class Registered {
        private final SparkSession spark;
        private final List<String> outputs;
        private final Configuration conf;
        /** The manifests the views were registered from, by directory; null before the first read. */
        private Map<String, String> registered;

        /** Registers nothing yet: the first {@link #read} does. */
        public Registered(SparkSession spark, List<String> outputs) {
            this.spark = spark;
            this.outputs = List.copyOf(outputs);
            this.conf = spark.sparkContext().hadoopConfiguration();
        }

        /** The sweeps' directories as registered (parents expanded), in view order; empty before the first read. */
        public List<String> directories() {
            return registered == null ? List.of() : List.copyOf(registered.keySet());
        }

        /**
         * Runs {@code read} over the views, registering them first when no read has or a sweep
         * changed since; a read during which a sweep changed, or which failed while one changed or
         * while a run held an output's lock, is done again, up to {@link #READ_ATTEMPTS} times.
         *
         * @throws OutputChangedException when the outputs changed under every attempt
         */
        public <T> T read(java.util.function.Supplier<T> read) {
            for (int attempt = 1; ; attempt++) {
                Map<String, String> before = null;
                try {
                    if (registered == null || !registered.equals(manifests(conf, registered.keySet()))) {
                        registered = null;
                        registered = register(spark, outputs);
                    }
                    before = registered;
                    T result = read.get();
                    if (before.equals(manifests(conf, before.keySet()))) {
                        return result;
                    }
                    registered = null;
                } catch (Exception e) { // Spark's own exceptions are checked ones, thrown unchecked
                    boolean changed = before != null ? !before.equals(manifests(conf, before.keySet())) : beingWritten(conf, outputs);
                    if (!changed) {
                        throw Views.<RuntimeException>rethrow(e);
                    }
                    registered = null;
                }
                if (attempt == READ_ATTEMPTS) {
                    throw new OutputChangedException(String.join(", ", outputs) + " changed while being read, " + READ_ATTEMPTS
                            + " times (another run is replacing it); run this command again when that run has finished");
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new OutputChangedException("interrupted while waiting to read " + String.join(", ", outputs) + " again");
                }
            }
        }
    }

    /** Throws {@code e} as it is, checked or not (the compiler is told it is an {@code E}). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    /** Each directory's manifest text now; a missing or unreadable one reads as null. */
    private static Map<String, String> manifests(Configuration conf, java.util.Collection<String> outputs) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String out : outputs) {
            try {
                m.put(out, readText(conf, new Path(out, MANIFEST)));
            } catch (IOException e) {
                m.put(out, null);
            }
        }
        return m;
    }

    /** Whether a run holds the lock of {@code out}, or of a sweep directly below it. */
    private static boolean beingWritten(Configuration conf, List<String> outputs) {
        try {
            for (String out : outputs) {
                Path dir = new Path(out);
                FileSystem fs = dir.getFileSystem(conf);
                if (dir.getParent() != null && fs.exists(new Path(dir.getParent(), "." + dir.getName() + ".lock"))) {
                    return true;
                }
                if (fs.exists(dir) && fs.getFileStatus(dir).isDirectory()) {
                    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
                        if (st.getPath().getName().endsWith(".lock")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return true; // the directory changed while it was listed
        }
    }

    /**
     * Checks that {@code output} holds a whole sweep and returns its manifest text: {@code
     * manifest.json} parses and gives the row counts of {@code runs} and {@code layers}; every data
     * file of both tables is a readable Parquet file; and the files hold exactly those counts (a
     * deleted partition directory or file shows here).
     *
     * @throws DamagedOutputException naming the file and what is wrong with it
     */
    public static String verify(Configuration conf, String output) {
        Path manifestFile = new Path(output, MANIFEST);
        String text;
        try {
            text = readText(conf, manifestFile);
        } catch (java.io.FileNotFoundException e) {
            throw new DamagedOutputException(shown(manifestFile) + " is missing; " + output
                    + " holds no finished sweep (run it again with --overwrite)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        com.fasterxml.jackson.databind.JsonNode counts;
        com.fasterxml.jackson.databind.JsonNode parsed;
        try {
            parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            counts = parsed.path("counts");
        } catch (IOException e) {
            throw new DamagedOutputException(shown(manifestFile) + " is not valid JSON (" + oneLine(e.getMessage())
                    + "); the sweep cannot be checked (run it again with --overwrite)");
        }
        for (String table : List.of(RUNS, LAYERS, JACOBIAN, TRAINING)) {
            com.fasterxml.jackson.databind.JsonNode n = counts.path(table + "_rows");
            List<Path> listed = listedFiles(parsed, output, table);
            if ((table.equals(JACOBIAN) || table.equals(TRAINING)) && n.isMissingNode()) {
                if (listed != null ? !listed.isEmpty() : hasTable(conf, output, table)) {
                    throw new DamagedOutputException(shown(new Path(output, table)) + " exists but " + shown(manifestFile)
                            + " counts no " + table + " rows; the sweep is damaged (run it again with --overwrite)");
                }
                continue; // a sweep without gradients (training)
            }
            if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
                throw new DamagedOutputException(shown(manifestFile) + " has no valid counts." + table + "_rows (found "
                        + (n.isMissingNode() ? "none" : n.toString()) + "); the sweep cannot be checked (run it again with"
                        + " --overwrite)");
            }
            Path dir = new Path(output, table);
            long rows;
            try {
                rows = listed != null ? ParquetRows.count(dir.getFileSystem(conf), listed, conf) : ParquetRows.count(dir, conf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof ParquetRows.UnreadableFileException u) {
                    throw new DamagedOutputException(shown(u.file()) + " is not a readable Parquet file (" + u.reason()
                            + "); the sweep is damaged (run it again with --overwrite)");
                }
                if (listed != null && e.getCause() instanceof java.io.FileNotFoundException gone) {
                    throw new DamagedOutputException(oneLine(gone.getMessage()) + ": a data file " + shown(manifestFile)
                            + " lists is missing; the sweep is damaged (run it again with --overwrite)");
                }
                throw e;
            }
            if (rows != n.asLong()) {
                throw new DamagedOutputException(shown(dir) + " holds " + rows + " rows but " + shown(manifestFile) + " says "
                        + n.asLong() + ": files are missing or were added; the sweep is damaged (run it again with --overwrite)");
            }
        }
        return text;
    }

    /**
     * Refuses a directory that holds a sweep's tables but no manifest: a damaged sweep, not an
     * unrelated directory.
     *
     * @throws DamagedOutputException when {@code dir} has runs/ or layers/ but no manifest.json
     */
    public static void requireManifest(FileSystem fs, Path dir) throws IOException {
        Path manifest = new Path(dir, MANIFEST);
        if (!fs.exists(manifest) && (fs.exists(new Path(dir, RUNS)) || fs.exists(new Path(dir, LAYERS)))) {
            throw new DamagedOutputException(shown(fs.makeQualified(manifest)) + " is missing, though " + shown(fs.makeQualified(dir))
                    + " holds a sweep's tables; the sweep cannot be checked (run it again with --overwrite)");
        }
    }

    /** Whether output directory {@code out} holds table {@code table} (lists files of it, when its manifest lists files). */
    private static boolean hasTable(Configuration conf, String out, String table) {
        Path p = new Path(out, table);
        try {
            List<Path> listed = listedFiles(conf, out, table);
            return listed != null ? !listed.isEmpty() : p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The data files of {@code table} that the manifest of {@code out} lists, or null when there is no
     * manifest or it lists no files (its directories hold exactly the sweep's files).
     */
    public static List<Path> listedFiles(Configuration conf, String out, String table) throws IOException {
        Path manifest = new Path(out, MANIFEST);
        String text;
        try {
            text = readText(conf, manifest);
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode parsed;
        try {
            parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            return null; // verify names it
        }
        return listedFiles(parsed, out, table);
    }

    /** {@link #listedFiles(Configuration, String, String)} from a parsed manifest. */
    private static List<Path> listedFiles(com.fasterxml.jackson.databind.JsonNode manifest, String out, String table) {
        com.fasterxml.jackson.databind.JsonNode files = manifest == null ? null : manifest.get(FILES);
        if (files == null || !files.isObject()) {
            return null;
        }
        List<Path> paths = new ArrayList<>();
        Path dir = new Path(out, table);
        files.path(table).forEach(f -> paths.add(new Path(dir, f.asText())));
        return paths;
    }

    private static String readText(Configuration conf, Path file) throws IOException {
        return new String(readBytes(file.getFileSystem(conf), file), StandardCharsets.UTF_8);
    }

    /**
     * A small file's bytes as they are on disk. On the local file system this bypasses Hadoop's
     * checksum files, so that a file changed by hand is judged by what it holds (and a manifest
     * that still parses is then checked against the rows), not refused for its stale checksum.
     */
    public static byte[] readBytes(FileSystem fs, Path file) throws IOException {
        FileSystem raw = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        try (InputStream in = raw.open(file)) {
            return in.readAllBytes();
        }
    }

    private static String oneLine(String m) {
        String t = String.valueOf(m).strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static String shown(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** One written table of several sweeps, columns in schema order (partition columns included). */
    public static Dataset<Row> table(SparkSession spark, List<String> outputs, String name, Map<String, Schema.Column> schema) {
        Dataset<Row> all = null;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        for (String out : outputs) {
            String dir = new Path(out, name).toString();
            List<Path> listed;
            try {
                listed = listedFiles(conf, out, name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Dataset<Row> t;
            if (listed == null) {
                t = spark.read().schema(Schema.struct(schema)).parquet(dir);
            } else if (listed.isEmpty()) {
                t = spark.createDataFrame(List.<Row>of(), Schema.struct(schema));
            } else {
                // exactly the files the manifest commits; the partition columns come from their paths
                t = spark.read().schema(Schema.struct(schema)).option("basePath", dir)
                        .parquet(listed.stream().map(Path::toString).toArray(String[]::new));
            }
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
                    requireManifest(fs, dir);
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

    /** A sweep whose files are damaged (missing, truncated, not Parquet, counts off): a usage error. */
    public static final class DamagedOutputException extends RuntimeException {
        public DamagedOutputException(String message) {
            super(message);
        }
    }

    /** The outputs kept changing while they were read (another run was replacing them). */
    public static final class OutputChangedException extends RuntimeException {
        public OutputChangedException(String message) {
            super(message);
        }
    }

    /** An output directory that does not hold a finished sweep: a usage error. */
    public static final class NotASweepException extends RuntimeException {
        public NotASweepException(String message) {
            super(message);
        }
    }
}
