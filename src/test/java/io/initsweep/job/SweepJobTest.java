package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.blas.Blas;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job end to end in local mode: what lands on disk, read back with Parquet and Spark SQL. */
class SweepJobTest {
    static final String SPEC = """
            name: itest
            seed: 11
            network: { width: 12, batch: 40 }
            grid:
              init: [normal, xavier_uniform, kaiming_normal, zeros]
              activation: [sigmoid, relu, {leaky_relu: {slope: 0.1}}]
              std: [1.0, 0.05]
              depth: [2, 4]
              seed: [0, 3]
            stats: { bins: 8, saturation_threshold: 0.1 }
            """;

    static SparkSession spark;
    static SweepSpec spec;
    @TempDir
    static Path dir;
    static Path out;
    static SweepJob.Result result;

    @BeforeAll
    static void runSweep() {
        spark = LocalSpark.start("local[2]");
        spec = SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "itest");
        out = dir.resolve("sweep");
        result = SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), false, 0));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<Row> layers() {
        return Views.table(spark, List.of(out.toString()), Views.LAYERS, Schema.LAYERS).collectAsList();
    }

    @Test
    void oneRunsRowPerGridPointAndOneLayersRowPerPointAndLayer() {
        // (normal × 2 stds + xavier + he + zeros) × 3 activations × 2 depths × 2 seeds
        long points = (2 + 1 + 1 + 1) * 3 * 2 * 2;
        long layerRows = (2 + 1 + 1 + 1) * 3 * 2 * (2 + 4);
        List<Row> runs = result.runs().collectAsList();

        assertThat(result.gridPoints()).isEqualTo(points);
        assertThat(runs).hasSize((int) points);
        assertThat(runs.stream().map(r -> r.getAs("run_id")).distinct()).hasSize((int) points);
        assertThat(layers()).hasSize((int) layerRows);
        assertThat(result.chains()).isEqualTo(points / 2);
    }

    @Test
    void parquetFilesCarryExactlyTheSchemaWithPartitionColumnsAsDirectories() throws IOException {
        for (String table : List.of(Views.LAYERS, Views.RUNS)) {
            Schema.Table schema = table.equals(Views.LAYERS) ? Schema.LAYERS : Schema.RUNS;
            List<Path> files;
            try (Stream<Path> s = Files.walk(out.resolve(table))) {
                files = s.filter(p -> p.toString().endsWith(".parquet")).toList();
            }
            assertThat(files).isNotEmpty();
            for (Path f : files) {
                assertThat(out.resolve(table).relativize(f).toString()).matches(table.equals(Views.LAYERS)
                        ? "activation=[a-z_]+/init=[a-z_]+/[^/]+" : "activation=[a-z_]+/[^/]+");
                MessageType written;
                try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                        new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
                    written = r.getFooter().getFileMetaData().getSchema();
                }
                List<String> expectedNames = new ArrayList<>(schema.keySet());
                expectedNames.removeAll(Schema.partitionColumns(schema));
                assertThat(written.getFields().stream().map(Type::getName)).containsExactlyElementsOf(expectedNames);
                for (Type field : written.getFields()) {
                    assertThat(describe(field)).as(table + "." + field.getName())
                            .isEqualTo(describe(schema.get(field.getName()).type()));
                }
            }
        }
    }

    /** A Parquet field as a plain type name, e.g. "int64", "string", "list<double>". */
    private static String describe(Type t) {
        if (t.isPrimitive()) {
            PrimitiveTypeName p = t.asPrimitiveType().getPrimitiveTypeName();
            if (p == PrimitiveTypeName.BINARY) {
                assertThat(t.getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.stringType());
                return "string";
            }
            return p.name().toLowerCase();
        }
        GroupType g = t.asGroupType();
        assertThat(g.getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.listType());
        Type element = g.getType(0).asGroupType().getType(0);
        return "list<" + describe(element) + ">";
    }

    private static String describe(DataType t) {
        if (t instanceof ArrayType a) {
            return "list<" + describe(a.elementType()) + ">";
        }
        if (t.equals(DataTypes.StringType)) {
            return "string";
        }
        if (t.equals(DataTypes.IntegerType)) {
            return "int32";
        }
        if (t.equals(DataTypes.LongType)) {
            return "int64";
        }
        if (t.equals(DataTypes.DoubleType)) {
            return "double";
        }
        if (t.equals(DataTypes.BooleanType)) {
            return "boolean";
        }
        throw new AssertionError("type not allowed in the schema: " + t);
    }

    @Test
    void sparkInfersTheSameSchemaFromTheFilesAlone() {
        for (String table : List.of(Views.LAYERS, Views.RUNS)) {
            Schema.Table schema = table.equals(Views.LAYERS) ? Schema.LAYERS : Schema.RUNS;
            var inferred = spark.read().parquet(out.resolve(table).toString()).schema();
            Map<String, DataType> types = new HashMap<>();
            for (var f : inferred.fields()) {
                types.put(f.name(), f.dataType());
            }
            assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(schema.keySet());
            schema.forEach((name, c) -> assertThat(describe(types.get(name))).as(name).isEqualTo(describe(c.type())));
        }
    }

    @Test
    void rowsHoldTheKernelsNumbersForEveryGridPointAndLayer() {
        Map<String, Chain> chains = new HashMap<>();
        Map<String, GridPoint> points = new HashMap<>();
        for (Chain c : Grid.chains(spec)) {
            chains.put(c.chainId(), c);
            c.points().forEach(p -> points.put(p.runId(), p));
        }
        Map<String, ChainResult> results = new HashMap<>();
        ForwardPass pass = new ForwardPass();
        for (Row r : layers()) {
            GridPoint p = points.get(r.<String>getAs("run_id"));
            Chain c = chains.get(r.<String>getAs("chain_id"));
            assertThat(p).isNotNull();
            ChainResult k = results.computeIfAbsent(c.chainId(), id -> pass.run(c.params()));
            int l = r.<Integer>getAs("layer") - 1;
            assertThat(l).isBetween(0, p.depth() - 1);
            assertThat(r.<Integer>getAs("depth")).isEqualTo(p.depth());
            assertThat(r.<String>getAs("init")).isEqualTo(p.init().scheme().id());
            assertThat(r.<Double>getAs("weight_std")).isEqualTo(p.weightStd());
            assertThat(r.<Double>getAs("act_std")).isEqualTo(k.actStd[l]);
            assertThat(r.<Double>getAs("pre_sq_mean")).isEqualTo(k.preSqMean[l]);
            assertThat(r.<Double>getAs("saturation_rate")).isEqualTo(k.saturationRate[l]);
            assertThat(r.<Double>getAs("dead_unit_rate")).isEqualTo(k.deadUnitRate[l]);
            assertThat(r.getList(Schema.index(Schema.LAYERS, "hist_counts"))).isEqualTo(boxed(k.histCounts(l)));
            assertThat(r.getList(Schema.index(Schema.LAYERS, "log_hist_counts"))).isEqualTo(boxed(k.logHistCounts(l)));
            assertThat(r.<Double>getAs("saturation_threshold")).isEqualTo(0.1);
        }
    }

    private static List<Long> boxed(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    @Test
    void depthsOfOneChainShareTheirLayers() {
        Map<String, Map<Integer, String>> byChainDepthLayer = new HashMap<>();
        for (Row r : layers()) {
            String stats = statistics(r);
            String key = r.getAs("chain_id") + "/" + r.getAs("layer");
            byChainDepthLayer.computeIfAbsent(key, k -> new HashMap<>()).put(r.getAs("depth"), stats);
        }
        long shared = byChainDepthLayer.entrySet().stream().filter(e -> e.getValue().size() == 2).count();
        assertThat(shared).isEqualTo(result.chains() * 2); // layers 1 and 2 appear in depth 2 and depth 4
        byChainDepthLayer.values().stream().filter(m -> m.size() == 2)
                .forEach(m -> assertThat(m.get(2)).isEqualTo(m.get(4)));
    }

    /** Every statistic column of a layers row (everything after the key columns), as text. */
    static String statistics(Row r) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (String name : Schema.LAYERS.keySet()) {
            if (i >= Schema.index(Schema.LAYERS, "layer")) {
                b.append(name).append('=').append(String.valueOf(r.get(i))).append(';');
            }
            i++;
        }
        return b.toString();
    }

    @Test
    void runsRowIsTheFinalLayerWithSumsAndRatioOverItsLayers() {
        Map<String, List<Row>> byRun = new HashMap<>();
        for (Row r : layers()) {
            byRun.computeIfAbsent(r.getAs("run_id"), k -> new ArrayList<>()).add(r);
        }
        for (Row run : result.runs().collectAsList()) {
            List<Row> ls = byRun.get(run.<String>getAs("run_id"));
            int depth = run.getAs("depth");
            Row last = ls.stream().filter(r -> r.<Integer>getAs("layer") == depth).findFirst().orElseThrow();
            Row first = ls.stream().filter(r -> r.<Integer>getAs("layer") == 1).findFirst().orElseThrow();
            for (String c : List.of("act_mean", "act_std", "pre_sq_mean", "saturation_rate", "dead_unit_rate", "zero_rate")) {
                assertThat(run.<Double>getAs(c)).as(c).isEqualTo(last.<Double>getAs(c));
            }
            long nonfinite = ls.stream().mapToLong(r -> r.<Long>getAs("nonfinite_count")).sum();
            assertThat(run.<Long>getAs("nonfinite_count")).isEqualTo(nonfinite);
            double firstStd = first.getAs("act_std");
            Double ratio = run.getAs("act_std_ratio");
            if (firstStd == 0) {
                assertThat(ratio).isNull();
            } else {
                assertThat(ratio).isEqualTo(last.<Double>getAs("act_std") / firstStd);
            }
        }
    }

    @Test
    void zerosInitRowsAreAllZeroAndHistogramsCountEveryEntry() {
        Views.register(spark, List.of(out.toString()));
        long entries = 12L * 40;
        List<Row> bad = spark.sql("SELECT run_id, layer FROM layers WHERE aggregate(hist_counts, 0L, (a, x) -> a + x)"
                + " + hist_underflow + hist_overflow + hist_nonfinite <> " + entries
                + " OR aggregate(log_hist_counts, 0L, (a, x) -> a + x) + log_hist_underflow + log_hist_overflow"
                + " + log_hist_nonfinite <> " + entries).collectAsList();
        assertThat(bad).isEmpty();
        List<Row> zeros = spark.sql("SELECT DISTINCT activation, zero_rate, pre_sq_mean FROM layers WHERE init = 'zeros'"
                + " ORDER BY activation").collectAsList();
        // A = 0 exactly: relu/leaky give 0 everywhere; sigmoid gives 0.5 (no zeros)
        assertThat(zeros).extracting(r -> r.getString(0) + ":" + r.getDouble(1) + ":" + r.getDouble(2))
                .containsExactly("leaky_relu:1.0:0.0", "relu:1.0:0.0", "sigmoid:0.0:0.0");
    }

    @Test
    void histogramsViewExplodesBinsWithTheirEdges() {
        Views.register(spark, List.of(out.toString()));
        Row r = spark.sql("SELECT count(*), sum(count), min(bin), max(bin), min(lo), max(hi) FROM histograms"
                + " WHERE activation = 'sigmoid'").first();
        long sigmoidLayerRows = (2 + 1 + 1 + 1) * 2 * (2 + 4);
        long inRange = spark.sql("SELECT sum(aggregate(hist_counts, 0L, (a, x) -> a + x)) FROM layers"
                + " WHERE activation = 'sigmoid'").first().getLong(0);
        assertThat(r.getLong(0)).isEqualTo(sigmoidLayerRows * 8);
        assertThat(r.getLong(1)).isEqualTo(inRange);
        assertThat(r.getInt(2)).isEqualTo(0);
        assertThat(r.getInt(3)).isEqualTo(7);
        assertThat(r.getDouble(4)).isEqualTo(0.0);
        assertThat(r.getDouble(5)).isEqualTo(1.0);
        long mismatched = spark.sql("SELECT count(*) FROM histograms WHERE activation = 'sigmoid' AND abs(hi - lo - 0.125) > 1e-15").first().getLong(0);
        assertThat(mismatched).isZero();
    }

    @Test
    void manifestRecordsProvenance() throws Exception {
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SPEC.getBytes(StandardCharsets.UTF_8)));
        assertThat(m.at("/sweep").asText()).isEqualTo("itest");
        assertThat(m.at("/spec/text").asText()).isEqualTo(SPEC);
        assertThat(m.at("/spec/sha256").asText()).isEqualTo(sha);
        assertThat(m.at("/master_seed").asLong()).isEqualTo(11);
        assertThat(m.at("/platform/java_version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(m.at("/platform/os_arch").asText()).isEqualTo(System.getProperty("os.arch"));
        assertThat(m.at("/engine/spark_version").asText()).isEqualTo(spark.version());
        assertThat(m.at("/engine/master").asText()).isEqualTo("local[2]");
        Blas.Info blas = Blas.info();
        assertThat(m.at("/engine/blas").size()).isOne();
        assertThat(m.at("/engine/blas").get(0).asText()).isEqualTo("executor driver: " + blas.describe())
                .contains(blas.version(), "kernel " + blas.kernel(), blas.library());
        assertThat(m.at("/code/git_commit").asText()).matches("[0-9a-f]{40}");
        assertThat(m.at("/counts/grid_points").asLong()).isEqualTo(result.gridPoints());
        assertThat(m.at("/counts/layers_rows").asLong()).isEqualTo(result.layersRows());
        assertThat(java.time.Instant.parse(m.at("/times/finished").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(m.at("/times/started").asText()));
        assertThat(m.at("/times/kernel_seconds").asDouble()).isPositive();

        Views.register(spark, List.of(out.toString()));
        Row s = spark.sql("SELECT sweep, spec.sha256, counts.grid_points FROM sweeps").first();
        assertThat(s.getString(0)).isEqualTo("itest");
        assertThat(s.getString(1)).isEqualTo(sha);
        assertThat(s.getLong(2)).isEqualTo(result.gridPoints());
    }

    @Test
    void existingResultsAreRefusedAndReplacedOnlyWhenAsked() throws IOException {
        Path target = dir.resolve("existing");
        Files.createDirectories(target);
        Path keep = Files.writeString(target.resolve("notes.txt"), "mine");
        SweepSpec small = SpecParser.parse("""
                name: small
                network: {width: 4, batch: 8}
                grid: {init: [kaiming_normal], activation: [relu], depth: [1]}
                """.getBytes(StandardCharsets.UTF_8), "small");

        assertThatThrownBy(() -> SweepJob.run(spark, small, new SweepJob.Options(target.toString(), false, 0)))
                .isInstanceOf(OutputDir.OutputExistsException.class)
                .hasMessageContaining("already holds results").hasMessageContaining("--overwrite");
        assertThat(Files.readString(keep)).isEqualTo("mine");
        assertThat(siblings()).containsExactlyInAnyOrder("sweep", "existing");

        SweepJob.run(spark, small, new SweepJob.Options(target.toString(), true, 0));
        assertThat(keep).doesNotExist();
        assertThat(target.resolve("manifest.json")).exists();
        assertThat(siblings()).containsExactlyInAnyOrder("sweep", "existing");
    }

    private static List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
