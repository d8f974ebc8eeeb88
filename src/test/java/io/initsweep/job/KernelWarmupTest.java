package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.Dtype;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The kernel warm-up of a local run: what it runs, and that it stops. */
class KernelWarmupTest {
    /** 2 inits × 2 activations × 2 dtypes × 2 widths × 2 depths × 3 seeds; one data-free input. */
    private static final String SPEC = """
            name: warm
            network: {width: [16, 24], batch: 300, dtype: [float64, float32]}
            grid: {init: [kaiming_normal, xavier_uniform], activation: [relu, tanh], depth: [4, 12], seed: [0, 1, 2]}
            """;

    private static List<Chain> chains() {
        return Grid.chains(SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "warm"));
    }

    @Test
    void oneScaledDownRepresentativePerKernelRoute() {
        List<List<ChainParams>> reps = KernelWarmup.representatives(chains());
        // routes: init × activation × dtype × width = 16 (seeds and depths do not change the code run)
        assertThat(reps).hasSize(16);
        Set<List<Object>> routes = new HashSet<>();
        for (List<ChainParams> group : reps) {
            ChainParams p = group.get(0);
            routes.add(List.of(p.init().scheme(), p.activation(), p.dtype(), p.width()));
            for (ChainParams m : group) {
                assertThat(m.batch()).isEqualTo(KernelWarmup.BATCH);
                assertThat(m.maxDepth()).isEqualTo(KernelWarmup.DEPTH); // 12 → 8
                assertThat(m.activation()).isEqualTo(p.activation());
                assertThat(m.dtype()).isEqualTo(p.dtype());
            }
            // the unit-network route for float64 relu only (bias-free, positively homogeneous)
            assertThat(p.scalesUnitNetwork()).isEqualTo(p.dtype() == Dtype.FLOAT64 && p.activation().id().equals("relu"));
        }
        assertThat(routes).hasSize(16);
    }

    @Test
    void wideNetworksWarmUpNarrowerWithTheSameRowTail() {
        assertThat(KernelWarmup.capped(100)).isEqualTo(100);
        assertThat(KernelWarmup.capped(256)).isEqualTo(256);
        assertThat(KernelWarmup.capped(1000)).isEqualTo(256); // 1000 = 125 · 8
        assertThat(KernelWarmup.capped(1003)).isEqualTo(259); // tail of 3 either way
        assertThat(KernelWarmup.capped(1003) % 8).isEqualTo(1003 % 8);
    }

    @Test
    void runsItsRoundsAndStopsWhenAsked() {
        List<List<ChainParams>> reps = KernelWarmup.representatives(chains());
        long members = reps.stream().mapToLong(List::size).sum();
        KernelWarmup.Done all = KernelWarmup.run(reps, TimeUnit.MINUTES.toNanos(5), 3, new AtomicBoolean());
        assertThat(all.rounds()).isEqualTo(3);
        assertThat(all.chains()).isEqualTo(3 * members);
        KernelWarmup.Done stopped = KernelWarmup.run(reps, TimeUnit.MINUTES.toNanos(5), 3, new AtomicBoolean(true));
        assertThat(stopped.chains()).isZero();
        KernelWarmup.Done outOfTime = KernelWarmup.run(reps, 0, 3, new AtomicBoolean());
        assertThat(outOfTime.chains()).isZero();
    }

    /** The calling thread's nice value, from /proc/thread-self/stat (field 19). */
    private static int niceOfThisThread() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void theWarmupThreadRunsAtTheLowestPriorityAndOnlyIt() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux /proc");
        int before = niceOfThisThread();
        Assumptions.assumeTrue(before < 19, "this thread already runs at nice 19");
        AtomicInteger after = new AtomicInteger(Integer.MIN_VALUE);
        AtomicBoolean lowered = new AtomicBoolean();
        Thread t = new Thread(() -> {
            lowered.set(KernelWarmup.lowerPriority());
            try {
                after.set(niceOfThisThread());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        t.join(io.initsweep.TimeLimits.jvmStarts(50).toMillis());
        assertThat(lowered).isTrue();
        assertThat(after.get()).isEqualTo(19);
        assertThat(niceOfThisThread()).isEqualTo(before); // the caller of start() keeps its priority
    }

    @Test
    void stopEndsAStartedWarmup() throws InterruptedException {
        Thread t = KernelWarmup.start(SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "warm"),
                TimeUnit.MINUTES.toNanos(5));
        assertThat(t.isDaemon()).isTrue();
        KernelWarmup.stop();
        t.join(io.initsweep.TimeLimits.jvmStarts(50).toMillis());
        assertThat(t.isAlive()).isFalse();
    }
}
