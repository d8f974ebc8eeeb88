package io.initsweep.report;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a page's independent queries on a few driver threads, each with {@code spark} as its active
 * session. {@link #get} returns a result or throws what the query threw, as it was thrown; closing
 * cancels what has not finished.
 */
final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final ExecutorService pool;

    Parallel(SparkSession spark, int threads) {
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(() -> {
                SparkSession.setActiveSession(spark);
                r.run();
            }, "initsweep-page-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    <T> Future<T> submit(Supplier<T> query) {
        return pool.submit(query::get);
    }

    /** The query's result; what it threw is thrown here unchanged. */
    <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the page's queries ran", e);
        } catch (ExecutionException e) {
            throw Parallel.<RuntimeException>sneaky(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
