package io.initsweep.job;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.InputDistribution;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SweepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compiles the forward-pass kernel while Spark starts. In local mode the driver JVM is the
 * executor, and a sweep's first tasks otherwise run the kernel interpreted or at C1 until C2 has
 * compiled it, competing with the compiler threads for the same cores, so that the first tasks
 * take several times as long as the same work once warm. Session start leaves a core partly
 * idle, which runs a scaled-down copy of the sweep's kernel work meanwhile (at the lowest CPU
 * priority on Linux).
 *
 * <p>The copy takes one representative chain (or unit-network group) per kernel route the sweep
 * uses: activation, dtype, width, input width, whether it has a bias and whether it is computed as
 * a unit network. Each is run at a batch of at most {@value #BATCH} rows, a depth of at most
 * {@value #DEPTH} layers and widths of at most {@value #WIDTH} + 7 (keeping the width mod 8, which
 * decides the row tails' code), round after round, until the sweep's first task starts ({@link #stop}),
 * a time limit passes, or {@value #MAX_ROUNDS} rounds are done. Its results are discarded; the
 * kernel gives the same bits interpreted, at C1 and at C2 (KernelDeterminismTest), so warming it
 * cannot change a row.
 */
public final class KernelWarmup {
    static final int BATCH = 128;
    static final int DEPTH = 8;
    /** Widths above this run at this plus their remainder mod 8 (the same row-body and tail code, smaller buffers). */
    static final int WIDTH = 256;
    static final int MAX_ROUNDS = 12;
    /** The stop flag of the latest warm-up started. */
    private static final AtomicReference<AtomicBoolean> CURRENT = new AtomicReference<>(new AtomicBoolean());
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelWarmup.class);

    private KernelWarmup() {}

    /** What the warm-up did: rounds completed, chains run, CPU seconds of its thread. */
    public record Done(int rounds, long chains, double seconds) {}

    /**
     * The scaled-down representatives of {@code chains}: one per kernel route, data inputs left
     * out (their matrices are read later, by the job).
     */
    static List<List<ChainParams>> representatives(List<Chain> chains) {
        Map<Object, List<ChainParams>> byRoute = new LinkedHashMap<>();
        for (List<Chain> group : SweepJob.consecutiveUnits(chains)) {
            ChainParams p = group.get(0).params();
            if (p.input() == InputDistribution.DATA) {
                continue;
            }
            Object route = List.of(p.activation(), p.dtype(), p.width(), p.inputWidth(), p.biasStd() > 0,
                    p.scalesUnitNetwork(), p.init().scheme());
            if (byRoute.containsKey(route)) {
                continue;
            }
            List<ChainParams> small = new ArrayList<>();
            for (Chain c : group.subList(0, Math.min(group.size(), 3))) {
                small.add(scaledDown(c.params()));
            }
            byRoute.put(route, small);
        }
        return new ArrayList<>(byRoute.values());
    }

    private static ChainParams scaledDown(ChainParams p) {
        return new ChainParams(p.masterSeed(), p.seed(), capped(p.width()), Math.min(p.batch(), BATCH), p.input(), p.init(),
                p.activation(), p.activationParam(), Math.min(p.maxDepth(), DEPTH), p.stats(), capped(p.inputWidth()),
                p.biasStd(), p.dtype(), p.inputData());
    }

    static int capped(int width) {
        return width <= WIDTH ? width : WIDTH + width % 8;
    }

    /**
     * Starts the warm-up of {@code spec}'s kernel routes on a daemon thread and returns it; it ends
     * by itself. The grid is expanded on that thread, not the caller's.
     *
     * @param limitNanos wall-time limit of the warm-up
     */
    public static Thread start(SweepSpec spec, long limitNanos) {
        AtomicBoolean stop = new AtomicBoolean();
        CURRENT.set(stop);
        Thread t = new Thread(() -> {
            try {
                lowerPriority();
                List<List<ChainParams>> reps = representatives(Grid.chains(spec));
                Done d = run(reps, limitNanos, MAX_ROUNDS, stop);
                LOG.info("kernel warm-up: {} routes, {} rounds, {} chains, {} s CPU", reps.size(), d.rounds(), d.chains(),
                        String.format("%.2f", d.seconds()));
            } catch (RuntimeException e) {
                // optional work: the sweep computes every chain itself, and would report the same fault
                LOG.warn("kernel warm-up stopped: {}", e.toString());
            }
        }, "initsweep-kernel-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Linux: puts the calling thread at the lowest CPU priority (nice 19), so that it runs on the
     * cycles the session start leaves idle rather than beside it. {@code /proc/thread-self} names
     * the thread's id, and renice takes a thread id. Elsewhere, or if renice fails, nothing changes.
     */
    static boolean lowerPriority() {
        try {
            java.nio.file.Path self = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"));
            String tid = self.getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", "19", "-p", tid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks a running warm-up to stop after the chain it is on (called when a sweep's first task starts). */
    public static void stop() {
        CURRENT.get().set(true);
    }

    /** Runs the representatives round after round until stopped, out of time or out of rounds. */
    static Done run(List<List<ChainParams>> reps, long limitNanos, int maxRounds, AtomicBoolean stop) {
        long start = System.nanoTime();
        long cpu0 = cpuNanos();
        ForwardPass pass = new ForwardPass();
        int rounds = 0;
        long chains = 0;
        outer:
        while (rounds < maxRounds && !reps.isEmpty()) {
            for (List<ChainParams> group : reps) {
                if (stop.get() || System.nanoTime() - start > limitNanos) {
                    break outer;
                }
                if (group.size() == 1) {
                    pass.run(group.get(0));
                } else {
                    pass.runGroup(group, null);
                }
                chains += group.size();
            }
            rounds++;
        }
        return new Done(rounds, chains, (cpuNanos() - cpu0) / 1e9);
    }

    private static long cpuNanos() {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : 0;
    }
}
