package io.initsweep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The fixed cost every small command pays, as a program: start a local[*] SparkSession, write one
 * Parquet row, read it back, stop. {@code bench/small-work.sh} runs it with the JVM options and jars
 * of {@code bin/initsweep} and holds the commands' wall times against it.
 *
 * <p>Usage: {@code Floor DIR} (DIR must not exist; it is deleted afterwards).
 */
public final class Floor {
    private Floor() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SparkSession spark = SparkSession.builder().master("local[*]").appName("initsweep floor")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            StructType schema = new StructType().add("x", DataTypes.DoubleType);
            Dataset<Row> one = spark.createDataFrame(List.of(RowFactory.create(1.0)), schema);
            one.write().parquet(dir.toString());
            long n = spark.read().parquet(dir.toString()).count();
            if (n != 1) {
                throw new IllegalStateException("read back " + n + " rows, wrote 1");
            }
        } finally {
            spark.stop();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
