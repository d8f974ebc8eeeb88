package io.initsweep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Time limits for tests, as generous multiples of a duration measured on this machine in this run,
 * never a number of seconds that one machine happened to need. The unit is {@link #jvmStart()}: how
 * long starting a JVM on the test classpath and running a trivial main takes here, now — it grows
 * with a slower CPU, a loaded machine and a colder disk alike.
 */
public final class TimeLimits {
    private static Duration jvmStart;

    private TimeLimits() {}

    /** The median of three starts of a JVM on the test classpath running {@link Probe}; measured once per test JVM. */
    public static synchronized Duration jvmStart() {
        if (jvmStart == null) {
            long[] nanos = new long[3];
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = probe();
            }
            Arrays.sort(nanos);
            jvmStart = Duration.ofNanos(nanos[1]);
        }
        return jvmStart;
    }

    /** {@code factor} JVM starts: a limit for work that costs about {@code factor / 10} of them at most. */
    public static Duration jvmStarts(double factor) {
        return Duration.ofNanos((long) (jvmStart().toNanos() * factor));
    }

    /** {@code factor} times {@code measured}. */
    public static Duration times(double factor, Duration measured) {
        return Duration.ofNanos((long) (measured.toNanos() * factor));
    }

    /** Waits for {@code p} at most {@code starts} JVM starts; whether it ended. */
    public static boolean waitFor(Process p, double starts) throws InterruptedException {
        return p.waitFor(jvmStarts(starts).toNanos(), TimeUnit.NANOSECONDS);
    }

    private static long probe() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // a bound only against a JVM that never starts; the measurement is the time it took
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("the probe JVM did not start and exit 0");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - t0;
    }

    /** The probe: loads a Spark and an initsweep class, as the processes the tests start do, and exits. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Class.forName("org.apache.spark.SparkConf");
            Class.forName("io.initsweep.spec.SpecParser");
        }
    }
}
