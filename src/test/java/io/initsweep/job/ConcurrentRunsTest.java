package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs into one output at the same moment: one writes, the other is refused; rows are never mixed. */
class ConcurrentRunsTest {
    @TempDir
    Path dir;

    @Test
    void oneOfTwoSimultaneousRunsWinsAndTheOtherIsRefused() throws Exception {
        SweepSpec a = SpecParser.parse("""
                name: first
                network: {width: 32, batch: 200}
                grid: {init: [kaiming_normal, xavier_normal], activation: [relu, tanh], depth: [4, 8], seed: [0, 1, 2, 3]}
                """.getBytes(StandardCharsets.UTF_8), "first");
        SweepSpec b = SpecParser.parse(new String(a.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .replace("name: first", "name: second").getBytes(StandardCharsets.UTF_8), "second");
        SparkSession spark = LocalSpark.start("local[2]");
        Path out = dir.resolve("shared");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SweepJob.Result>> runs = new ArrayList<>();
            for (SweepSpec s : List.of(a, b)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return SweepJob.run(spark, s, new SweepJob.Options(out.toString(), false, 0));
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            List<Throwable> refused = new ArrayList<>();
            for (Future<SweepJob.Result> f : runs) {
                try {
                    winners.add(f.get().output().toString());
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0)).isInstanceOf(OutputDir.OutputExistsException.class)
                    .message().containsAnyOf("being written by another run", "already holds results");
            // the output holds one sweep, whole: its manifest's name, and every row of that sweep
            String manifest = Files.readString(out.resolve("manifest.json"));
            String name = manifest.contains("\"sweep\" : \"first\"") ? "first" : "second";
            assertThat(manifest).contains("\"sweep\" : \"" + name + "\"");
            var sweeps = spark.read().parquet(out.resolve("runs").toString()).select("sweep").distinct().collectAsList();
            assertThat(sweeps).hasSize(1);
            assertThat(sweeps.get(0).getString(0)).isEqualTo(name);
            assertThat(spark.read().parquet(out.resolve("runs").toString()).count()).isEqualTo(2 * 2 * 2 * 4);
            // no lock or staging left behind
            try (var s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("shared");
            }
        } finally {
            pool.shutdownNow();
            spark.stop();
        }
    }
}
