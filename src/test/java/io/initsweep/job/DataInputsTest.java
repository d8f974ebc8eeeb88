package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.LocalSpark;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecException;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data inputs: Parquet and CSV files read exactly, checked against the network with one-line
 * errors, and a Spark run over a data file next to drawn inputs, with bias, input width and
 * both dtypes, whose rows equal the kernel's.
 */
class DataInputsTest {
    @TempDir
    Path dir;

    /** value(r, c) = r + c/8 − 3: exact in binary, distinct per cell. */
    private static double value(int r, int c) {
        return r + c / 8.0 - 3;
    }

    private Path csv(String name, int rows, int cols, boolean header) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (header) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",").append("x").append(c);
            }
            sb.append('\n');
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",").append(value(r, c));
            }
            sb.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    private Path parquet(String name, int rows, String schema) throws IOException {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        Path p = dir.resolve(name);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(
                new org.apache.hadoop.fs.Path(p.toUri()), new Configuration())).withType(type).build()) {
            SimpleGroupFactory f = new SimpleGroupFactory(type);
            for (int r = 0; r < rows; r++) {
                Group g = f.newGroup();
                for (int c = 0; c < type.getFieldCount(); c++) {
                    String n = type.getFieldName(c);
                    switch (type.getType(c).asPrimitiveType().getPrimitiveTypeName()) {
                        case DOUBLE -> g.append(n, value(r, c));
                        case FLOAT -> g.append(n, (float) value(r, c));
                        case INT32 -> g.append(n, r + c);
                        case INT64 -> g.append(n, (long) (r + c));
                        case BINARY -> g.append(n, "s" + r);
                        default -> throw new IllegalArgumentException();
                    }
                }
                w.write(g);
            }
        }
        return p;
    }

    private static SweepSpec spec(String network) {
        return SpecParser.parse(("network: " + network + "\ngrid: {init: [kaiming_normal], activation: [relu], depth: [2]}\n")
                .getBytes(StandardCharsets.UTF_8), "data");
    }

    private static String rejected(SweepSpec spec) {
        Throwable t = catchThrowable(() -> DataInputs.load(spec, new Configuration()));
        assertThat(t).isExactlyInstanceOf(SpecException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void csvWithAndWithoutHeaderIsReadExactly() throws Exception {
        for (boolean header : new boolean[] {true, false}) {
            Path f = csv("x" + header + ".csv", 7, 3, header);
            DataInputs.Loaded loaded = DataInputs.load(spec("{width: 4, batch: 5, input_width: 3, input: {data: " + f + "}}"),
                    new Configuration());
            assertThat(loaded.spec().inputs().get(0).rows()).isEqualTo(7);
            assertThat(loaded.spec().inputs().get(0).cols()).isEqualTo(3);
            assertThat(loaded.spec().inputs().get(0).sha256()).isEqualTo(sha256(f));
            double[] m = loaded.matrices().get(sha256(f));
            assertThat(m).hasSize(5 * 3); // the first batch rows only
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(m[r * 3 + c]).isEqualTo(value(r, c));
                }
            }
        }
    }

    @Test
    void parquetNumericColumnsAreReadExactly() throws Exception {
        Path f = parquet("x.parquet", 6, "message m { required double a; optional float b; required int32 c; required int64 d; }");
        DataInputs.Loaded loaded = DataInputs.load(spec("{width: 4, batch: 6, input_width: 4, input: {data: " + f + "}}"),
                new Configuration());
        double[] m = loaded.matrices().get(sha256(f));
        for (int r = 0; r < 6; r++) {
            assertThat(new double[] {m[r * 4], m[r * 4 + 1], m[r * 4 + 2], m[r * 4 + 3]})
                    .containsExactly(value(r, 0), (float) value(r, 1), r + 2, r + 3);
        }
    }

    @Test
    void mismatchesAndBadFilesAreOneLineErrorsNamingTheField() throws Exception {
        Path f = csv("m.csv", 10, 3, true);
        assertThat(rejected(spec("{width: 4, batch: 5, input: {data: " + f + "}}")))
                .contains("network.input.data", "3 numeric columns", "input width is 4", "network.input_width: 3");
        assertThat(rejected(spec("{width: 4, batch: 5, input_width: [3, 5], input: {data: " + f + "}}")))
                .contains("network.input.data", "3 numeric columns", "input width is 5", "(network.input_width)");
        assertThat(rejected(spec("{width: 4, batch: [5, 11], input_width: 3, input: [normal, {data: " + f + "}]}")))
                .contains("network.input[1].data", "10 rows", "11");
        assertThat(rejected(spec("{width: 4, batch: 5, input_width: 3, input: {data: " + dir.resolve("none.csv") + "}}")))
                .contains("network.input.data", "no such file", "none.csv");
        Path text = parquet("s.parquet", 3, "message m { required double a; required binary s (UTF8); }");
        assertThat(rejected(spec("{width: 4, batch: 2, input_width: 2, input: {data: " + text + "}}")))
                .contains("network.input.data", "column 's'", "numeric columns only");
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "a,b\n1,2\n3,NaN\n");
        assertThat(rejected(spec("{width: 4, batch: 2, input_width: 2, input: {data: " + nan + "}}")))
                .contains("network.input.data", "row 2", "'b'", "NaN", "finite");
        Path word = dir.resolve("word.csv");
        Files.writeString(word, "a,b\n1,2\n3,x\n");
        assertThat(rejected(spec("{width: 4, batch: 2, input_width: 2, input: {data: " + word + "}}")))
                .contains("network.input.data", "line 3", "'b'", "'x'", "numbers");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "1,2\n3\n");
        assertThat(rejected(spec("{width: 4, batch: 2, input_width: 2, input: {data: " + ragged + "}}")))
                .contains("network.input.data", "line 2", "1 fields");
    }

    @Test
    void aSparkRunOverADataFileMatchesTheKernelRowForRow() throws Exception {
        Path f = csv("in.csv", 30, 6, true);
        SweepSpec spec = SpecParser.parse(("""
                name: datarun
                seed: 3
                network: {width: 5, batch: 20, input: [uniform, {data: %s}], input_width: 6, bias_std: [0, 0.5],
                          dtype: [float64, float32]}
                grid: {init: [xavier_normal, normal], activation: [tanh, relu], std: [0.7], depth: [1, 3], seed: [0, 1]}
                stats: {bins: 6}
                """).formatted(f).getBytes(StandardCharsets.UTF_8), "datarun");
        SparkSession spark = LocalSpark.start("local[2]");
        try {
            checkRun(spark, spec);
        } finally {
            spark.stop();
        }
    }

    private void checkRun(SparkSession spark, SweepSpec spec) throws IOException {
        Path out = dir.resolve("out");
        SweepJob.Result r = SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), false, 0));
        // 2 inputs × 2 bias × 2 dtypes × 2 inits × 2 activations × 2 seeds × 2 depths
        assertThat(r.gridPoints()).isEqualTo(128);
        DataInputs.Loaded loaded = DataInputs.load(spec, new Configuration());
        List<Chain> chains = Grid.chains(loaded.spec());
        List<Row> rows = spark.read().parquet(out.resolve("layers").toString())
                .selectExpr("chain_id", "layer", "input", "input_width", "fan_in", "bias_std", "dtype", "act_std", "pre_sq_mean",
                        "saturation_rate")
                .where("depth = 3").collectAsList();
        assertThat(rows).hasSize(chains.size() * 3);
        int dataRows = 0;
        for (Row row : rows) {
            Chain c = chains.stream().filter(x -> x.chainId().equals(row.getString(0))).findFirst().orElseThrow();
            double[] data = c.params().inputData() == null ? null : loaded.matrices().get(c.params().inputData());
            ChainResult expected = new ForwardPass().run(c.params(), data);
            int l = row.getInt(1) - 1;
            assertThat(row.getString(2)).isEqualTo(c.input());
            assertThat(row.getInt(3)).isEqualTo(6);
            assertThat(row.getInt(4)).isEqualTo(l == 0 ? 6 : 5);
            assertThat(row.getDouble(5)).isEqualTo(c.params().biasStd());
            assertThat(row.getString(6)).isEqualTo(c.params().dtype().id());
            assertThat(row.getDouble(7)).isEqualTo(expected.actStd[l]);
            assertThat(row.getDouble(8)).isEqualTo(expected.preSqMean[l]);
            assertThat(row.getDouble(9)).isEqualTo(expected.saturationRate[l]);
            if (row.getString(2).startsWith("data:")) {
                dataRows++;
            }
        }
        assertThat(dataRows).isEqualTo(rows.size() / 2);
        assertThat(rows.stream().map(x -> x.getString(6)).distinct().map(s -> s.toLowerCase(Locale.ROOT)))
                .containsExactlyInAnyOrder("float64", "float32");
        // the manifest records the file it read
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertThat(manifest).contains("\"data_inputs\"", loaded.spec().inputs().get(1).sha256(), "\"rows\" : 30",
                "\"columns\" : 6");
    }
}
