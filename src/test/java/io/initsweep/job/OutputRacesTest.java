package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Views;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that race for one output: two runs started together or one a little after the other, a
 * resume racing a fresh run, and an overwrite racing readers. Exactly one run wins each race, the
 * other is refused with one line, and the output always holds one whole sweep; a reader sees the
 * old sweep or the new one, or fails with one line. The start offsets spread over one measured run's
 * length, so every phase of the winner (lock, state, waves, commit) is raced on any machine.
 */
class OutputRacesTest {
    static final String SPEC = """
            name: %s
            seed: %d
            network: { width: 8, batch: 16 }
            grid: { init: [xavier_normal, kaiming_normal], activation: [tanh, relu], depth: [2, 3], seed: [0, 1] }
            stats: { bins: 6 }
            """;
    /** 2 inits × 2 activations × 2 seeds = 8 chains of 2 grid points. */
    static final int POINTS = 16;
    /** Pairs of simultaneous in-process runs. */
    static final int PAIRS = 50;
    /** Pairs of simultaneous driver processes (more with -Dinitsweep.stress.cli.pairs=N). */
    static final int CLI_PAIRS = Integer.getInteger("initsweep.stress.cli.pairs", 4);

    static SparkSession spark;
    @TempDir
    static Path dir;
    /** How long one whole run of SPEC takes here, measured. */
    static long runNanos;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2]");
        // two untimed runs warm the session up; the third is the one measured
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            SweepJob.run(spark, spec("warm", 1), new SweepJob.Options(dir.resolve("warm" + i).toString(), false, 0));
            runNanos = System.nanoTime() - t0;
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static SweepSpec spec(String name, long seed) {
        return SpecParser.parse(String.format(SPEC, name, seed).getBytes(StandardCharsets.UTF_8), name);
    }

    /** The i-th of n start offsets, spread from 0 to 1.2 run lengths. */
    static long offsetNanos(int i, int n) {
        return (long) (runNanos * 1.2 * (i % 10) / 9.0 * (1 + i / 10) / (1 + (n - 1) / 10));
    }

    @Test
    void ofTwoRunsIntoOneOutputExactlyOneWinsEveryTime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < PAIRS; i++) {
                Path out = dir.resolve("pair" + i);
                long offset = offsetNanos(i, PAIRS);
                List<Future<SweepJob.Result>> runs = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                for (int k = 0; k < 2; k++) {
                    SweepSpec s = spec(k == 0 ? "first" : "second", 1);
                    // the delayed one alternates, so each side also starts first
                    long delay = k == i % 2 ? 0 : offset;
                    runs.add(pool.submit(() -> {
                        go.await();
                        TimeUnit.NANOSECONDS.sleep(delay);
                        return SweepJob.run(spark, s, new SweepJob.Options(out.toString(), false, 0));
                    }));
                }
                go.countDown();
                assertOneWinsOneRefused(runs, "pair " + i + " (offset " + offset / 1_000_000 + " ms)");
                assertOneWholeSweep(out, List.of("first", "second"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aResumeRacingAFreshRunOfAnInterruptedSweep() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        SweepSpec s = spec("resumed", 2);
        WavesTest.Tables whole = null;
        try {
            for (int i = 0; i < 10; i++) {
                Path out = dir.resolve("resume" + i);
                // one wave of four done, then stopped: an interrupted sweep
                SweepJob.run(spark, s, new SweepJob.Options(out.toString(), false, 0, null, false, 4, 1));
                long offset = offsetNanos(i, 10);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<SweepJob.Result>> runs = new ArrayList<>();
                for (boolean resume : List.of(true, false)) {
                    long delay = resume == (i % 2 == 0) ? 0 : offset;
                    runs.add(pool.submit(() -> {
                        go.await();
                        TimeUnit.NANOSECONDS.sleep(delay);
                        return SweepJob.run(spark, s, new SweepJob.Options(out.toString(), false, 0, null, resume, 4, 0));
                    }));
                }
                go.countDown();
                // the fresh run never wins: it is refused by the lock, the interrupted sweep or the results
                assertThat(runs.get(0).get().waves().outcome()).isEqualTo(SweepJob.Outcome.COMPLETE);
                try {
                    runs.get(1).get();
                    throw new AssertionError("race " + i + ": the fresh run was not refused");
                } catch (java.util.concurrent.ExecutionException e) {
                    assertRefusal(e.getCause(), "race " + i);
                }
                assertOneWholeSweep(out, List.of("resumed"));
                WavesTest.Tables t = WavesTest.Tables.read(out.toString(), spark);
                if (whole == null) {
                    whole = WavesTest.Tables.read(SweepJob.run(spark, s, new SweepJob.Options(
                            dir.resolve("resume-whole").toString(), false, 0)).output().toString(), spark);
                }
                assertThat(t).as("race %d: rows of an uninterrupted run", i).isEqualTo(whole);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOverwriteRacingReadersShowsThemTheOldOrTheNewSweepNeverAMix() throws Exception {
        Path out = dir.resolve("replaced");
        SweepJob.run(spark, spec("v0", 0), new SweepJob.Options(out.toString(), false, 0));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int v = 1; v <= 6; v++) {
                        SweepJob.run(spark, spec("v" + v, v), new SweepJob.Options(out.toString(), true, 0));
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (writing.get() || reads < 3) {
                    // every count from one sweep: its own name in runs, layers and its manifest
                    Cli.Outcome o = Cli.run("sql", "--out", out.toString(), "--format", "csv",
                            "SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(DISTINCT sweep) FROM runs) AS names,"
                                    + " (SELECT min(sweep) FROM runs) AS name, (SELECT count(*) FROM layers) AS layers,"
                                    + " (SELECT count(DISTINCT sweep) FROM layers) AS layer_names,"
                                    + " (SELECT min(sweep) FROM layers) AS layer_name, (SELECT min(sweep) FROM sweeps) AS manifest");
                    if (o.code() == 0) {
                        String row = o.out().lines().skip(1).findFirst().orElseThrow();
                        seen.add(row);
                        String[] f = row.split(",");
                        assertThat(f).as(row).hasSize(7);
                        assertThat(f[0]).as(row).isEqualTo("" + POINTS);
                        assertThat(f[1]).as(row).isEqualTo("1");
                        assertThat(f[3]).as(row).isEqualTo("" + POINTS / 2 * 5);
                        assertThat(f[4]).as(row).isEqualTo("1");
                        assertThat(f[5]).as(row).isEqualTo(f[2]);
                        assertThat(f[6]).as(row).isEqualTo(f[2]);
                    } else {
                        assertThat(o.err().strip().lines()).as(o.err()).hasSize(1);
                        assertThat(o.err()).startsWith("initsweep: ").doesNotContain("Exception");
                        seen.add("error: " + o.err().strip());
                    }
                    if (reads % 3 == 2) {
                        // the report too: from one sweep, whole, or one line
                        Path html = dir.resolve("replaced-" + reads + ".html");
                        Cli.Outcome r = Cli.run("report", out.toString(), "--to", html.toString());
                        if (r.code() == 0) {
                            String page = Files.readString(html);
                            assertThat(page).as("the report names one of the sweeps written")
                                    .containsPattern("<h1>initsweep report: <code>v[0-6]</code></h1>");
                            seen.add("report");
                        } else {
                            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
                            assertThat(r.err()).startsWith("initsweep: ").doesNotContain("Exception");
                            assertThat(html).doesNotExist();
                            seen.add("report error: " + r.err().strip());
                        }
                    }
                    reads++;
                }
                return reads;
            });
            writer.get(io.initsweep.TimeLimits.jvmStarts(1000).toNanos(), TimeUnit.NANOSECONDS);
            assertThat(reader.get(io.initsweep.TimeLimits.jvmStarts(1000).toNanos(), TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(3);
            // the report reads the same way, once the writer has finished: the last sweep
            Path html = dir.resolve("replaced.html");
            Cli.Outcome r = Cli.run("report", out.toString(), "--to", html.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readString(html)).contains("v6");
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).anyMatch(s -> !s.contains("error"));
        System.out.println("overwrite race: " + seen.size() + " reads; " + seen.stream().filter(s -> s.contains("error"))
                .count() + " one-line errors: " + seen.stream().filter(s -> s.contains("error")).distinct().toList());
        assertOneWholeSweep(out, List.of("v6"));
    }

    @Test
    void ofTwoDriverProcessesIntoOneOutputExactlyOneWinsAndTheOtherSaysWhyInOneLine() throws Exception {
        Path spec1 = Files.writeString(dir.resolve("cli-first.yaml"), String.format(SPEC, "first", 1));
        Path spec2 = Files.writeString(dir.resolve("cli-second.yaml"), String.format(SPEC, "second", 1));
        // a driver process's start-up dominates its run: measure one, then spread the offsets over it
        Path probe = dir.resolve("cli-probe");
        long t0 = System.nanoTime();
        Process p0 = DriverProcess.start(dir.resolve("cli-probe.log"), List.of(), "run", spec1.toString(), "--out",
                probe.toString());
        assertThat(io.initsweep.TimeLimits.waitFor(p0, 1000)).isTrue();
        assertThat(p0.exitValue()).as(String.join("\n", DriverProcess.stderr(dir.resolve("cli-probe.log")))).isZero();
        long processNanos = System.nanoTime() - t0;
        for (int i = 0; i < CLI_PAIRS; i++) {
            Path out = dir.resolve("cli" + i);
            long offset = (long) (processNanos * 1.2 * i / Math.max(1, CLI_PAIRS - 1));
            List<Process> ps = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                if (k == 1) {
                    TimeUnit.NANOSECONDS.sleep(offset);
                }
                Path log = dir.resolve("cli" + i + "-" + k + ".log");
                logs.add(log);
                // the one started later alternates between the two specs
                Path spec = (k + i) % 2 == 0 ? spec1 : spec2;
                ps.add(DriverProcess.start(log, List.of(), "run", spec.toString(), "--out", out.toString()));
            }
            List<Integer> codes = new ArrayList<>();
            for (Process p : ps) {
                assertThat(io.initsweep.TimeLimits.waitFor(p, 1000)).isTrue();
                codes.add(p.exitValue());
            }
            String why = "pair " + i + " (offset " + offset / 1_000_000 + " ms): exit codes " + codes;
            assertThat(codes).as(why).containsExactlyInAnyOrder(0, 2);
            List<String> loser = DriverProcess.ownLines(DriverProcess.stderr(logs.get(codes.indexOf(2))));
            assertThat(loser).as(why).hasSize(1);
            assertThat(loser.get(0)).as(why).startsWith("initsweep: ").containsAnyOf("being written by another run",
                    "already holds results");
            assertOneWholeSweep(out, List.of("first", "second"));
        }
    }

    static void assertOneWinsOneRefused(List<Future<SweepJob.Result>> runs, String what) throws InterruptedException {
        List<SweepJob.Result> won = new ArrayList<>();
        List<Throwable> refused = new ArrayList<>();
        for (Future<SweepJob.Result> f : runs) {
            try {
                won.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                refused.add(e.getCause());
            }
        }
        assertThat(won).as(what + ": runs that won").hasSize(1);
        assertThat(refused).as(what + ": runs refused").hasSize(1);
        assertRefusal(refused.get(0), what);
    }

    static void assertRefusal(Throwable t, String what) {
        assertThat(t).as(what).isInstanceOf(OutputDir.OutputExistsException.class);
        assertThat(t.getMessage()).as(what).doesNotContain("\n").containsAnyOf("being written by another run",
                "already holds results", "holds an interrupted sweep");
    }

    /** The output holds exactly one sweep, whole (counts checked against its manifest), and nothing else is left. */
    static void assertOneWholeSweep(Path out, List<String> names) throws Exception {
        String manifest = Views.verify(new Configuration(), out.toString());
        var sweeps = spark.read().parquet(out.resolve("runs").toString()).select("sweep").distinct().collectAsList();
        assertThat(sweeps).hasSize(1);
        String name = sweeps.get(0).getString(0);
        assertThat(names).contains(name);
        assertThat(manifest).contains("\"sweep\" : \"" + name + "\"");
        assertThat(spark.read().parquet(out.resolve("runs").toString()).count()).isEqualTo(POINTS);
        try (var s = Files.list(out.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out.getFileName() + ".")))
                    .as("lock, staging or moved-aside results left next to " + out).isEmpty();
        }
    }
}
