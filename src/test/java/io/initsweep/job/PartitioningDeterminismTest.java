package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.RowText;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows depend on the grid only: one core and one partition, two cores and seven partitions, and a
 * spec holding only the shallow depth give identical rows, gradient columns included (the backward
 * pass of a depth does not depend on the deeper layers its chain also simulates).
 */
class PartitioningDeterminismTest {
    private static final String SPEC = """
            name: det
            seed: 5
            network: { width: [10, 24], batch: 30 }
            grid:
              init: [uniform, xavier_normal, kaiming_uniform]
              activation: [tanh, relu]
              std: [0.3, 2.0]
              depth: [DEPTHS]
              seed: [1, 2]
            stats: { bins: 6 }
            gradients: true
            """;

    @TempDir
    Path dir;

    private List<String> sweep(String master, int partitions, String depths, String name) {
        SweepSpec spec = SpecParser.parse(SPEC.replace("DEPTHS", depths).getBytes(StandardCharsets.UTF_8), "det");
        SparkSession spark = LocalSpark.start(master);
        try {
            assertThat(spark.sparkContext().master()).isEqualTo(master);
            SweepJob.Result r = SweepJob.run(spark, spec, new SweepJob.Options(dir.resolve(name).toString(), false, partitions));
            assertThat(r.partitions()).isEqualTo(Math.min(partitions, (int) r.chains()));
            return Views.table(spark, List.of(dir.resolve(name).toString()), Views.LAYERS, Schema.LAYERS)
                    .collectAsList().stream().map(RowText::text).sorted().toList();
        } finally {
            spark.stop();
        }
    }

    @Test
    void oneCoreOnePartitionAndTwoCoresSevenPartitionsWriteIdenticalRows() {
        List<String> one = sweep("local[1]", 1, "3, 5", "one");
        List<String> two = sweep("local[2]", 7, "3, 5", "two");
        // (2 stds × uniform + xavier + he) × 2 activations × 2 seeds × 2 widths × (3 + 5) layers
        assertThat(one).hasSize(4 * 2 * 2 * 2 * 8).isEqualTo(two);

        List<String> shallow = sweep("local[2]", 3, "3", "shallow");
        assertThat(shallow).hasSize(4 * 2 * 2 * 2 * 3);
        assertThat(two).containsAll(shallow);
    }
}
