package io.initsweep.job;

import io.initsweep.spec.Chain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Splits chains into Spark partitions of about equal estimated cost (depth × batch × width²),
 * largest chain first into the currently lightest partition (the LPT rule, within 4/3 of the
 * optimal makespan). Counting chains instead would leave one width-1000 chain's task running long
 * after a hundred width-100 chains have finished.
 */
public final class Planner {
    /** Partitions per core by default: enough slack for skew, few enough to keep tasks cheap. */
    public static final int PARTITIONS_PER_CORE = 3;

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

    /** Total estimated cost of a bin. */
    public static double cost(List<Chain> bin) {
        return bin.stream().mapToDouble(Chain::cost).sum();
    }
}
