package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The partition plan: cost balance against the ideal (total / partitions), and few output directories per task. */
class PlannerTest {
    private static List<Chain> chains(String yaml) {
        return Grid.chains(SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "plan"));
    }

    private static Set<String> chainIds(List<List<Chain>> bins) {
        Set<String> ids = new HashSet<>();
        for (List<Chain> b : bins) {
            for (Chain c : b) {
                assertThat(ids.add(c.chainId())).as("chain %s in one bin only", c.chainId()).isTrue();
            }
        }
        return ids;
    }

    /** Total estimated cost over p, chains of one unit network counted as computed together. */
    private static double ideal(List<Chain> chains, int p) {
        return Planner.units(chains).stream().mapToDouble(Planner.Unit::cost).sum() / p;
    }

    @Test
    void productsCountOneUnitNetworkPerScaleFamilyOfBiasFreeReluChains() {
        String grid = "name: products\nseed: 7\nnetwork: { width: 20, batch: 10, input: normal%s }\n"
                + "grid:\n  init: [normal, uniform, xavier_normal, kaiming_normal]\n"
                + "  activation: [sigmoid, tanh, relu, leaky_relu]\n  std: [0.01, 0.1, 0.5, 1.0]\n"
                + "  depth: [5, 10, 20, 50]\n  seed: [0, 1, 2]\n";
        // per seed and activation: 4 normal + 4 uniform + xavier_normal + kaiming_normal = 10 chains of
        // depth 50 (the depths share one pass). sigmoid and tanh: each chain alone, 2 × 10 × 3 × 50.
        // relu and leaky_relu: one Gaussian unit network (the normal stds, xavier_normal and
        // kaiming_normal) and one uniform one, 2 × 2 × 3 × 50
        assertThat(Planner.products(chains(String.format(grid, "")))).isEqualTo(3000 + 600);
        // float32 chains and biased chains are never scaled from a unit network: 4 × 10 × 3 × 50
        assertThat(Planner.products(chains(String.format(grid, ", dtype: float32")))).isEqualTo(6000);
        assertThat(Planner.products(chains(String.format(grid, ", bias_std: 0.1")))).isEqualTo(6000);
    }

    @Test
    void manySmallChainsAreCutIntoConsecutiveRunsOfOutputDirectories() {
        // 6 inits × 5 activations × 4 stds × 8 seeds = 960 equal chains over 30 (activation, init) directories
        List<Chain> chains = chains("network: {width: 16, batch: 32}\ngrid: {init: [normal, uniform, xavier_normal, kaiming_normal,"
                + " glorot_uniform, lecun_normal], activation: [relu, tanh, sigmoid, gelu, silu], std: [0.5, 1, 2, 4],"
                + " depth: [3], seed: [0, 1, 2, 3, 4, 5, 6, 7]}\n");
        int p = 6;
        List<List<Chain>> bins = Planner.balance(chains, p);
        assertThat(bins).hasSize(p);
        assertThat(chainIds(bins)).hasSize(chains.size());
        double ideal = ideal(chains, p);
        assertThat(bins).allSatisfy(b -> assertThat(Planner.cost(b)).isLessThanOrEqualTo(ideal * (1 + Planner.SMALL_CHAIN)));
        // files written = Σ over bins of the directories a bin touches ≤ directories + (bins − 1) ×
        // the directories one unit spans: relu's Gaussian unit network (normal, xavier_normal,
        // kaiming_normal of a seed) spans 3, every other unit 1 or 2
        int files = bins.stream().mapToInt(b -> (int) b.stream()
                .map(c -> c.params().activation().id() + "/" + c.params().init().id()).distinct().count()).sum();
        int span = Planner.units(chains).stream().mapToInt(u -> (int) u.chains().stream()
                .map(c -> c.params().init().id()).distinct().count()).max().orElseThrow();
        assertThat(span).isEqualTo(3);
        assertThat(files).isLessThanOrEqualTo(30 + (p - 1) * span);
        assertThat(Planner.balance(chains, p)).isEqualTo(bins); // deterministic
    }

    @Test
    void aFewDominantChainsAreBalancedLargestFirst() {
        // width 1000 chains cost 100× the width 100 ones: LPT, within 4/3 of the optimum and here of the ideal
        List<Chain> chains = chains("network: {width: [100, 1000], batch: 100}\ngrid: {init: [kaiming_normal],"
                + " activation: [relu, tanh], depth: [4], seed: [0, 1, 2, 3, 4, 5]}\n");
        int p = 6;
        assertThat(chains.stream().mapToDouble(Chain::cost).max().orElseThrow())
                .isGreaterThan(Planner.SMALL_CHAIN * ideal(chains, p));
        List<List<Chain>> bins = Planner.balance(chains, p);
        assertThat(chainIds(bins)).hasSize(chains.size());
        double heaviest = bins.stream().mapToDouble(Planner::cost).max().orElseThrow();
        // 12 big chains on 6 bins: 2 each, and the 12 small ones fill in
        assertThat(heaviest).isLessThanOrEqualTo(ideal(chains, p) * 4 / 3);
        assertThat(bins.get(0).stream().filter(c -> c.params().width() == 1000)).hasSize(2);
    }

    @Test
    void neverMoreBinsThanChainsAndNoneEmpty() {
        List<Chain> chains = chains("network: {width: 8, batch: 8}\ngrid: {init: [normal], activation: [relu], std: [1], depth: [2],"
                + " seed: [0, 1, 2]}\n");
        assertThat(Planner.balance(chains, 10)).hasSize(3).allSatisfy(b -> assertThat(b).hasSize(1));
        assertThat(Planner.balance(chains, 1)).hasSize(1);
    }
}
