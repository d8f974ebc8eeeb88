package io.initsweep.job;

import io.initsweep.spec.Chain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Splits chains into Spark partitions of about equal estimated cost (depth × batch × width²).
 * Counting chains instead would leave one width-1000 chain's task running long after a hundred
 * width-100 chains have finished. Chains that share a unit network (bias-free relu-family chains
 * that differ only in their weights' scale) are placed together, as one unit, to be computed
 * together. Two rules:
 *
 * <ul>
 *   <li>when every unit is small next to a partition's share (at most {@link #SMALL_CHAIN} of it),
 *       chains are laid out in output-directory order (activation, init) and cut into consecutive
 *       runs of about equal cost: each partition then holds few (activation, init) directories, so
 *       a task writes a few Parquet files instead of one per directory of the whole grid, and no
 *       partition exceeds its share by more than one unit (≤ 1 + SMALL_CHAIN of the ideal);</li>
 *   <li>otherwise largest unit first into the currently lightest partition (the LPT rule, within
 *       4/3 of the optimal makespan), which copes with a few units that dominate.</li>
 * </ul>
 */
public final class Planner {
    /** A unit is small when its cost is at most this share of a partition's ideal cost. */
    public static final double SMALL_CHAIN = 0.1;

    /**
     * Partitions per core by default: enough slack for skew, few enough to keep tasks cheap. More
     * partitions shrink a partition's share, so that units which count as small at 2 (and are cut
     * into consecutive runs of output directories) can be placed largest first instead, and each
     * task then writes files into more directories (see docs/performance.md).
     */
    public static final int PARTITIONS_PER_CORE = 2;

    /** Output-directory order: activation, init, then chain id. */
    private static final Comparator<Chain> OUTPUT_ORDER = Comparator.comparing((Chain c) -> c.params().activation().id())
            .thenComparing(c -> c.params().init().id())
            .thenComparing(Chain::chainId);

    private Planner() {}

    /** The default partition count for {@code chains} chains on {@code cores} cores. */
    public static int defaultPartitions(int chains, int cores) {
        return Math.max(1, Math.min(chains, PARTITIONS_PER_CORE * Math.max(1, cores)));
    }

    /**
     * Cost-balanced bins, heaviest first; every chain appears in exactly one bin, none is empty.
     * Chains that share a unit network ({@link io.initsweep.sim.ChainParams#unitKey}) stay together,
     * consecutive, in one bin, so the task computes their products once. Deterministic: ties are
     * broken by chain id and bin index.
     */
    public static List<List<Chain>> balance(List<Chain> chains, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, found " + partitions);
        }
        List<Unit> units = units(chains);
        int p = Math.min(partitions, Math.max(1, units.size()));
        double total = units.stream().mapToDouble(Unit::cost).sum();
        double largest = units.stream().mapToDouble(Unit::cost).max().orElse(0);
        if (p > 1 && largest <= SMALL_CHAIN * total / p) {
            return contiguous(units, p, total);
        }
        List<Unit> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparingDouble(Unit::cost).reversed().thenComparing(u -> u.chains().get(0).chainId()));
        double[] load = new double[p];
        List<List<Chain>> bins = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            bins.add(new ArrayList<>());
        }
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
        for (int i = 0; i < p; i++) {
            lightest.add(i);
        }
        for (Unit u : sorted) {
            int b = lightest.poll();
            bins.get(b).addAll(u.chains());
            load[b] += u.cost();
            lightest.add(b);
        }
        bins.removeIf(List::isEmpty);
        return bins;
    }

    /**
     * Units in output order (activation, init, chain id of their first chain) cut into {@code p}
     * consecutive runs, each closed once it reaches the remaining cost over the remaining
     * partitions; heaviest run first.
     */
    static List<List<Chain>> contiguous(List<Unit> units, int p, double total) {
        List<Unit> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparing(u -> u.chains().get(0), OUTPUT_ORDER));
        List<List<Chain>> bins = new ArrayList<>();
        double remaining = total;
        int i = 0;
        for (int b = 0; b < p && i < sorted.size(); b++) {
            double share = remaining / (p - b);
            List<Chain> bin = new ArrayList<>();
            double load = 0;
            // the last bin takes what is left; the others stop at their share, leaving a unit for each later bin
            while (i < sorted.size() && (b == p - 1 || (load < share && sorted.size() - i > p - b - 1))) {
                Unit u = sorted.get(i++);
                bin.addAll(u.chains());
                load += u.cost();
            }
            remaining -= load;
            bins.add(bin);
        }
        bins.removeIf(List::isEmpty);
        bins.sort(Comparator.comparingDouble(Planner::cost).reversed());
        return bins;
    }

    /**
     * Estimated cost of each chain computed with others of its unit network beyond the first, per
     * layer and batch × width entry, in multiply-add equivalents: rescaling, activation and
     * statistics passes instead of a product (whose cost per entry is its fan_in); never more
     * than the chain's own cost.
     */
    public static final double SHARED_ENTRY_COST = 30;

    /**
     * Chains computed together: those with one {@link io.initsweep.sim.ChainParams#unitKey} (in
     * the order given), every other chain alone; units in order of first appearance.
     */
    static List<Unit> units(List<Chain> chains) {
        java.util.Map<Object, List<Chain>> groups = new java.util.LinkedHashMap<>();
        for (Chain c : chains) {
            Object key = c.params().unitKey();
            groups.computeIfAbsent(key == null ? c.chainId() : key, k -> new ArrayList<>()).add(c);
        }
        List<Unit> units = new ArrayList<>();
        for (List<Chain> g : groups.values()) {
            double cost = g.get(0).cost();
            for (int i = 1; i < g.size(); i++) {
                var q = g.get(i).params();
                cost += Math.min(g.get(i).cost(), SHARED_ENTRY_COST * q.batch() * q.width() * q.maxDepth());
            }
            units.add(new Unit(List.copyOf(g), cost));
        }
        return units;
    }

    /**
     * Layer products (batch × fan_in by fan_in × width matrix multiplications) the chains need:
     * one per layer of a chain computed alone, one per layer of a unit network for all the chains
     * that share it. LSUV's rescaled products and a group member continuing alone after an
     * overflow come on top, so this is a lower bound for those.
     */
    public static long products(List<Chain> chains) {
        long n = 0;
        for (Unit u : units(chains)) {
            n += u.chains().get(0).params().maxDepth();
        }
        return n;
    }

    /**
     * Products of the backward passes (sweeps with gradients): a grid point of depth L needs
     * 2L − 1 (δ·Wᵀ below every layer but the first, Xᵀ·δ at every layer), its own even when
     * its chain's forward pass is shared with deeper points; 0 without gradients.
     */
    public static long backwardProducts(List<Chain> chains) {
        long n = 0;
        for (Chain c : chains) {
            if (c.params().stats().gradients() != null) {
                for (var point : c.points()) {
                    n += 2L * point.depth() - 1;
                }
            }
        }
        return n;
    }

    /**
     * Products of the training runs (sweeps with training): per grid point of depth L, each step
     * runs 3L + 2 (A_l for every layer and the readout, δ·Wᵀ below the readout and every layer but
     * the first, Xᵀ·δ for every layer and the readout) on a minibatch, and each recorded step
     * L + 1 forward products over each of the training, test and symmetry rows; 0 without training.
     */
    public static long trainingProducts(List<Chain> chains) {
        long n = 0;
        for (Chain c : chains) {
            var t = c.params().stats().training();
            if (t != null) {
                for (var point : c.points()) {
                    long depth = point.depth();
                    n += (long) t.steps() * (3 * depth + 2) + (long) t.recordSteps().length * 3 * (depth + 1);
                }
            }
        }
        return n;
    }

    /** Chains computed together and their estimated cost. */
    record Unit(List<Chain> chains, double cost) {}

    /**
     * The sweep cut into waves for {@code run}: chains in output-directory order (activation,
     * init, chain id; the chains of a unit network together), grouped into consecutive waves of at most {@code waveSize} grid points
     * (a chain is never split, so a chain with more points than that is a wave of its own).
     * Deterministic in the chains alone.
     */
    public static List<List<Chain>> waves(List<Chain> chains, long waveSize) {
        if (waveSize < 1) {
            throw new IllegalArgumentException("waveSize must be >= 1, found " + waveSize);
        }
        // units in output order, their chains consecutive: a unit network is split across waves
        // only where the wave size demands it (each part is then computed in its wave)
        List<Chain> sorted = new ArrayList<>();
        List<Chain> ordered = new ArrayList<>(chains);
        ordered.sort(OUTPUT_ORDER);
        units(ordered).forEach(u -> sorted.addAll(u.chains()));
        List<List<Chain>> waves = new ArrayList<>();
        List<Chain> wave = new ArrayList<>();
        long points = 0;
        for (Chain c : sorted) {
            int n = c.points().size();
            if (!wave.isEmpty() && points + n > waveSize) {
                waves.add(wave);
                wave = new ArrayList<>();
                points = 0;
            }
            wave.add(c);
            points += n;
        }
        if (!wave.isEmpty()) {
            waves.add(wave);
        }
        return waves;
    }

    /** Total estimated cost of a bin (chains of one unit network counted as computed together). */
    public static double cost(List<Chain> bin) {
        return units(bin).stream().mapToDouble(Unit::cost).sum();
    }
}
