package io.initsweep.job;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.initsweep.sim.Training;
import io.initsweep.sim.TrainingSetup;
import io.initsweep.spec.InputChoice;
import io.initsweep.spec.SpecException;
import io.initsweep.spec.SweepSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the data files of a spec's {@code input: {data: FILE}} entries on the driver, checks
 * them against the network, and resolves the spec's inputs (digest, rows, columns). A data file is
 * a Parquet or CSV file of numeric columns, one sample per row; the network reads its first
 * {@code batch} rows. Any problem is a {@link SpecException} naming {@code network.input}, the file
 * and what is allowed, raised before anything is written.
 */
public final class DataInputs {
    /** Largest data file read, in values (rows × columns kept): 256 Mi doubles = 2 GiB. */
    static final long MAX_VALUES = 1L << 28;

    private DataInputs() {}

    /**
     * A spec with its data inputs resolved, and each file's first rows by digest.
     *
     * @param matrices SHA-256 → the file's first max(batch) rows, row-major
     */
    public record Loaded(SweepSpec spec, Map<String, double[]> matrices) {}

    /** Reads every data file of {@code spec}: data inputs and a training data set (none: returns it unchanged). */
    public static Loaded load(SweepSpec spec, Configuration conf) {
        Loaded inputs = loadInputs(spec, conf);
        if (!spec.hasTrainingData()) {
            return inputs;
        }
        Map<String, double[]> matrices = new LinkedHashMap<>(inputs.matrices());
        List<TrainingSetup> resolved = new ArrayList<>();
        Map<String, Object[]> read = new HashMap<>(); // one read per (file, label, rows): {matrix, outputs}
        for (TrainingSetup t : spec.stats().trainings()) {
            String key = t.data() + "|" + t.labelColumn() + "|" + (t.samples() + t.testSamples()) + "|" + t.outputs();
            Object[] r = read.computeIfAbsent(key, k -> readTrainingData(spec, t, conf));
            TrainingSetup done = t.resolved((String) r[0], (Integer) r[1]);
            resolved.add(done);
            matrices.putIfAbsent(done.dataMatrixKey(), (double[]) r[2]);
        }
        return new Loaded(inputs.spec().withTrainings(resolved), matrices);
    }

    /**
     * A training data set: the file's first samples + test_samples rows, the label column split
     * off; checked against the network's input widths and the task. Returns {sha256, outputs,
     * features then labels}.
     */
    private static Object[] readTrainingData(SweepSpec spec, TrainingSetup t, Configuration conf) {
        final String field = "training.task.data";
        final int n = t.samples() + t.testSamples();
        Matrix m = read(t.data(), field, n, conf);
        int labelAt = m.names().indexOf(t.labelColumn());
        SpecException.check(!(labelAt < 0), "training.task.label: file '%s' has no column '%s'; its columns: %s", t.data(),
                t.labelColumn(), String.join(", ", m.names()));
        SpecException.check(!(m.rows() < n), "%s: file '%s' has %s rows but training.samples + training.test_samples ask for "
                + "%s; set them so that their sum is at most the file's rows", field, t.data(), m.rows(), n);
        final int d = m.cols() - 1;
        SpecException.check(!(d < 1), "%s: file '%s' has no feature column besides the label '%s'", field, t.data(),
                t.labelColumn());
        for (int width : spec.widths()) {
            for (int inputWidth : spec.inputWidthsFor(width)) {
                SpecException.check(!(inputWidth != d), "%s: file '%s' has %s feature columns (besides the label) but the "
                        + "network's input width is %s%s; they must match", field, t.data(), d, inputWidth,
                        (spec.inputWidths().isEmpty() ? " (network.width; set network.input_width: " + d + " to feed it)" : " (network.input_width)"));
            }
        }
        double[] out = new double[n * (d + 1)];
        int maxLabel = -1;
        for (int i = 0; i < n; i++) {
            for (int c = 0, k = 0; c < m.cols(); c++) {
                double v = m.values()[i * m.cols() + c];
                if (c == labelAt) {
                    out[n * d + i] = v;
                    if (t.kind() == Training.Kind.CLASSIFICATION) {
                        SpecException.check(!(v != Math.rint(v) || v < 0 || v >= TrainingSetup.MAX_OUTPUTS),
                                "training.task.label: '%s' row %s label '%s' is %s; classification labels must be integers in "
                                + "0 … %s", t.data(), (i + 1), t.labelColumn(), v, (TrainingSetup.MAX_OUTPUTS - 1));
                        maxLabel = Math.max(maxLabel, (int) v);
                    }
                } else {
                    out[i * d + k++] = v;
                }
            }
        }
        int outputs = t.outputs();
        if (t.kind() == Training.Kind.CLASSIFICATION) {
            if (outputs == 0) {
                outputs = Math.max(2, maxLabel + 1);
            } else if (maxLabel >= outputs) {
                throw SpecException.of("training.outputs is %s but '%s' has label %s; classes must be 0 … outputs − 1", outputs,
                        t.data(), maxLabel);
            }
        }
        return new Object[] {m.sha256(), outputs, out};
    }

    private static Loaded loadInputs(SweepSpec spec, Configuration conf) {
        if (!spec.hasDataInput()) {
            return new Loaded(spec, Map.of());
        }
        int maxBatch = spec.batches().stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<InputChoice> resolved = new ArrayList<>();
        Map<String, double[]> matrices = new LinkedHashMap<>();
        for (int i = 0; i < spec.inputs().size(); i++) {
            InputChoice in = spec.inputs().get(i);
            if (!in.isData()) {
                resolved.add(in);
                continue;
            }
            String field = spec.inputs().size() == 1 ? "network.input.data" : "network.input[" + i + "].data";
            Matrix m = read(in.path(), field, maxBatch, conf);
            for (int width : spec.widths()) {
                for (int inputWidth : spec.inputWidthsFor(width)) {
                    SpecException.check(!(inputWidth != m.cols), "%s: file '%s' has %s numeric columns but the network's input "
                            + "width is %s%s; they must match", field, in.path(), m.cols, inputWidth,
                            (spec.inputWidths().isEmpty() ? " (network.width; set network.input_width: " + m.cols + " to feed it)" : " (network.input_width)"));
                }
            }
            SpecException.check(!(m.rows < maxBatch), "%s: file '%s' has %s rows but network.batch asks for %s; batch must be "
                    + "at most the file's rows", field, in.path(), m.rows, maxBatch);
            resolved.add(in.resolve(m.sha256, m.rows, m.cols));
            matrices.putIfAbsent(m.sha256, m.values);
        }
        return new Loaded(spec.withInputs(resolved), matrices);
    }

    /** A data file's first rows. */
    record Matrix(String sha256, long rows, int cols, double[] values, List<String> names) {}

    static Matrix read(String file, String field, int keepRows, Configuration conf) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(conf);
            SpecException.check(!(!fs.exists(path) || fs.getFileStatus(path).isDirectory()), "%s: no such file '%s' (a "
                    + ".parquet or .csv file, relative to the working directory)", field, file);
            String digest = sha256(fs, path);
            String lower = file.toLowerCase(Locale.ROOT);
            return lower.endsWith(".parquet") ? readParquet(path, field, file, digest, keepRows, conf)
                    : readCsv(fs, path, field, file, digest, keepRows);
        } catch (FileNotFoundException e) {
            throw SpecException.of("%s: no such file '%s'", field, file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SpecException se) {
                throw se;
            }
            throw SpecException.of("%s: cannot read '%s': %s", field, file, oneLine(e));
        }
    }

    private static Matrix readParquet(Path path, String field, String file, String digest, int keepRows, Configuration conf)
            throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> fieldNames = new ArrayList<>();
        long count = 0;
        int cols = -1;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build()) {
            Group g;
            while ((g = reader.read()) != null) {
                GroupType type = g.getType();
                if (cols < 0) {
                    cols = type.getFieldCount();
                    for (int c = 0; c < cols; c++) {
                        Type t = type.getType(c);
                        SpecException.check(
                                !(!t.isPrimitive() || !numeric(t.asPrimitiveType()) || t.isRepetition(Type.Repetition.REPEATED)),
                                "%s: column '%s' of '%s' is %s; a data file must have numeric columns only (double, float, "
                                + "int32, int64)", field, t.getName(), file, t);
                    }
                    SpecException.check(!(cols == 0), "%s: file '%s' has no columns", field, file);
                    for (int c = 0; c < cols; c++) {
                        fieldNames.add(type.getFieldName(c));
                    }
                }
                count++;
                if (rows.size() < keepRows) {
                    checkSize(count, cols, field, file);
                    double[] r = new double[cols];
                    for (int c = 0; c < cols; c++) {
                        SpecException.check(!(g.getFieldRepetitionCount(c) == 0), "%s: '%s' row %s column '%s' is null; data "
                                + "inputs must be complete", field, file, count, type.getFieldName(c));
                        r[c] = value(g, c, type.getType(c).asPrimitiveType());
                        checkFinite(r[c], field, file, count, type.getFieldName(c));
                    }
                    rows.add(r);
                }
            }
        }
        SpecException.check(!(count == 0), "%s: file '%s' has no rows", field, file);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            names.add(fieldNames.get(c));
        }
        return new Matrix(digest, count, cols, flatten(rows, cols), names);
    }

    private static boolean numeric(PrimitiveType t) {
        return switch (t.getPrimitiveTypeName()) {
            case DOUBLE, FLOAT, INT32, INT64 -> true;
            default -> false;
        };
    }

    private static double value(Group g, int c, PrimitiveType t) {
        return switch (t.getPrimitiveTypeName()) {
            case DOUBLE -> g.getDouble(c, 0);
            case FLOAT -> g.getFloat(c, 0);
            case INT32 -> g.getInteger(c, 0);
            case INT64 -> g.getLong(c, 0);
            default -> throw new IllegalStateException("not numeric: " + t);
        };
    }

    private static Matrix readCsv(FileSystem fs, Path path, String field, String file, String digest, int keepRows)
            throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<double[]> rows = new ArrayList<>();
        long count = 0;
        int cols = -1;
        String[] header = null;
        try (InputStream in = fs.open(path);
                MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(in)) {
            long line = 0;
            while (it.hasNextValue()) {
                String[] fields = it.nextValue();
                line++;
                if (fields.length == 0 || (fields.length == 1 && fields[0].isBlank())) {
                    continue;
                }
                if (cols < 0) {
                    cols = fields.length;
                    if (!allNumbers(fields)) {
                        header = fields;
                        continue;
                    }
                }
                SpecException.check(!(fields.length != cols), "%s: '%s' line %s has %s fields, the first line %s; every row "
                        + "needs the same columns", field, file, line, fields.length, cols);
                count++;
                if (rows.size() < keepRows) {
                    checkSize(count, cols, field, file);
                    double[] r = new double[cols];
                    for (int c = 0; c < cols; c++) {
                        String name = header != null ? header[c] : "#" + (c + 1);
                        try {
                            r[c] = Double.parseDouble(fields[c].trim());
                        } catch (NumberFormatException e) {
                            throw SpecException.of("%s: '%s' line %s column '%s' is '%s'; data inputs must be numbers", field,
                                    file, line, name, abbreviate(fields[c]));
                        }
                        checkFinite(r[c], field, file, count, name);
                    }
                    rows.add(r);
                }
            }
        }
        SpecException.check(!(count == 0), "%s: file '%s' has no data rows", field, file);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            names.add(header != null ? header[c].trim() : "#" + (c + 1));
        }
        return new Matrix(digest, count, cols, flatten(rows, cols), names);
    }

    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            try {
                Double.parseDouble(f.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static void checkFinite(double v, String field, String file, long row, String column) {
        SpecException.check(Double.isFinite(v), "%s: '%s' row %s column '%s' is %s; data inputs must be finite numbers", field,
                file, row, column, v);
    }

    private static void checkSize(long rows, int cols, String field, String file) {
        SpecException.check(!(rows * cols > MAX_VALUES), "%s: '%s': batch × columns exceeds %s values", field, file, MAX_VALUES);
    }

    private static double[] flatten(List<double[]> rows, int cols) {
        double[] out = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, out, r * cols, cols);
        }
        return out;
    }

    private static String sha256(FileSystem fs, Path path) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(fs.open(path), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
