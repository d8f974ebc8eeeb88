package io.initsweep.job;

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
    void aMissingTableHoldsNoRows() {
        assertThat(ParquetRows.count(new org.apache.hadoop.fs.Path(dir.resolve("absent").toUri()), conf())).isZero();
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
