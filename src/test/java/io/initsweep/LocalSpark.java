package io.initsweep;

import org.apache.spark.sql.SparkSession;

/** The local-mode SparkSession tests share: UI off, loopback, scratch under target/. */
public final class LocalSpark {
    private LocalSpark() {}

    public static SparkSession start(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("initsweep-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.local.dir", "target/tmp/spark")
                .getOrCreate();
    }
}
