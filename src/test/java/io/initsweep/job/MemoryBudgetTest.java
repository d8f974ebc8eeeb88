package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spark's memory model arithmetic and the refusal of grid points that cannot fit. */
class MemoryBudgetTest {
    private static List<Chain> chains(int width, int batch) {
        return chains(width, batch, "tanh");
    }

    private static List<Chain> chains(int width, int batch, String activation) {
        return Grid.chains(SpecParser.parse(("network: {width: " + width + ", batch: " + batch + "}\n"
                + "grid: {init: [kaiming_normal], activation: [" + activation + "], depth: [3]}\nstats: {bins: 10, log_bins: 20}\n")
                .getBytes(StandardCharsets.UTF_8), "mem"));
    }

    @Test
    void perTaskIsUserMemoryOverConcurrentTasks() {
        // (4 GiB − 300 MiB) × (1 − 0.6) / 4 tasks
        long expected = (long) ((4096L - 300) * 1048576 * 0.4) / 4;
        assertThat(MemoryBudget.perTask(4L << 30, 4, 0.6)).isEqualTo(expected);
        assertThat(MemoryBudget.perTask(200L << 20, 1, 0.6)).isZero();
    }

    @Test
    void chainNeedsThreeBatchByWidthBuffersTheWeightsAndItsRows() {
        Chain c = chains(64, 500).get(0);
        // three batch × width buffers (input, output, pre-activation), the weights and the bias vector
        long buffers = 8L * (3 * 500 * 64 + 64 * 64 + 64);
        long rows = 2 * 8L * 3 * (20 + 10 + 20);
        assertThat(MemoryBudget.chainBytes(c)).isEqualTo(buffers + rows);
        // a bias-free relu chain is computed from a unit network: one more batch × width buffer
        Chain relu = chains(64, 500, "relu").get(0);
        assertThat(relu.params().scalesUnitNetwork()).isTrue();
        assertThat(MemoryBudget.chainBytes(relu)).isEqualTo(buffers + 8L * 500 * 64 + rows);
    }

    @Test
    void aChainWithGradientsAlsoNeedsItsTapeAndTheBackwardBuffers() {
        Chain plain = chains(64, 500).get(0);
        Chain c = Grid.chains(SpecParser.parse(("network: {width: 64, batch: 500}\n"
                + "grid: {init: [kaiming_normal], activation: [tanh], depth: [3]}\nstats: {bins: 10, log_bins: 20}\n"
                + "gradients: true\n").getBytes(StandardCharsets.UTF_8), "mem")).get(0);
        long n = 500 * 64;
        // the tape: the input, and per layer A (batch × width), W (fan_in × width) and b
        long tape = n + 3 * (n + 64) + 3 * 64 * 64;
        // δ, the next δ, X_(l−1) recomputed, the error draws, ∂L/∂W and ∂L/∂b
        long backward = 3 * n + n + 64 * 64 + 64;
        // the Jacobian: two 64 × 64 products, the SVD's copy and workspace (6 matrices, 4 vectors)
        long jacobian = 6 * 64 * 64 + 4 * 64;
        long columnHashes = 64;
        assertThat(MemoryBudget.chainBytes(c) - MemoryBudget.chainBytes(plain))
                .isEqualTo(8L * (tape + backward + jacobian + columnHashes));
        // the budget of the forward pass alone no longer fits it: refused before anything runs
        MemoryBudget.check(List.of(plain), MemoryBudget.chainBytes(plain), "test");
        assertThatThrownBy(() -> MemoryBudget.check(List.of(c), MemoryBudget.chainBytes(plain), "test"))
                .isInstanceOf(MemoryBudget.TooLargeException.class).hasMessageContaining("width 64 × batch 500");
    }

    @Test
    void refusesTheLargestChainWithItsShapeAndTheBudget() {
        List<Chain> small = chains(100, 1000);
        MemoryBudget.check(small, MemoryBudget.chainBytes(small.get(0)), "test");
        List<Chain> big = chains(2000, 100_000);
        assertThatThrownBy(() -> MemoryBudget.check(big, 1L << 30, "executor heap 4096.0 MiB shared by 2 tasks"))
                .isInstanceOf(MemoryBudget.TooLargeException.class)
                .hasMessageContaining("width 2000 × batch 100000")
                .hasMessageContaining("1024.0 MiB")
                .hasMessageContaining("shared by 2 tasks");
    }

    @Test
    void parsesSparkSizes() {
        assertThat(MemoryBudget.parseSize("512m")).isEqualTo(512L << 20);
        assertThat(MemoryBudget.parseSize("4g")).isEqualTo(4L << 30);
        assertThat(MemoryBudget.parseSize("4GB")).isEqualTo(4L << 30);
        assertThat(MemoryBudget.parseSize("1t")).isEqualTo(1L << 40);
        assertThat(MemoryBudget.parseSize("1048576")).isEqualTo(1L << 20);
        for (String bad : List.of("", "g", "-1g", "0", "4x", "lots")) {
            assertThatThrownBy(() -> MemoryBudget.parseSize(bad)).hasMessageContaining("not a memory size");
        }
    }
}
