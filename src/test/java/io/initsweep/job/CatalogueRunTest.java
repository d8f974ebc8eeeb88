package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.sim.Activation;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.Initializer;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/catalogue.yaml (every initializer with every activation), shrunk to one std and one depth
 * and given one extra entry that overflows float32, run end to end on local Spark: every
 * (init, activation) pair has its rows, they equal the kernel's, and a NaN statistic appears only
 * where non-finite values were counted.
 */
class CatalogueRunTest {
    static SparkSession spark;
    static SweepSpec spec;
    static List<Row> layers;
    static List<Row> runs;
    @TempDir
    static Path dir;

    @BeforeAll
    static void run() throws IOException {
        String yaml = Files.readString(Path.of(System.getProperty("user.dir"), "jobs", "catalogue.yaml"))
                .replace("  std: [0.1, 1.0]\n", "  std: [1.0]\n")
                .replace("  depth: [3, 6]\n", "  depth: [4]\n")
                // |x| grows 1e30 per layer through a linear identity net: finite in float64, not in float32
                .replace("    - lsuv\n", "    - lsuv\n    - {identity: {factor: 1.0e30}}\n");
        assertThat(yaml).contains("std: [1.0]", "depth: [4]", "factor: 1.0e30");
        spec = SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "catalogue");
        spark = LocalSpark.start("local[2]");
        Path out = dir.resolve("catalogue");
        // two partitions: each writes one file per (activation, init) directory it holds
        SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), false, 2));
        layers = spark.read().parquet(out.resolve("layers").toString()).collectAsList();
        runs = spark.read().parquet(out.resolve("runs").toString()).collectAsList();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static <T> T get(Row r, String column) {
        return r.getAs(column);
    }

    @Test
    void everyInitializerMeetsEveryActivation() {
        Set<String> pairs = runs.stream().map(r -> get(r, "init") + "/" + get(r, "activation")).collect(Collectors.toSet());
        for (InitScheme init : Initializer.values()) {
            for (Activation act : Activation.values()) {
                assertThat(pairs).as("catalogue.yaml covers %s × %s", init.id(), act.id()).contains(init.id() + "/" + act.id());
            }
        }
        assertThat((long) runs.size()).isEqualTo(Grid.pointCount(spec));
        assertThat(layers).hasSize(runs.size() * 4);
    }

    @Test
    void rowsEqualTheKernelsAndCountsAddUp() {
        Map<String, Chain> chains = new HashMap<>();
        for (Chain c : Grid.chains(spec)) {
            chains.put(c.chainId(), c);
        }
        Map<String, ChainResult> results = new HashMap<>();
        for (Row r : layers) {
            Chain c = chains.get((String) get(r, "chain_id"));
            ChainResult expected = results.computeIfAbsent(c.chainId(), k -> new ForwardPass().run(c.params()));
            int l = (Integer) get(r, "layer") - 1;
            assertThat((Double) get(r, "act_std")).isEqualTo(Double.valueOf(expected.actStd[l]));
            assertThat((Double) get(r, "saturation_rate")).isEqualTo(Double.valueOf(expected.saturationRate[l]));
            assertThat((Double) get(r, "weight_rms")).isEqualTo(Double.valueOf(expected.weightRms[l]));
            assertThat((String) get(r, "init_params")).isEqualTo(c.params().init().label());
            long sum = r.<Long>getList(r.fieldIndex("hist_counts")).stream().mapToLong(Long::longValue).sum()
                    + (Long) get(r, "hist_underflow") + (Long) get(r, "hist_overflow") + (Long) get(r, "hist_nonfinite");
            assertThat(sum).isEqualTo(64L * 32);
            boolean lsuv = get(r, "init").equals("lsuv");
            assertThat(r.isNullAt(r.fieldIndex("lsuv_iterations"))).isEqualTo(!lsuv);
        }
    }

    @Test
    void aNaNStatisticAlwaysComesWithCountedNonFiniteValues() {
        int overflowed = 0;
        for (Row r : layers) {
            long nonfinite = get(r, "nonfinite_count");
            long preNonfinite = get(r, "pre_nonfinite_count");
            for (String c : List.of("act_mean", "act_std")) {
                if (Double.isNaN((Double) get(r, c))) {
                    assertThat(nonfinite).as("%s NaN in %s layer %s", c, get(r, "init_params"), get(r, "layer")).isPositive();
                }
            }
            for (String c : List.of("pre_mean", "pre_std", "pre_sq_mean")) {
                if (Double.isNaN((Double) get(r, c))) {
                    assertThat(preNonfinite).as("%s NaN in %s layer %s", c, get(r, "init_params"), get(r, "layer")).isPositive();
                }
            }
            for (String c : List.of("saturation_rate", "dead_unit_rate", "zero_rate", "weight_rms")) {
                assertThat((Double) get(r, c)).as(c).isNotNaN();
            }
            boolean huge = ((String) get(r, "init_params")).startsWith("identity(factor=1.0E30")
                    || ((String) get(r, "init_params")).startsWith("identity(factor=1e+30");
            if (nonfinite > 0 || preNonfinite > 0) {
                // only the float32 network that exceeds 3.4e38 overflows
                assertThat(huge).as("non-finite values in %s %s", get(r, "init_params"), get(r, "dtype")).isTrue();
                assertThat((String) get(r, "dtype")).isEqualTo("float32");
                overflowed++;
            }
        }
        assertThat(overflowed).as("the float32 identity(1e30) layers overflow and say so").isPositive();
    }
}
