package io.initsweep.job;

import io.initsweep.blas.Blas;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.GradientResult;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Kernels;
import io.initsweep.sim.TrainingResult;
import io.initsweep.spec.Chain;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SweepSpec;
import io.initsweep.tables.ParquetRows;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import io.initsweep.theory.ChainTheory;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
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
 * The Spark driver of a sweep: expands the grid into chains, cuts them into waves, and for each
 * wave packs its chains into cost-balanced partitions, runs each chain's forward pass on an
 * executor, writes the wave's layers table (rows stream from the tasks) and runs table (one small
 * row per grid point, returned with the tasks), checks both row counts on disk and records the
 * wave as done. When every wave is done it merges the waves' files into the tables, checks the
 * counts again, writes the manifest and moves the finished directory into place (see
 * {@link Waves}). A killed driver loses at most the wave it was computing; {@code resume}
 * computes only the chains no done wave holds.
 */
public final class SweepJob {
    private static final Logger LOG = LoggerFactory.getLogger(SweepJob.class);

    private static final int RUN_ID = Schema.index(Schema.RUNS, "run_id");
    /** Position of the sample column in a jacobian row. */
    private static final int JACOBIAN_SAMPLE = Schema.index(Schema.JACOBIAN, "sample");

    /** Grid points per wave unless the run asks otherwise. */
    public static final long DEFAULT_WAVE_SIZE = 10_000;

    private SweepJob() {}

    /**
     * @param output directory to write (a Hadoop path: local, hdfs://, ...)
     * @param overwrite replace results already there (and an interrupted sweep's, unless resuming)
     * @param partitions Spark partitions per wave; 0 = {@link Planner#defaultPartitions}
     * @param progress where progress lines go (grid points done, rate, ETA); null for none
     * @param resume finish the interrupted sweep at {@code output}, computing only what no done
     *     wave holds; a sweep already complete there is left as it is
     * @param waveSize grid points per wave, at most (a chain is never split); 0 = {@link #DEFAULT_WAVE_SIZE}
     * @param maxWaves compute at most this many waves now and leave the rest for a resume; 0 = all
     */
    public record Options(String output, boolean overwrite, int partitions, PrintWriter progress, boolean resume,
            long waveSize, int maxWaves) {
        /** Options of a whole run in one attempt, without progress lines. */
        public Options(String output, boolean overwrite, int partitions) {
            this(output, overwrite, partitions, null, false, 0, 0);
        }

        long effectiveWaveSize() {
            return waveSize > 0 ? waveSize : DEFAULT_WAVE_SIZE;
        }
    }

    /** How a run ended. */
    public enum Outcome {
        /** Every wave is done and the output is in place. */
        COMPLETE,
        /** Stopped after {@link Options#maxWaves} waves as asked; finish with a resume. */
        STOPPED,
        /** Resume found the output already complete and computed nothing. */
        ALREADY_COMPLETE
    }

    /**
     * The waves of a run: how many there are in the sweep, how many were done before this run (a
     * resume) and how many this run computed, and how many unfinished waves it discarded.
     */
    public record WaveCounts(Outcome outcome, long waveSize, int total, int doneBefore, long pointsBefore, int computed,
            long pointsComputed, int discarded) {}

    /**
     * What a run did; {@code runs} is the written runs table, read back (null unless the outcome is
     * complete). Times and counts of this run; {@code kernelSeconds} covers every done wave.
     */
    public record Result(Path output, long gridPoints, long chains, int partitions, long layersRows,
            double wallSeconds, double kernelSeconds, List<String> blas, Dataset<Row> runs, WaveCounts waves) {}

    public static Result run(SparkSession spark, SweepSpec spec, Options options) {
        Instant started = Instant.now();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        OutputDir out = OutputDir.of(options.output(), jsc.hadoopConfiguration());
        try (OutputDir.Lock lock = lockSoon(out)) {
            // every read of the output's state happens under the lock: no other run changes it meanwhile
            check(out, options);
            return locked(spark, jsc, spec, options, out, started);
        } catch (Exception | org.apache.hadoop.fs.FSError e) { // Spark throws its checked exceptions unchecked
            throw diskFullOr(e, out);
        }
    }

    /**
     * The output's lock, waiting up to 2 s for a holder that is only checking the output (another
     * run's check before Spark starts holds it for milliseconds); a run that writes holds it longer
     * and this one is then refused.
     */
    private static OutputDir.Lock lockSoon(OutputDir out) {
        for (int attempt = 0; ; attempt++) {
            try {
                return out.lock();
            } catch (OutputDir.OutputExistsException held) {
                if (attempt == 20) {
                    throw held;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw held;
                }
            }
        }
    }

    /** {@code e} as a one-line disk-full failure when that is its cause; else {@code e} itself. */
    private static RuntimeException diskFullOr(Throwable e, OutputDir out) {
        Optional<DiskFullException> full = DiskFullException.ifDiskFull(e, out.target());
        if (full.isPresent()) {
            return full.get();
        }
        throw SweepJob.<RuntimeException>rethrow(e);
    }

    /** Throws {@code e} as it is, checked or not (the compiler is told it is an {@code E}). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable e) throws E {
        throw (E) e;
    }

    /**
     * Refuses, before anything is computed, an output this run may not write: results already
     * there (without {@code overwrite}, unless resuming a complete sweep), or an interrupted sweep
     * (without {@code resume} or {@code overwrite}).
     *
     * @throws OutputDir.OutputExistsException with a one-line reason
     */
    public static void check(String output, org.apache.hadoop.conf.Configuration conf, Options options) {
        OutputDir out = OutputDir.of(output, conf);
        try (OutputDir.Lock lock = out.lock()) {
            check(out, options);
        } catch (Exception | org.apache.hadoop.fs.FSError e) { // Spark throws its checked exceptions unchecked
            throw diskFullOr(e, out);
        }
    }

    /** {@link #check(String, org.apache.hadoop.conf.Configuration, Options)} for a caller that holds the lock. */
    private static void check(OutputDir out, Options options) {
        Optional<Waves> interrupted = Waves.find(out);
        if (options.resume() && interrupted.isEmpty() && complete(out)) {
            Views.verify(out.fileSystem().getConf(), out.target().toString()); // "complete" only if whole
            return;
        }
        if (options.resume() && interrupted.isEmpty()) {
            try {
                Views.requireManifest(out.fileSystem(), out.target());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (interrupted.isPresent() && !options.resume() && !options.overwrite()) {
            Waves w = interrupted.get();
            if (w.readyToCommit(Views.MANIFEST)) {
                throw new OutputDir.OutputExistsException("output " + shown(out.target()) + " holds a finished sweep that"
                        + " was not yet moved into place; pass --resume to move it there or --overwrite to start over");
            }
            List<Waves.Done> done = w.hasState() ? w.done() : List.of();
            throw new OutputDir.OutputExistsException("output " + shown(out.target()) + " holds an interrupted sweep ("
                    + done.stream().mapToLong(Waves.Done::points).sum() + " grid points done, in " + done.size()
                    + " waves); pass --resume to finish it or --overwrite to start over");
        }
        if (interrupted.isPresent() && interrupted.get().inPlace()) {
            // the target holds this sweep's files already: it holds results only under a manifest not this sweep's
            if (!options.overwrite() && complete(out) && !interrupted.get().committed()) {
                throw new OutputDir.OutputExistsException("output " + shown(out.target()) + " already holds results;"
                        + " pass --overwrite to replace them or --out DIR to write elsewhere");
            }
            return;
        }
        out.checkWritable(options.overwrite());
    }

    private static boolean complete(OutputDir out) {
        try {
            return out.fileSystem().exists(new Path(out.target(), Views.MANIFEST));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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
        long waveSize = options.effectiveWaveSize();
        Optional<Waves> found = Waves.find(out);
        if (options.resume() && found.isEmpty() && complete(out)) {
            out.removeAsides(); // left by a run that died after moving its sweep into place
            Waves.removeLeftover(out); // left by a run that died at the end of an in-place commit
            Dataset<Row> runs = Views.table(spark, List.of(out.target().toString()), Views.RUNS, Schema.RUNS);
            LOG.info("sweep {}: {} is already complete; nothing to resume", spec.name(), out.target());
            return new Result(out.target(), runs.count(), chains.size(), 0, 0, seconds(started, Instant.now()), 0,
                    List.of(), runs, new WaveCounts(Outcome.ALREADY_COMPLETE, waveSize, 0, 0, 0, 0, 0, 0));
        }
        Waves.Identity identity = new Waves.Identity(spec.sha256(),
                java.util.stream.Stream.concat(spec.inputs().stream().filter(i -> i.isData()).map(i -> i.sha256()),
                        spec.stats().trainings().stream().filter(t -> t.hasData()).map(t -> t.dataSha256()).distinct())
                        .sorted().toList(),
                Manifest.gitProperties().getProperty("git.commit.id.full", "unknown"));
        if (found.isPresent() && options.resume() && !found.get().hasState() && !found.get().readyToCommit(Views.MANIFEST)
                && !found.get().done().isEmpty()) {
            throw new Views.DamagedOutputException(shown(new Path(found.get().dir(), Waves.STATE)) + " is missing, but"
                    + " waves are recorded as done; the interrupted sweep cannot be resumed (pass --overwrite without"
                    + " --resume to start over)");
        }
        if (found.isPresent() && (!options.resume()
                || (!found.get().hasState() && !found.get().readyToCommit(Views.MANIFEST)))) {
            // --overwrite without --resume: start over (check() allowed nothing else); or an attempt
            // that died before its state was written, which can hold no done wave
            found.get().delete();
            found = Optional.empty();
        }
        if (found.isPresent() && !found.get().readyToCommit(Views.MANIFEST)) {
            Optional<String> why = identity.mismatch(found.get().identity());
            if (why.isPresent()) {
                throw new OutputDir.OutputExistsException("cannot resume " + shown(out.target()) + ": its interrupted sweep"
                        + " was started with " + why.get() + "; pass --overwrite without --resume to start over");
            }
        }
        Waves waves = found.orElseGet(() -> Waves.create(out, identity, points, chains.size(), started.toString()));
        if (waves.readyToCommit(Views.MANIFEST)) {
            if (waves.inPlace()) {
                // killed after the manifest committed the sweep: only deleting what it does not list is left
                waves.cleanUpCommitted(listed(out));
            } else {
                // killed after the manifest was written: only the final rename is left
                waves.cleanUp();
                out.commit(waves.dir(), options.overwrite());
            }
            Faults.at(Faults.COMMITTED);
            Dataset<Row> runs = Views.table(spark, List.of(out.target().toString()), Views.RUNS, Schema.RUNS);
            return new Result(out.target(), points, chains.size(), 0, expectedLayers, seconds(started, Instant.now()), 0,
                    List.of(), runs, new WaveCounts(Outcome.COMPLETE, waveSize, 0, 0, points, 0, 0, 0));
        }
        int discarded = waves.discardUnfinished();
        waves.verifyDone(jsc.hadoopConfiguration());
        List<Waves.Done> before = waves.done();
        java.util.Set<String> doneIds = new java.util.HashSet<>();
        before.forEach(d -> doneIds.addAll(d.chainIds()));
        List<Chain> todo = chains.stream().filter(c -> !doneIds.contains(c.chainId())).toList();
        long pointsBefore = points - todo.stream().mapToLong(c -> c.points().size()).sum();
        List<List<Chain>> plan = Planner.waves(todo, waveSize);
        int firstWave = before.stream().mapToInt(Waves.Done::wave).max().orElse(-1) + 1;
        int totalWaves = before.size() + plan.size();
        long largestWave = plan.stream().mapToLong(w -> w.stream().mapToLong(c -> c.points().size()).sum()).max().orElse(0);
        if (!before.isEmpty() || discarded > 0) {
            LOG.info("sweep {}: resuming: {} of {} grid points done in {} waves; discarded {} unfinished wave(s)",
                    spec.name(), pointsBefore, points, before.size(), discarded);
        }
        LOG.info("sweep {}: {} grid points in {} chains to compute in {} waves of at most {} grid points (largest {});"
                + " a driver lost mid-sweep loses at most one wave; driver BLAS {}, kernels {}", spec.name(),
                points - pointsBefore, todo.size(), plan.size(), waveSize, largestWave, Blas.info().describe(), Kernels.route());

        CollectionAccumulator<String> blas = jsc.sc().collectionAccumulator("initsweep BLAS");
        CollectionAccumulator<String> kernels = jsc.sc().collectionAccumulator("initsweep kernel route");
        Broadcast<Map<String, double[]>> matrices = jsc.broadcast(data.matrices());
        String jobGroup = "initsweep-" + java.util.UUID.randomUUID();
        Progress progress = options.progress() == null ? null
                : new Progress(jsc.sc(), points, pointsBefore, options.progress(), 2.0);
        int partitionsUsed = 0;
        int computed = 0;
        long pointsComputed = 0;
        try {
            for (int i = 0; i < plan.size(); i++) {
                if (options.maxWaves() > 0 && computed == options.maxWaves()) {
                    LOG.info("sweep {}: stopped after {} wave(s) as asked; {} of {} grid points done", spec.name(), computed,
                            pointsBefore + pointsComputed, points);
                    return new Result(out.target(), points, chains.size(), partitionsUsed, 0, seconds(started, Instant.now()),
                            0, List.copyOf(new TreeSet<>(blas.value())), null, new WaveCounts(Outcome.STOPPED, waveSize,
                                    totalWaves, before.size(), pointsBefore, computed, pointsComputed, discarded));
                }
                Waves.Done d = runWave(spark, jsc, spec.name(), matrices, plan.get(i), firstWave + i, waves,
                        options.partitions(), jobGroup, progress, blas, kernels);
                waves.markDone(d);
                Faults.at(Faults.WAVE_DONE);
                partitionsUsed += d.partitions();
                computed++;
                pointsComputed += d.points();
            }
            if (progress != null) {
                progress.finished();
                progress.close();
                progress = null;
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
            jsc.clearJobGroup();
        }
        List<Waves.Done> all = waves.done();
        check(all.stream().mapToLong(Waves.Done::points).sum() == points,
                "done waves hold " + all.stream().mapToLong(Waves.Done::points).sum() + " grid points, expected " + points);

        // every wave is done: merge (unless written in place), check the whole tables, write the manifest,
        // move into place (or, in place, the manifest's put is the commit)
        boolean inPlace = waves.inPlace();
        if (!inPlace) {
            waves.mergeTables(Waves.TABLES);
        }
        Path dir = inPlace ? out.target() : waves.dir();
        org.apache.hadoop.conf.Configuration hadoop = jsc.hadoopConfiguration();
        org.apache.hadoop.fs.FileSystem fs = out.fileSystem();
        java.util.function.ToLongFunction<String> rowsOf = table -> inPlace
                ? ParquetRows.count(fs, waves.doneFiles(table), hadoop) : ParquetRows.count(new Path(dir, table), hadoop);
        long jacobianExpected = expectedJacobianRows(chains);
        if (jacobianExpected > 0) {
            long jacobianRows = rowsOf.applyAsLong(Views.JACOBIAN);
            check(jacobianRows == jacobianExpected && all.stream().mapToLong(Waves.Done::jacobianRows).sum() == jacobianRows,
                    "jacobian rows written " + jacobianRows + ", expected " + jacobianExpected);
        }
        long trainingCounted = all.stream().mapToLong(Waves.Done::trainingRows).sum();
        if (trainingCounted > 0 || chains.stream().anyMatch(c -> c.params().stats().training() != null)) {
            long trainingRows = rowsOf.applyAsLong(Views.TRAINING);
            check(trainingRows == trainingCounted, "training rows written " + trainingRows + ", expected " + trainingCounted);
        }
        long layersRows = rowsOf.applyAsLong(Views.LAYERS);
        check(layersRows == expectedLayers, "layers rows written " + layersRows + ", expected " + expectedLayers);
        ParquetRows.Ids runIds = inPlace ? ParquetRows.ids(fs, waves.doneFiles(Views.RUNS), "run_id", hadoop)
                : ParquetRows.ids(new Path(dir, Views.RUNS), "run_id", hadoop);
        long runsRows = runIds.rows();
        check(runsRows == points && runIds.distinct() == points && runIds.malformed() == 0,
                "runs rows written " + runsRows + " with " + runIds.distinct() + " distinct run ids ("
                        + runIds.malformed() + " malformed), expected " + points);

        TreeSet<String> blasSeen = new TreeSet<>(blas.value());
        warnIfFallback(blasSeen);
        double kernelSeconds = all.stream().mapToDouble(Waves.Done::kernelSeconds).sum();
        Instant finished = Instant.now();
        int partitionsAll = all.stream().mapToInt(Waves.Done::partitions).sum();
        Manifest.Facts facts = new Manifest.Facts(out.target().toString(), spark.version(), jsc.master(),
                jsc.sc().applicationId(), jsc.defaultParallelism(), blasSeen, new TreeSet<>(kernels.value()),
                Instant.parse(waves.started()), finished, kernelSeconds, points, chains.size(), partitionsAll, runsRows,
                layersRows, waveSize, all);
        Path manifest = new Path(dir, Views.MANIFEST);
        if (inPlace) {
            // the commit: one put of the manifest that lists every data file, replacing any manifest there
            com.fasterxml.jackson.databind.node.ObjectNode m = Manifest.build(spec, facts);
            m.put("commit_id", waves.commitId());
            java.util.Map<String, java.util.Set<String>> listed = new java.util.LinkedHashMap<>();
            com.fasterxml.jackson.databind.node.ObjectNode files = m.putObject(Views.FILES);
            for (String table : Waves.TABLES) {
                List<String> names = new ArrayList<>();
                all.forEach(d -> names.addAll(d.files().getOrDefault(table, List.of())));
                if (!names.isEmpty()) {
                    Collections.sort(names);
                    names.forEach(files.putArray(table)::add);
                    listed.put(table, new java.util.HashSet<>(names));
                }
            }
            Manifest.put(fs, manifest, m);
            Faults.at(Faults.MANIFEST_WRITTEN);
            waves.cleanUpCommitted(listed);
        } else {
            try {
                out.fileSystem().delete(manifest, false); // a kill after writing it, before the rename
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Manifest.write(out.fileSystem(), manifest, Manifest.build(spec, facts));
            Faults.at(Faults.MANIFEST_WRITTEN);
            waves.cleanUp();
            out.commit(dir, options.overwrite());
        }
        Faults.at(Faults.COMMITTED);
        Dataset<Row> runs = Views.table(spark, List.of(out.target().toString()), Views.RUNS, Schema.RUNS);
        double wall = seconds(started, finished);
        LOG.info("sweep {} written to {}: {} runs rows, {} layers rows in {} waves, {} s wall, {} s kernel",
                spec.name(), out.target(), runsRows, layersRows, all.size(), wall, kernelSeconds);
        return new Result(out.target(), points, chains.size(), partitionsUsed, layersRows, wall, kernelSeconds,
                List.copyOf(blasSeen), runs, new WaveCounts(Outcome.COMPLETE, waveSize, totalWaves, before.size(),
                        pointsBefore, computed, pointsComputed, discarded));
    }

    /** The data files the manifest at {@code out} lists, by table (relative to the table's directory). */
    private static java.util.Map<String, java.util.Set<String>> listed(OutputDir out) {
        java.util.Map<String, java.util.Set<String>> listed = new java.util.HashMap<>();
        try {
            for (String table : Waves.TABLES) {
                List<Path> files = Views.listedFiles(out.fileSystem().getConf(), out.target().toString(), table);
                Path tableDir = new Path(out.target(), table);
                java.util.Set<String> names = new java.util.HashSet<>();
                String prefix = out.fileSystem().makeQualified(tableDir).toUri().getPath() + "/";
                if (files != null) {
                    files.forEach(f -> names.add(out.fileSystem().makeQualified(f).toUri().getPath().substring(prefix.length())));
                }
                listed.put(table, names);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return listed;
    }

    /** What writing one table of a wave left on disk: its rows, counted there, and (in place) the files written. */
    private record Written(long rows, List<String> files) {}

    /**
     * Writes {@code rows} as table {@code table} of wave {@code index}: into the wave's own directory,
     * or in place (appended to the target's table directory, the files added being the wave's).
     */
    private static Written write(Dataset<Row> rows, Schema.Table schema, String table, Waves waves, int index,
            org.apache.hadoop.conf.Configuration conf) {
        Path dir = waves.tableDir(index, table);
        try {
            org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
            java.util.Set<Path> before = waves.inPlace() ? new java.util.HashSet<>(ParquetRows.listData(fs, dir)) : java.util.Set.of();
            rows.write().mode(waves.inPlace() ? SaveMode.Append : SaveMode.ErrorIfExists).partitionBy(partitionColumns(schema))
                    .parquet(dir.toString());
            if (!waves.inPlace()) {
                return new Written(ParquetRows.count(dir, conf), List.of());
            }
            List<Path> added = ParquetRows.listData(fs, dir).stream().filter(p -> !before.contains(p)).toList();
            return new Written(ParquetRows.count(fs, added, conf), waves.relative(table, added));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One wave: simulate its chains, write its layers and runs into the wave's directory, and
     * check both counts on disk. The caller records it as done.
     */
    private static Waves.Done runWave(SparkSession spark, JavaSparkContext jsc, String sweep,
            Broadcast<Map<String, double[]>> matrices, List<Chain> wave, int index, Waves waves, int partitionsOption,
            String jobGroup, Progress progress, CollectionAccumulator<String> blas, CollectionAccumulator<String> kernels) {
        Instant started = Instant.now();
        long points = wave.stream().mapToLong(c -> c.points().size()).sum();
        long expectedLayers = wave.stream().flatMap(c -> c.points().stream()).mapToLong(p -> p.depth()).sum();
        int partitions = partitionsOption > 0 ? partitionsOption : Planner.defaultPartitions(wave.size(), jsc.defaultParallelism());
        List<List<Chain>> bins = Planner.balance(wave, partitions);
        LongAccumulator kernelNanos = jsc.sc().longAccumulator("initsweep kernel nanoseconds, wave " + index);
        CollectionAccumulator<Row> runRows = jsc.sc().collectionAccumulator("initsweep runs rows, wave " + index);
        CollectionAccumulator<Row> jacobianRows = jsc.sc().collectionAccumulator("initsweep jacobian rows, wave " + index);
        CollectionAccumulator<Row> trainingRows = jsc.sc().collectionAccumulator("initsweep training rows, wave " + index);
        Path dir = waves.waveDir(index);
        String simulate = jobGroup + "-wave-" + index;
        jsc.setJobGroup(simulate, "initsweep " + sweep + " wave " + index, false);
        if (progress != null) {
            progress.wave(simulate, bins.stream().mapToLong(b -> b.stream().mapToLong(c -> c.points().size()).sum()).toArray());
        }
        long startNanos = System.nanoTime();
        JavaRDD<Row> rows = jsc.parallelize(bins, bins.size())
                .mapPartitions(new Simulate(sweep, matrices, kernelNanos, blas, kernels, runRows, jacobianRows,
                        trainingRows));
        org.apache.hadoop.conf.Configuration conf = jsc.hadoopConfiguration();
        Map<String, List<String>> files = new LinkedHashMap<>();
        if (waves.inPlace()) {
            mkdirs(dir, conf); // marks the wave as begun: a resume counts it as discarded
        }
        Written layers = write(spark.createDataFrame(rows, Schema.struct(Schema.LAYERS)), Schema.LAYERS, Views.LAYERS, waves,
                index, conf);
        files.put(Views.LAYERS, layers.files());
        Faults.at(Faults.WAVE_LAYERS_WRITTEN);
        long layersWritten = System.nanoTime();
        jsc.setJobGroup(jobGroup + "-check-" + index, "initsweep " + sweep + " wave " + index + ": check and write runs", false);
        long layersRows = layers.rows();
        check(layersRows == expectedLayers, "wave " + index + ": layers rows written " + layersRows + ", expected " + expectedLayers);
        // runs rows came back with the tasks; a retried task sends its (identical) rows again
        Map<String, Row> byRunId = new LinkedHashMap<>();
        for (Row r : runRows.value()) {
            byRunId.putIfAbsent(r.getString(RUN_ID), r);
        }
        int runsPartitions = (int) Math.max(1, Math.min(bins.size(), points / 200_000 + 1));
        // coalesce, not repartition: the rows are local, a shuffle would be a second job
        Written runs = write(spark.createDataFrame(new ArrayList<>(byRunId.values()), Schema.struct(Schema.RUNS))
                .coalesce(runsPartitions), Schema.RUNS, Views.RUNS, waves, index, conf);
        files.put(Views.RUNS, runs.files());
        long runsRows = runs.rows();
        check(runsRows == points, "wave " + index + ": runs rows written " + runsRows + ", expected " + points);
        long jacobianExpected = expectedJacobianRows(wave);
        long jacobianWritten = 0;
        if (jacobianExpected > 0) {
            // a retried task sends its (identical) rows again: one per run id and sample
            Map<String, Row> byKey = new LinkedHashMap<>();
            for (Row r : jacobianRows.value()) {
                byKey.putIfAbsent(r.getString(RUN_ID) + "|" + r.getInt(JACOBIAN_SAMPLE), r);
            }
            Written jacobian = write(spark.createDataFrame(new ArrayList<>(byKey.values()), Schema.struct(Schema.JACOBIAN))
                    .coalesce(runsPartitions), Schema.JACOBIAN, Views.JACOBIAN, waves, index, conf);
            files.put(Views.JACOBIAN, jacobian.files());
            jacobianWritten = jacobian.rows();
            check(jacobianWritten == jacobianExpected,
                    "wave " + index + ": jacobian rows written " + jacobianWritten + ", expected " + jacobianExpected);
        }
        // one training row per recorded step: each runs row says how many its point recorded
        long trainingExpected = 0;
        int recordsAt = Schema.index(Schema.RUNS, "train_records");
        for (Row r : byRunId.values()) {
            trainingExpected += r.isNullAt(recordsAt) ? 0 : r.getInt(recordsAt);
        }
        long trainingWritten = 0;
        if (trainingExpected > 0) {
            // a retried task sends its (identical) rows again: one per run id and step
            Map<String, Row> byKey = new LinkedHashMap<>();
            int stepAt = Schema.index(Schema.TRAINING, "step");
            for (Row r : trainingRows.value()) {
                byKey.putIfAbsent(r.getString(RUN_ID) + "|" + r.getInt(stepAt), r);
            }
            Written training = write(spark.createDataFrame(new ArrayList<>(byKey.values()), Schema.struct(Schema.TRAINING))
                    .coalesce(runsPartitions), Schema.TRAINING, Views.TRAINING, waves, index, conf);
            files.put(Views.TRAINING, training.files());
            trainingWritten = training.rows();
            check(trainingWritten == trainingExpected,
                    "wave " + index + ": training rows written " + trainingWritten + ", expected " + trainingExpected);
        }
        Faults.at(Faults.WAVE_RUNS_WRITTEN);
        LOG.info("sweep {} wave {}: {} grid points; simulate and write layers {} s, check and write runs {} s", sweep, index,
                points, String.format("%.2f", (layersWritten - startNanos) / 1e9),
                String.format("%.2f", (System.nanoTime() - layersWritten) / 1e9));
        return new Waves.Done(index, wave.stream().map(Chain::chainId).toList(), points, layersRows, runsRows,
                kernelNanos.value() / 1e9, jsc.sc().applicationId(), started.toString(), Instant.now().toString(),
                bins.size(), jacobianWritten, trainingWritten,
                waves.inPlace() ? nonEmpty(files) : Map.of());
    }

    /** {@code files} without its empty lists. */
    private static Map<String, List<String>> nonEmpty(Map<String, List<String>> files) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        files.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, List.copyOf(v));
            }
        });
        return Map.copyOf(out);
    }

    private static void mkdirs(Path dir, org.apache.hadoop.conf.Configuration conf) {
        try {
            dir.getFileSystem(conf).mkdirs(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Jacobian rows the chains write: one per grid point and sample, for chains with gradients. */
    static long expectedJacobianRows(List<Chain> chains) {
        long n = 0;
        for (Chain c : chains) {
            var g = c.params().stats().gradients();
            if (g != null) {
                n += (long) c.points().size() * g.jacobianSamples(c.params().batch());
            }
        }
        return n;
    }

    private static double seconds(Instant from, Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }

    private static String shown(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
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

    private static String[] partitionColumns(Schema.Table table) {
        return Schema.partitionColumns(table).toArray(new String[0]);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static void warnIfFallback(TreeSet<String> seen) {
        List<String> fallback = seen.stream().filter(b -> b.contains(JAVA_BLAS)).toList();
        if (!fallback.isEmpty()) {
            LOG.warn("BLAS: executors used the Java fallback instead of native OpenBLAS; sweeps run several times"
                    + " slower: {}", fallback);
        }
    }

    private static final String JAVA_BLAS = ": Java BLAS (";

    /** One executor's BLAS as the manifest records it: {@code executor ID: what it runs on}. */
    static String executorBlas() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        return "executor " + (env == null ? "driver" : env.executorId()) + ": " + Blas.info().describe();
    }

    /**
     * The distinct BLAS the executors ran on, without executor ids and library paths, for the
     * one-line summary {@code run} prints.
     */
    public static List<String> blasSummaries(List<String> executorBlas) {
        return executorBlas.stream().map(b -> b.substring(b.indexOf(": ") + 2))
                .map(b -> b.replaceFirst("; /[^\\[]*", "").trim()).distinct().sorted().toList();
    }

    /**
     * Runs of consecutive chains with one unit network ({@link io.initsweep.sim.ChainParams#unitKey}),
     * every other chain alone. The planner puts a unit network's chains next to each other.
     */
    static List<List<Chain>> consecutiveUnits(List<Chain> bin) {
        List<List<Chain>> groups = new ArrayList<>();
        for (Chain c : bin) {
            Object key = c.params().unitKey();
            List<Chain> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (key != null && last != null && key.equals(last.get(0).params().unitKey())) {
                last.add(c);
            } else {
                List<Chain> g = new ArrayList<>();
                g.add(c);
                groups.add(g);
            }
        }
        return groups;
    }

    /**
     * The executor side: one {@link ForwardPass} (buffers reused across chains) per partition; rows
     * are produced chain by chain (a unit network's chains together), so a partition holds at most
     * one group's rows at a time.
     */
    static final class Simulate implements FlatMapFunction<Iterator<List<Chain>>, Row> {
        private static final long serialVersionUID = 1L;
        private final String sweep;
        private final Broadcast<Map<String, double[]>> inputData;
        private final LongAccumulator kernelNanos;
        private final CollectionAccumulator<String> blas;
        private final CollectionAccumulator<String> kernels;
        private final CollectionAccumulator<Row> runRows;
        private final CollectionAccumulator<Row> jacobianRows;
        private final CollectionAccumulator<Row> trainingRows;

        Simulate(String sweep, Broadcast<Map<String, double[]>> inputData, LongAccumulator kernelNanos,
                CollectionAccumulator<String> blas, CollectionAccumulator<String> kernels, CollectionAccumulator<Row> runRows,
                CollectionAccumulator<Row> jacobianRows, CollectionAccumulator<Row> trainingRows) {
            this.sweep = sweep;
            this.inputData = inputData;
            this.kernelNanos = kernelNanos;
            this.blas = blas;
            this.kernels = kernels;
            this.runRows = runRows;
            this.jacobianRows = jacobianRows;
            this.trainingRows = trainingRows;
        }

        @Override
        public Iterator<Row> call(Iterator<List<Chain>> partition) {
            KernelWarmup.stop(); // local mode: the warm-up gives its core back to the tasks
            blas.add(executorBlas());
            kernels.add(Kernels.route());
            ForwardPass pass = new ForwardPass();
            List<Chain> bin = partition.hasNext() ? partition.next() : List.of();
            Iterator<List<Chain>> groups = consecutiveUnits(bin).iterator();
            return new Iterator<>() {
                private Iterator<Row> current = Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!current.hasNext() && groups.hasNext()) {
                        List<Chain> group = groups.next();
                        long t0 = System.nanoTime();
                        String data = group.get(0).params().inputData();
                        double[] matrix = data == null ? null : inputData.value().get(data);
                        ChainResult[] results = group.size() == 1
                                ? new ChainResult[] {pass.run(group.get(0).params(), matrix)}
                                : pass.runGroup(group.stream().map(Chain::params).toList(), matrix);
                        kernelNanos.add(System.nanoTime() - t0);
                        List<Row> rows = new ArrayList<>();
                        for (int i = 0; i < group.size(); i++) {
                            Chain chain = group.get(i);
                            ChainTheory theory = RowEncoder.theory(chain, results[i]);
                            List<GradientResult> gradients = null;
                            if (chain.params().stats().gradients() != null) {
                                // a chain with gradients runs alone (no unitKey): its tape is the pass's last
                                long b0 = System.nanoTime();
                                gradients = new ArrayList<>();
                                for (GridPoint point : chain.points()) {
                                    gradients.add(pass.backward(chain.params(), point.depth()));
                                }
                                int[] depths = chain.points().stream().mapToInt(GridPoint::depth).toArray();
                                var spectra = pass.jacobian(chain.params(), depths);
                                kernelNanos.add(System.nanoTime() - b0);
                                for (Row r : RowEncoder.jacobianRows(sweep, chain, spectra)) {
                                    jacobianRows.add(r);
                                }
                            }
                            List<TrainingResult> trained = null;
                            if (chain.params().stats().training() != null) {
                                // so does a chain with training: the pass's tape holds its initial weights
                                long tt0 = System.nanoTime();
                                trained = new ArrayList<>();
                                for (GridPoint point : chain.points()) {
                                    var setup = chain.params().stats().training();
                                    TrainingResult tr = pass.train(chain.params(), point.depth(),
                                            setup.hasData() ? inputData.value().get(setup.dataMatrixKey()) : null);
                                    trained.add(tr);
                                    for (Row r : RowEncoder.trainingRows(sweep, chain, point, tr)) {
                                        trainingRows.add(r);
                                    }
                                }
                                kernelNanos.add(System.nanoTime() - tt0);
                            }
                            for (int pi = 0; pi < chain.points().size(); pi++) {
                                runRows.add(RowEncoder.runRow(sweep, chain, chain.points().get(pi), results[i], theory,
                                        gradients == null ? null : gradients.get(pi), trained == null ? null : trained.get(pi)));
                            }
                            rows.addAll(RowEncoder.layerRows(sweep, chain, results[i], theory, gradients));
                        }
                        current = rows.iterator();
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
