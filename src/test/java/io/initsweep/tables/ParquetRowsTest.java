package io.initsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.initsweep.LocalSpark;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The footer count that checks a wave's tables on disk agrees with Spark's own count of the same
 * directory: a table partitioned into directories, with Spark's _SUCCESS marker and checksum files
 * beside the data, and with hidden files and directories that Spark's reader skips.
 */
class ParquetRowsTest {
    static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static org.apache.hadoop.conf.Configuration conf() {
        return spark.sparkContext().hadoopConfiguration();
    }

    @Test
    void countsWhatSparkCountsInAPartitionedTable() throws Exception {
        Path table = dir.resolve("partitioned");
        // 1,237 rows over 7 values of the partition column, in 3 tasks: several files per directory
        spark.range(0, 1237, 1, 3).selectExpr("id", "cast(id % 7 as string) as part", "id * 0.5 as x")
                .write().partitionBy("part").parquet(table.toString());
        // what Spark skips: names starting with _ or ., at the top and inside a partition
        Files.writeString(table.resolve("_notes"), "not parquet");
        Files.writeString(table.resolve("part=3").resolve(".scratch"), "not parquet");
        Files.createDirectories(table.resolve("_temporary").resolve("0"));
        Files.writeString(table.resolve("_temporary").resolve("0").resolve("part-9.parquet"), "not parquet");
        Dataset<Row> read = spark.read().parquet(table.toString());
        long sparkCount = read.count();
        assertThat(sparkCount).isEqualTo(1237);
        assertThat(ParquetRows.count(new org.apache.hadoop.fs.Path(table.toUri()), conf())).isEqualTo(sparkCount);
        // and the files it reads are Spark's input files
        List<String> sparkFiles = List.of(read.inputFiles());
        List<String> ours = ParquetRows.files(org.apache.hadoop.fs.FileSystem.getLocal(conf()),
                new org.apache.hadoop.fs.Path(table.toUri())).stream().map(f -> f.getPath().toUri().getPath()).sorted().toList();
        assertThat(ours).isEqualTo(sparkFiles.stream().map(f -> java.net.URI.create(f).getPath()).sorted().toList());
    }

    @Test
    void distinctIdsAreWhatSparkCountsAcrossPartitionsAndFiles() {
        Path table = dir.resolve("ids");
        // 2,000 rows in 4 tasks over 5 partition directories; ids repeat every 1,500 rows (500
        // duplicates, some in other files and directories than their first copy), written as
        // 16 hex digits as run_id is, with leading zeros and the top bit set among them
        spark.range(0, 2000, 1, 4)
                .selectExpr("lpad(lower(hex(xxhash64(id % 1500))), 16, '0') as run_id",
                        "cast(id % 5 as string) as activation")
                .write().partitionBy("activation").parquet(table.toString());
        Dataset<Row> read = spark.read().parquet(table.toString());
        long sparkDistinct = read.select("run_id").distinct().count();
        assertThat(sparkDistinct).isEqualTo(1500);
        assertThat(read.filter("run_id like '0%'").count()).isPositive();
        assertThat(read.filter("substr(run_id, 1, 1) >= '8'").count()).isPositive();
        ParquetRows.Ids ids = ParquetRows.ids(new org.apache.hadoop.fs.Path(table.toUri()), "run_id", conf());
        assertThat(ids).isEqualTo(new ParquetRows.Ids(read.count(), sparkDistinct, 0));
    }

    @Test
    void nullAndMalformedIdsAreCountedApart() {
        Path table = dir.resolve("bad-ids");
        spark.sql("SELECT * FROM VALUES ('00000000000000ff'), ('00000000000000FF'), ('0x00000000000000'),"
                + " ('123'), ('+00000000000000f'), (CAST(NULL AS STRING)), ('ffffffffffffffff') AS t(run_id)")
                .coalesce(1).write().parquet(table.toString());
        // run ids have one spelling: upper case, a "0x" prefix, a sign, a short value and a null
        // are malformed (Spark's distinct would count 'ff' and 'FF' apart; parsing both would not)
        assertThat(ParquetRows.ids(new org.apache.hadoop.fs.Path(table.toUri()), "run_id", conf()))
                .isEqualTo(new ParquetRows.Ids(7, 2, 5));
    }

    @Test
    void aMissingTableHoldsNoRows() {
        assertThat(ParquetRows.count(new org.apache.hadoop.fs.Path(dir.resolve("absent").toUri()), conf())).isZero();
        assertThat(ParquetRows.ids(new org.apache.hadoop.fs.Path(dir.resolve("absent").toUri()), "run_id", conf()))
                .isEqualTo(new ParquetRows.Ids(0, 0, 0));
    }

    @Test
    void aFileThatIsNotParquetIsAnErrorNotSkipped() throws Exception {
        Path table = dir.resolve("stray");
        spark.range(0, 10, 1, 1).write().parquet(table.toString());
        Files.writeString(table.resolve("part-stray.parquet"), "these bytes are not a Parquet file");
        assertThatThrownBy(() -> ParquetRows.count(new org.apache.hadoop.fs.Path(table.toUri()), conf()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("part-stray.parquet");
    }
}
