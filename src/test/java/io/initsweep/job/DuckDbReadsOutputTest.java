package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/design.md §5: the written Parquet opens unchanged outside Spark. A small sweep is written once;
 * DuckDB (in-memory, JDBC) reads both tables with Hive partitioning and must see the schema's
 * columns and types, one row per (grid point, layer), and the kernel's numbers bit for bit.
 */
class DuckDbReadsOutputTest {
    private static final String SPEC = """
            name: duck
            seed: 7
            network: { width: 16, batch: 64 }
            grid:
              init: [normal, kaiming_normal]
              activation: [tanh, relu]
              std: [0.5]
              depth: [2, 3]
              seed: [0, 1]
            stats: { bins: 10 }
            """;

    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private static SweepSpec spec;
    private static Connection duck;

    @BeforeAll
    static void writeSweepAndOpenDuckDb() throws Exception {
        spark = LocalSpark.start("local[2]");
        spec = SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "duck");
        Path out = tmp.resolve("sweep");
        SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), false, 0));

        duck = DriverManager.getConnection("jdbc:duckdb:");
        for (String table : List.of(Views.LAYERS, Views.RUNS)) {
            String glob = out.resolve(table).toString().replace("'", "''") + "/**/*.parquet";
            execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('" + glob + "', hive_partitioning = true)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (duck != null) {
            duck.close();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Views.LAYERS, Views.RUNS})
    void duckDbSeesEverySchemaColumnWithItsType(String table) throws SQLException {
        Schema.Table schema = table.equals(Views.LAYERS) ? Schema.LAYERS : Schema.RUNS;
        Map<String, String> expected = new TreeMap<>();
        schema.forEach((name, column) -> expected.put(name, duckDbType(column.type())));

        Map<String, String> actual = new TreeMap<>();
        query("DESCRIBE SELECT * FROM " + table, rs -> actual.put(rs.getString("column_name"), rs.getString("column_type")));

        assertThat(actual).as("DuckDB's view of %s", table).isEqualTo(expected);
        assertThat(Schema.partitionColumns(schema)).allSatisfy(c -> assertThat(actual).containsEntry(c, "VARCHAR"));
    }

    @Test
    void rowCountsAreOneLayersRowPerPointAndLayerAndOneRunsRowPerPoint() throws SQLException {
        List<GridPoint> points = Grid.points(spec);
        long layers = points.stream().mapToLong(GridPoint::depth).sum();
        // (normal × 1 std + kaiming_normal) × 2 activations × 2 depths × 2 seeds; depths 2 + 3 per chain.
        assertThat(points).hasSize(2 * 2 * 2 * 2);
        assertThat(layers).isEqualTo(2 * 2 * 2 * (2 + 3));

        assertThat(count("SELECT count(*) FROM layers")).isEqualTo(layers);
        assertThat(count("SELECT count(*) FROM runs")).isEqualTo(points.size());
        Set<String> runIds = points.stream().map(GridPoint::runId).collect(Collectors.toSet());
        assertThat(strings("SELECT DISTINCT run_id FROM layers")).containsExactlyInAnyOrderElementsOf(runIds);
        assertThat(strings("SELECT run_id FROM runs")).containsExactlyInAnyOrderElementsOf(runIds);
    }

    /** Every layers row against the chain recomputed here with the kernel alone, no Spark. */
    @Test
    void layersRowsHoldTheKernelsNumbersBitForBit() throws SQLException {
        record Written(String chainId, String init, String activation, double actStd, double saturationRate,
                long[] histCounts, double[] histEdges) {}
        Map<String, Written> written = new HashMap<>();
        query("SELECT run_id, layer, chain_id, init, activation, act_std, saturation_rate, hist_counts, hist_edges"
                + " FROM layers", rs -> written.put(rs.getString("run_id") + "/" + rs.getInt("layer"),
                        new Written(rs.getString("chain_id"), rs.getString("init"), rs.getString("activation"),
                                rs.getDouble("act_std"), rs.getDouble("saturation_rate"),
                                longs(rs.getArray("hist_counts")), doubles(rs.getArray("hist_edges")))));

        ForwardPass pass = new ForwardPass();
        int checked = 0;
        for (Chain chain : Grid.chains(spec)) {
            ChainResult expected = pass.run(chain.params());
            for (GridPoint point : chain.points()) {
                for (int layer = 1; layer <= point.depth(); layer++) {
                    String key = point.runId() + "/" + layer;
                    Written row = written.get(key);
                    assertThat(row).as("layers row %s", key).isNotNull();
                    assertThat(row.chainId()).as("%s chain_id", key).isEqualTo(chain.chainId());
                    assertThat(row.init()).as("%s init", key).isEqualTo(chain.params().init().id());
                    assertThat(row.activation()).as("%s activation", key).isEqualTo(chain.params().activation().id());
                    assertBitIdentical(key + " act_std", row.actStd(), expected.actStd[layer - 1]);
                    assertBitIdentical(key + " saturation_rate", row.saturationRate(), expected.saturationRate[layer - 1]);
                    assertThat(row.histCounts()).as("%s hist_counts", key).containsExactly(expected.histCounts(layer - 1));
                    assertThat(row.histEdges()).as("%s hist_edges", key)
                            .containsExactly(chain.params().stats().histogram().edges());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(written.size());
    }

    @Test
    void histogramsAccountForEveryEntryInEveryRow() throws SQLException {
        List<String> broken = strings("""
                SELECT run_id || '/' || layer FROM layers
                WHERE list_sum(hist_counts) + hist_underflow + hist_overflow + hist_nonfinite
                          IS DISTINCT FROM CAST(batch AS BIGINT) * width
                   OR list_sum(log_hist_counts) + log_hist_underflow + log_hist_overflow + log_hist_nonfinite
                          IS DISTINCT FROM CAST(batch AS BIGINT) * width
                """);

        assertThat(broken).as("layers rows whose histogram does not sum to batch × width").isEmpty();
    }

    @Test
    void runsRowIsItsPointsFinalLayer() throws SQLException {
        long matched = count("SELECT count(*) FROM runs r JOIN layers l ON l.run_id = r.run_id AND l.layer = r.depth");
        List<String> differing = strings("""
                SELECT r.run_id FROM runs r JOIN layers l ON l.run_id = r.run_id AND l.layer = r.depth
                WHERE r.act_std IS DISTINCT FROM l.act_std
                   OR r.saturation_rate IS DISTINCT FROM l.saturation_rate
                   OR r.dead_unit_rate IS DISTINCT FROM l.dead_unit_rate
                """);

        assertThat(matched).isEqualTo(count("SELECT count(*) FROM runs")).isEqualTo(Grid.points(spec).size());
        assertThat(differing).as("runs rows that differ from their final layer").isEmpty();
    }

    /** The type DuckDB reports for a Parquet column Spark wrote from {@code type}. */
    private static String duckDbType(DataType type) {
        if (type instanceof ArrayType array) {
            return duckDbType(array.elementType()) + "[]";
        } else if (type.equals(DataTypes.StringType)) {
            return "VARCHAR";
        } else if (type.equals(DataTypes.IntegerType)) {
            return "INTEGER";
        } else if (type.equals(DataTypes.LongType)) {
            return "BIGINT";
        } else if (type.equals(DataTypes.DoubleType)) {
            return "DOUBLE";
        } else if (type.equals(DataTypes.BooleanType)) {
            return "BOOLEAN";
        }
        throw new IllegalArgumentException("Schema uses " + type + "; add its DuckDB type to this test");
    }

    private static void assertBitIdentical(String what, double actual, double expected) {
        assertThat(Double.doubleToRawLongBits(actual))
                .as("%s: DuckDB read %s, the kernel computes %s", what, actual, expected)
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    private static long[] longs(java.sql.Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).longValue();
        }
        return out;
    }

    private static double[] doubles(java.sql.Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).doubleValue();
        }
        return out;
    }

    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void execute(String sql) throws SQLException {
        try (Statement st = duck.createStatement()) {
            st.execute(sql);
        }
    }

    private static void query(String sql, RowConsumer each) throws SQLException {
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                each.accept(rs);
            }
        }
    }

    private static long count(String sql) throws SQLException {
        long[] n = new long[1];
        query(sql, rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        query(sql, rs -> out.add(rs.getString(1)));
        return out;
    }
}
