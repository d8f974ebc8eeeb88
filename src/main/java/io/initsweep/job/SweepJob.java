package io.initsweep.job;

import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Kernels;
import io.initsweep.spec.Chain;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark driver of a sweep: expands the grid into chains, packs them into cost-balanced
 * partitions, runs each chain's forward pass on an executor, writes the layers table (rows stream
 * from the tasks) and the runs table (one small row per grid point, returned with the tasks),
 * checks both row counts on disk, writes the manifest, and moves the finished directory into place.
 */
public final class SweepJob {
    private static final Logger LOG = LoggerFactory.getLogger(SweepJob.class);

    private static final int RUN_ID = Schema.index(Schema.RUNS, "run_id");

    private SweepJob() {}

    /**
     * @param output directory to write (a Hadoop path: local, hdfs://, ...)
     * @param overwrite replace results already there
     * @param partitions Spark partitions; 0 = {@link Planner#defaultPartitions}
     * @param progress where progress lines go (grid points done, rate, ETA); null for none
     */
    public record Options(String output, boolean overwrite, int partitions, PrintWriter progress) {
        /** Options without progress lines. */
        public Options(String output, boolean overwrite, int partitions) {
            this(output, overwrite, partitions, null);
        }
    }

    /** What a run did; {@code runs} is the written runs table, read back. */
    public record Result(Path output, long gridPoints, long chains, int partitions, long layersRows,
            double wallSeconds, double kernelSeconds, List<String> blas, Dataset<Row> runs) {}

    public static Result run(SparkSession spark, SweepSpec spec, Options options) {
        Instant started = Instant.now();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        OutputDir out = OutputDir.of(options.output(), jsc.hadoopConfiguration());
        out.checkWritable(options.overwrite());
        try (OutputDir.Lock lock = out.lock()) {
            out.checkWritable(options.overwrite()); // again: a run that held the lock may just have finished
            return locked(spark, jsc, spec, options, out, started);
        }
    }

    private static Result locked(SparkSession spark, JavaSparkContext jsc, SweepSpec spec, Options options, OutputDir out,
            Instant started) {
        DataInputs.Loaded data = DataInputs.load(spec, jsc.hadoopConfiguration());
        spec = data.spec();
        List<Chain> chains = Grid.chains(spec);
        checkMemory(jsc, chains);
        long points = chains.stream().mapToLong(c -> c.points().size()).sum();
        long expectedLayers = chains.stream().flatMap(c -> c.points().stream()).mapToLong(p -> p.depth()).sum();
        int partitions = options.partitions() > 0
                ? options.partitions()
                : Planner.defaultPartitions(chains.size(), jsc.defaultParallelism());
        List<List<Chain>> bins = Planner.balance(chains, partitions);
        LOG.info("sweep {}: {} grid points in {} chains over {} partitions; driver BLAS {}, kernels {}",
                spec.name(), points, chains.size(), bins.size(), Gemm.implementation(), Kernels.route());

        LongAccumulator kernelNanos = jsc.sc().longAccumulator("initsweep kernel nanoseconds");
        CollectionAccumulator<String> blas = jsc.sc().collectionAccumulator("initsweep BLAS");
        CollectionAccumulator<String> kernels = jsc.sc().collectionAccumulator("initsweep kernel route");
        CollectionAccumulator<Row> runRows = jsc.sc().collectionAccumulator("initsweep runs rows");

        Path staging = out.createStaging();
        boolean committed = false;
        String jobGroup = "initsweep-" + java.util.UUID.randomUUID();
        jsc.setJobGroup(jobGroup, "initsweep " + spec.name(), false);
        Progress progress = options.progress() == null ? null
                : new Progress(jsc.sc(), jobGroup, bins.stream().mapToLong(b -> b.stream().mapToLong(c -> c.points().size()).sum())
                        .toArray(), options.progress(), 2.0);
        try {
            long startNanos = System.nanoTime();
            JavaRDD<Row> rows = jsc.parallelize(bins, bins.size())
                    .mapPartitions(new Simulate(spec.name(), jsc.broadcast(data.matrices()), kernelNanos, blas, kernels,
                            runRows));
            String layersDir = new Path(staging, Views.LAYERS).toString();
            spark.createDataFrame(rows, Schema.struct(Schema.LAYERS))
                    .write().mode(SaveMode.ErrorIfExists).partitionBy(partitionColumns(Schema.LAYERS)).parquet(layersDir);

            long layersWritten = System.nanoTime();
            Dataset<Row> layers = spark.read().schema(Schema.struct(Schema.LAYERS)).parquet(layersDir);
            long layersRows = layers.count();
            check(layersRows == expectedLayers, "layers rows written " + layersRows + ", expected " + expectedLayers);
            if (progress != null) {
                progress.finished();
                progress.close();
                progress = null;
            }
            // runs rows came back with the tasks; a retried task sends its (identical) rows again
            Map<String, Row> byRunId = new LinkedHashMap<>();
            for (Row r : runRows.value()) {
                byRunId.putIfAbsent(r.getString(RUN_ID), r);
            }
            int runsPartitions = (int) Math.max(1, Math.min(bins.size(), points / 200_000 + 1));
            String runsDir = new Path(staging, Views.RUNS).toString();
            spark.createDataFrame(new ArrayList<>(byRunId.values()), Schema.struct(Schema.RUNS)).repartition(runsPartitions)
                    .write().mode(SaveMode.ErrorIfExists).partitionBy(partitionColumns(Schema.RUNS)).parquet(runsDir);
            long runsRows = spark.read().schema(Schema.struct(Schema.RUNS)).parquet(runsDir).count();
            check(runsRows == points, "runs rows written " + runsRows + ", expected " + points);
            LOG.info("sweep {}: simulate and write layers {} s, verify layers and write runs {} s", spec.name(),
                    String.format("%.2f", (layersWritten - startNanos) / 1e9),
                    String.format("%.2f", (System.nanoTime() - layersWritten) / 1e9));

            TreeSet<String> blasSeen = new TreeSet<>(blas.value());
            warnIfFallback(blasSeen);
            double kernelSeconds = kernelNanos.value() / 1e9;
            Instant finished = Instant.now();
            Manifest.Facts facts = new Manifest.Facts(out.target().toString(), spark.version(), jsc.master(),
                    jsc.sc().applicationId(), jsc.defaultParallelism(), blasSeen, new TreeSet<>(kernels.value()),
                    started, finished, kernelSeconds, points, chains.size(), bins.size(), runsRows, layersRows);
            Manifest.write(out.fileSystem(), new Path(staging, Views.MANIFEST), Manifest.build(spec, facts));

            out.commit(staging, options.overwrite());
            committed = true;
            Dataset<Row> runs = Views.table(spark, List.of(out.target().toString()), Views.RUNS, Schema.RUNS);
            double wall = (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
            LOG.info("sweep {} written to {}: {} runs rows, {} layers rows, {} s wall, {} s kernel",
                    spec.name(), out.target(), runsRows, layersRows, wall, kernelSeconds);
            return new Result(out.target(), points, chains.size(), bins.size(), layersRows, wall, kernelSeconds,
                    List.copyOf(blasSeen), runs);
        } finally {
            if (progress != null) {
                progress.close();
            }
            jsc.clearJobGroup();
            if (!committed) {
                out.discard(staging);
            }
        }
    }

    /** Refuses, before anything is written, a chain whose buffers exceed a task's share of executor memory. */
    private static void checkMemory(JavaSparkContext jsc, List<Chain> chains) {
        org.apache.spark.SparkConf conf = jsc.getConf();
        double fraction = conf.getDouble("spark.memory.fraction", MemoryBudget.DEFAULT_MEMORY_FRACTION);
        long heap;
        int tasks;
        String where;
        if (jsc.master().startsWith("local")) {
            heap = Runtime.getRuntime().maxMemory();
            tasks = jsc.defaultParallelism();
            where = "local mode: driver heap " + MemoryBudget.mib(heap) + " shared by " + tasks + " tasks";
        } else {
            heap = MemoryBudget.parseSize(conf.get("spark.executor.memory", "1g"));
            tasks = Math.max(1, conf.getInt("spark.executor.cores", 1) / Math.max(1, conf.getInt("spark.task.cpus", 1)));
            where = "spark.executor.memory " + conf.get("spark.executor.memory", "1g") + " shared by " + tasks + " tasks";
        }
        MemoryBudget.check(chains, MemoryBudget.perTask(heap, tasks, fraction), where);
    }

    private static String[] partitionColumns(Map<String, Schema.Column> table) {
        return Schema.partitionColumns(table).toArray(new String[0]);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static void warnIfFallback(TreeSet<String> seen) {
        List<String> fallback = seen.stream().filter(b -> !b.endsWith("JNIBLAS")).toList();
        if (!fallback.isEmpty()) {
            LOG.warn("BLAS: executors used the Java fallback {} instead of native OpenBLAS; sweeps run several times"
                    + " slower. Install libopenblas0-pthread (Debian/Ubuntu) on every worker.", fallback);
        }
    }

    /**
     * The executor side: one {@link ForwardPass} (buffers reused across chains) per partition; rows
     * are produced chain by chain, so a partition holds at most one chain's rows at a time.
     */
    static final class Simulate implements FlatMapFunction<Iterator<List<Chain>>, Row> {
        private static final long serialVersionUID = 1L;
        private final String sweep;
        private final Broadcast<Map<String, double[]>> inputData;
        private final LongAccumulator kernelNanos;
        private final CollectionAccumulator<String> blas;
        private final CollectionAccumulator<String> kernels;
        private final CollectionAccumulator<Row> runRows;

        Simulate(String sweep, Broadcast<Map<String, double[]>> inputData, LongAccumulator kernelNanos,
                CollectionAccumulator<String> blas, CollectionAccumulator<String> kernels, CollectionAccumulator<Row> runRows) {
            this.sweep = sweep;
            this.inputData = inputData;
            this.kernelNanos = kernelNanos;
            this.blas = blas;
            this.kernels = kernels;
            this.runRows = runRows;
        }

        @Override
        public Iterator<Row> call(Iterator<List<Chain>> partition) {
            blas.add(Gemm.implementation());
            kernels.add(Kernels.route());
            ForwardPass pass = new ForwardPass();
            Iterator<Chain> chains = partition.hasNext()
                    ? partition.next().iterator()
                    : Collections.<Chain>emptyIterator();
            return new Iterator<>() {
                private Iterator<Row> current = Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!current.hasNext() && chains.hasNext()) {
                        Chain chain = chains.next();
                        long t0 = System.nanoTime();
                        String data = chain.params().inputData();
                        ChainResult result = pass.run(chain.params(), data == null ? null : inputData.value().get(data));
                        kernelNanos.add(System.nanoTime() - t0);
                        for (GridPoint point : chain.points()) {
                            runRows.add(RowEncoder.runRow(sweep, chain, point, result));
                        }
                        current = RowEncoder.layerRows(sweep, chain, result).iterator();
                    }
                    return current.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current.next();
                }
            };
        }
    }
}
