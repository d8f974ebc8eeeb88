package io.initsweep.job;

import io.initsweep.sim.ForwardPass;
import io.initsweep.spec.Chain;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Whether every chain's working buffers fit the memory a task will have. A task's buffers live
 * in Spark's user memory, the part of the executor heap outside its unified execution/storage
 * region: (heap − 300 MiB reserved) × (1 − spark.memory.fraction), shared by the executor's
 * concurrent tasks.
 */
public final class MemoryBudget {
    /** Spark's fixed reserved system memory. */
    public static final long RESERVED_BYTES = 300L << 20;
    /** Spark's default spark.memory.fraction. */
    public static final double DEFAULT_MEMORY_FRACTION = 0.6;

    private MemoryBudget() {}

    /** Bytes one task may use for its buffers. */
    public static long perTask(long executorHeapBytes, int tasksPerExecutor, double memoryFraction) {
        long user = (long) ((executorHeapBytes - RESERVED_BYTES) * (1.0 - memoryFraction));
        return Math.max(0, user / Math.max(1, tasksPerExecutor));
    }

    /** Bytes a chain needs while it runs: the forward pass's buffers and its result rows. */
    public static long chainBytes(Chain c) {
        int depth = c.params().maxDepth();
        long resultBytes = 8L * depth * (20L + c.params().stats().histogram().bins() + c.params().stats().logHistogram().bins());
        return ForwardPass.workingBytes(c.params()) + 2 * resultBytes;
    }

    /**
     * Throws {@link TooLargeException} naming the largest chain when it does not fit
     * {@code perTaskBytes}; {@code where} says whose memory that is.
     */
    public static void check(List<Chain> chains, long perTaskBytes, String where) {
        Chain largest = chains.stream().max(Comparator.comparingLong(MemoryBudget::chainBytes)).orElse(null);
        if (largest != null && chainBytes(largest) > perTaskBytes) {
            throw new TooLargeException(String.format(Locale.ROOT,
                    "grid point width %d × batch %d needs %s of buffers per task, but a task has %s (%s);"
                            + " give executors more memory (spark.executor.memory) or fewer cores each, or reduce batch",
                    largest.params().width(), largest.params().batch(), mib(chainBytes(largest)), mib(perTaskBytes), where));
        }
    }

    /** Parses a Spark-style size: 512m, 4g, 1t, or bytes. */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'b' && t.length() > 1 && Character.isLetter(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
            last = t.charAt(t.length() - 1);
        }
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            case 't' -> mult = 1L << 40;
            default -> mult = 1;
        }
        String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + s + "' is not a memory size; use e.g. 512m, 4g");
        }
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** A grid point too large for the memory its task will have: a usage error. */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }
}
