package io.initsweep.job;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Console progress of a sweep: grid points done / total, rate and ETA, one line every few
 * seconds while the simulation runs and a last line when it is done. A Spark listener counts the
 * grid points of every partition whose simulate task succeeded (each partition once, whatever
 * retries or speculative copies ran), for the simulate job of each wave (started under the job
 * group {@link #wave} names). Points done before a resume count from the start.
 */
final class Progress extends SparkListener implements AutoCloseable {
    static final String JOB_GROUP_PROPERTY = "spark.jobGroup.id";

    private final SparkContext sc;
    private final long total;
    private final long before;
    private final PrintWriter out;
    private final ScheduledExecutorService ticker;
    private final Map<Integer, Integer> stageWave = new HashMap<>();
    private final List<long[]> wavePoints = new ArrayList<>();
    private final List<BitSet> waveDone = new ArrayList<>();
    private String jobGroup;
    private final long startNanos = System.nanoTime();
    private long points;
    private long printed = -1;

    /**
     * Starts listening and printing every {@code everySeconds}.
     *
     * @param total grid points of the sweep
     * @param before grid points done before this run (a resume)
     */
    Progress(SparkContext sc, long total, long before, PrintWriter out, double everySeconds) {
        this.sc = sc;
        this.total = total;
        this.before = before;
        this.points = before;
        this.out = out;
        sc.addSparkListener(this);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "initsweep-progress");
            th.setDaemon(true);
            return th;
        });
        long period = Math.max(100, (long) (everySeconds * 1000));
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The next wave's simulate job will run under job group {@code jobGroup}, with these grid
     * points per partition (by partition index).
     */
    synchronized void wave(String jobGroup, long[] pointsPerPartition) {
        this.jobGroup = jobGroup;
        wavePoints.add(pointsPerPartition.clone());
        waveDone.add(new BitSet());
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        if (jobGroup != null && jobStart.properties() != null
                && jobGroup.equals(jobStart.properties().getProperty(JOB_GROUP_PROPERTY))) {
            for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageIds())) {
                stageWave.put((Integer) id, wavePoints.size() - 1);
            }
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        Integer wave = stageWave.get(taskEnd.stageId());
        if (wave == null || !taskEnd.taskInfo().successful()) {
            return;
        }
        long[] perPartition = wavePoints.get(wave);
        BitSet done = waveDone.get(wave);
        int index = taskEnd.taskInfo().index();
        if (index >= 0 && index < perPartition.length && !done.get(index)) {
            done.set(index);
            points += perPartition[index];
        }
    }

    /** Grid points whose partition has finished. */
    synchronized long points() {
        return points;
    }

    private void tick() {
        long p = points();
        if (p != printed && p < total) {
            print(p);
        }
    }

    private synchronized void print(long p) {
        printed = p;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? (p - before) / seconds : 0;
        String eta = p == before || rate == 0 ? "" : p >= total ? "" : String.format(Locale.ROOT, ", ETA %s", duration((total - p) / rate));
        String resumed = before > 0 ? String.format(Locale.ROOT, " (%d done before this run)", before) : "";
        out.printf(Locale.ROOT, "progress: %d/%d grid points (%.0f%%)%s, %.1f points/s, %s elapsed%s%n", p, total,
                total == 0 ? 100.0 : 100.0 * p / total, resumed, rate, duration(seconds), eta);
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** Every partition is known to be done (the rows were counted on disk): the last line says so. */
    synchronized void finished() {
        points = total;
    }

    /** Stops the ticker and the listener, and prints the count reached. */
    @Override
    public void close() {
        ticker.shutdownNow();
        sc.removeSparkListener(this);
        print(points());
    }
}
