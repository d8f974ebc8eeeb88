package io.initsweep.job;

import io.initsweep.spec.Chain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Splits chains into Spark partitions of about equal estimated cost (depth × batch × width²).
 * Counting chains instead would leave one width-1000 chain's task running long after a hundred
 * width-100 chains have finished. Two rules:
 *
 * <ul>
 *   <li>when every chain is small next to a partition's share (at most {@link #SMALL_CHAIN} of it),
 *       chains are laid out in output-directory order (activation, init) and cut into consecutive
 *       runs of about equal cost: each partition then holds few (activation, init) directories, so
 *       a task writes a few Parquet files instead of one per directory of the whole grid, and no
 *       partition exceeds its share by more than one chain (≤ 1 + SMALL_CHAIN of the ideal);</li>
 *   <li>otherwise largest chain first into the currently lightest partition (the LPT rule, within
 *       4/3 of the optimal makespan), which copes with a few chains that dominate.</li>
 * </ul>
 */
public final class Planner {
    /** A chain is small when its cost is at most this share of a partition's ideal cost. */
    public static final double SMALL_CHAIN = 0.05;

    /** Partitions per core by default: enough slack for skew, few enough to keep tasks cheap. */
    public static final int PARTITIONS_PER_CORE = 3;

    /** Output-directory order: activation, init, then chain id. */
    private static final Comparator<Chain> OUTPUT_ORDER = Comparator.comparing((Chain c) -> c.params().activation().id())
            .thenComparing(c -> c.params().init().init().id())
            .thenComparing(Chain::chainId);

    private Planner() {}

    /** The default partition count for {@code chains} chains on {@code cores} cores. */
    public static int defaultPartitions(int chains, int cores) {
        return Math.max(1, Math.min(chains, PARTITIONS_PER_CORE * Math.max(1, cores)));
    }

    /**
     * Cost-balanced bins, heaviest first; every chain appears in exactly one bin, none is empty.
     * Deterministic: ties are broken by chain id and bin index.
     */
    public static List<List<Chain>> balance(List<Chain> chains, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, found " + partitions);
        }
        int p = Math.min(partitions, Math.max(1, chains.size()));
        double total = chains.stream().mapToDouble(Chain::cost).sum();
        double largest = chains.stream().mapToDouble(Chain::cost).max().orElse(0);
        if (p > 1 && largest <= SMALL_CHAIN * total / p) {
            return contiguous(chains, p, total);
        }
        List<Chain> sorted = new ArrayList<>(chains);
        sorted.sort(Comparator.comparingDouble(Chain::cost).reversed().thenComparing(Chain::chainId));
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
        for (Chain c : sorted) {
            int b = lightest.poll();
            bins.get(b).add(c);
            load[b] += c.cost();
            lightest.add(b);
        }
        bins.removeIf(List::isEmpty);
        return bins;
    }

    /**
     * Chains in (activation, init, chain id) order cut into {@code p} consecutive runs, each closed
     * once it reaches the remaining cost over the remaining partitions; heaviest run first.
     */
    static List<List<Chain>> contiguous(List<Chain> chains, int p, double total) {
        List<Chain> sorted = new ArrayList<>(chains);
        sorted.sort(OUTPUT_ORDER);
        List<List<Chain>> bins = new ArrayList<>();
        double remaining = total;
        int i = 0;
        for (int b = 0; b < p && i < sorted.size(); b++) {
            double share = remaining / (p - b);
            List<Chain> bin = new ArrayList<>();
            double load = 0;
            // the last bin takes what is left; the others stop at their share, leaving a chain for each later bin
            while (i < sorted.size() && (b == p - 1 || (load < share && sorted.size() - i > p - b - 1))) {
                Chain c = sorted.get(i++);
                bin.add(c);
                load += c.cost();
            }
            remaining -= load;
            bins.add(bin);
        }
        bins.removeIf(List::isEmpty);
        bins.sort(Comparator.comparingDouble(Planner::cost).reversed());
        return bins;
    }

    /**
     * The sweep cut into waves for {@code run}: chains in output-directory order (activation,
     * init, chain id), grouped into consecutive waves of at most {@code waveSize} grid points
     * (a chain is never split, so a chain with more points than that is a wave of its own).
     * Deterministic in the chains alone.
     */
    public static List<List<Chain>> waves(List<Chain> chains, long waveSize) {
        if (waveSize < 1) {
            throw new IllegalArgumentException("waveSize must be >= 1, found " + waveSize);
        }
        List<Chain> sorted = new ArrayList<>(chains);
        sorted.sort(OUTPUT_ORDER);
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

    /** Total estimated cost of a bin. */
    public static double cost(List<Chain> bin) {
        return bin.stream().mapToDouble(Chain::cost).sum();
    }
}
