package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bias-free relu-family sweeps share one unit network across stds and fan-based inits of a draw
 * family: the planner keeps those chains together, a task computes their products once, and the
 * rows are exactly those of sweeps that hold each init and std alone (nothing to share).
 */
class UnitNetworkSweepTest {
    private static final String GRID = """
            name: unit
            seed: 21
            network: { width: 16, batch: 48 }
            grid:
              init: %s
              activation: [relu, {leaky_relu: {slope: 0.2}}, linear, tanh]
              std: %s
              depth: [3, 7]
              seed: [0, 1]
            stats: { bins: 12 }
            """;

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

    private static SweepSpec spec(String inits, String stds) {
        return SpecParser.parse(GRID.formatted(inits, stds).getBytes(StandardCharsets.UTF_8), "unit");
    }

    @Test
    void sharedUnitNetworksWriteTheRowsOfSweepsWithNothingToShare() {
        SweepSpec all = spec("[normal, xavier_normal, kaiming_normal, uniform, kaiming_uniform]", "[0.1, 0.5, 2.0]");
        // what is shared: per seed and homogeneous activation, one Gaussian unit network for normal
        // (3 stds), xavier_normal and kaiming_normal, one uniform for uniform (3) and kaiming_uniform
        List<Chain> chains = Grid.chains(all);
        List<Planner.Unit> units = Planner.units(chains);
        assertThat(units.stream().filter(u -> u.chains().size() == 5)).hasSize(2 * 3);
        assertThat(units.stream().filter(u -> u.chains().size() == 4)).hasSize(2 * 3);
        assertThat(units.stream().filter(u -> u.chains().size() == 1)).hasSize(2 * 9); // tanh
        // a task's bin holds each unit network's chains together, so they are computed together
        for (int partitions : new int[] {1, 3, 7}) {
            for (List<Chain> bin : Planner.balance(chains, partitions)) {
                for (List<Chain> group : SweepJob.consecutiveUnits(bin)) {
                    Object key = group.get(0).params().unitKey();
                    long inUnit = key == null ? 1 : chains.stream().filter(c -> key.equals(c.params().unitKey())).count();
                    assertThat(group).hasSize((int) inUnit);
                }
            }
        }
        SweepJob.Result shared = SweepJob.run(spark, all, new SweepJob.Options(dir.resolve("shared").toString(), false, 3));
        WavesTest.Tables together = WavesTest.Tables.read(shared.output().toUri().getPath(), spark);

        List<String> runs = new ArrayList<>();
        List<String> layers = new ArrayList<>();
        int k = 0;
        for (String init : List.of("normal", "uniform")) {
            for (String std : List.of("0.1", "0.5", "2.0")) {
                WavesTest.Tables t = alone(spec("[" + init + "]", "[" + std + "]"), k++);
                runs.addAll(t.runs());
                layers.addAll(t.layers());
            }
        }
        for (String init : List.of("xavier_normal", "kaiming_normal", "kaiming_uniform")) {
            WavesTest.Tables t = alone(spec("[" + init + "]", "[1.0]"), k++);
            runs.addAll(t.runs());
            layers.addAll(t.layers());
        }
        assertThat(together.runs()).hasSize(chains.size() * 2).isEqualTo(runs.stream().sorted().toList());
        assertThat(together.layers()).isEqualTo(layers.stream().sorted().toList());
    }

    private static WavesTest.Tables alone(SweepSpec spec, int k) {
        SweepJob.Result r = SweepJob.run(spark, spec, new SweepJob.Options(dir.resolve("alone-" + k).toString(), false, 0));
        return WavesTest.Tables.read(r.output().toUri().getPath(), spark);
    }
}
