package io.initsweep.job;

import java.io.PrintWriter;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
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
 * retries or speculative copies ran), for the jobs started under this sweep's job group.
 */
final class Progress extends SparkListener implements AutoCloseable {
    static final String JOB_GROUP_PROPERTY = "spark.jobGroup.id";

    private final SparkContext sc;
    private final String jobGroup;
    private final long[] pointsPerPartition;
    private final long total;
    private final PrintWriter out;
    private final ScheduledExecutorService ticker;
    private final Set<Integer> stages = new HashSet<>();
    private final BitSet done = new BitSet();
    private final long startNanos = System.nanoTime();
    private long points;
    private long printed = -1;

    /**
     * Starts listening and printing every {@code everySeconds}.
     *
     * @param pointsPerPartition grid points of each simulate partition, by partition index
     */
    Progress(SparkContext sc, String jobGroup, long[] pointsPerPartition, PrintWriter out, double everySeconds) {
        this.sc = sc;
        this.jobGroup = jobGroup;
        this.pointsPerPartition = pointsPerPartition.clone();
        long t = 0;
        for (long p : pointsPerPartition) {
            t += p;
        }
        this.total = t;
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

    @Override
    public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        if (jobStart.properties() != null && jobGroup.equals(jobStart.properties().getProperty(JOB_GROUP_PROPERTY))) {
            for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageIds())) {
                stages.add((Integer) id);
            }
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (!stages.contains(taskEnd.stageId()) || !taskEnd.taskInfo().successful()) {
            return;
        }
        int index = taskEnd.taskInfo().index();
        if (index >= 0 && index < pointsPerPartition.length && !done.get(index)) {
            done.set(index);
            points += pointsPerPartition[index];
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
        double rate = seconds > 0 ? p / seconds : 0;
        String eta = p == 0 || rate == 0 ? "" : p >= total ? "" : String.format(Locale.ROOT, ", ETA %s", duration((total - p) / rate));
        out.printf(Locale.ROOT, "progress: %d/%d grid points (%.0f%%), %.1f points/s, %s elapsed%s%n", p, total,
                total == 0 ? 100.0 : 100.0 * p / total, rate, duration(seconds), eta);
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
