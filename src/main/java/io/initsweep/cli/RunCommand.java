package io.initsweep.cli;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;

import io.initsweep.job.KernelWarmup;
import io.initsweep.job.SweepJob;
import io.initsweep.report.Report;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code initsweep run SPEC}: runs a sweep and prints a summary of its grid points. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the sweep a job spec describes and write runs/, layers/ and manifest.json.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @CommandLine.Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @Parameters(paramLabel = "SPEC", description = "YAML job spec, e.g. jobs/seeds.yaml")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: the spec's output, else out/<name>)")
    String out;

    @Option(names = "--overwrite", description = "Replace results already in the output directory")
    boolean overwrite;

    @Option(names = "--quiet", description = "No progress lines (grid points done, rate, ETA) on stderr")
    boolean quiet;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spark partitions per wave (default: 2 per core, at most one per chain)")
    int partitions;

    @Option(names = "--resume", description = "Finish the interrupted sweep in the output directory: compute only the"
            + " waves not yet done (a complete output is left as it is)")
    boolean resume;

    @Option(names = "--wave-size", paramLabel = "N", defaultValue = "" + SweepJob.DEFAULT_WAVE_SIZE,
            description = "Grid points per wave, at most (default ${DEFAULT-VALUE}); each wave is committed when done,"
                    + " so a killed driver loses at most one wave")
    long waveSize;

    @Option(names = "--waves", paramLabel = "N",
            description = "Compute at most N waves now and stop; finish later with --resume (default: all)")
    int maxWaves;

    @Option(names = "--report", description = "After the run, write the HTML report to the output directory (report.html)")
    boolean report;

    @Option(names = "--explore", description = "After the run, write the interactive explorer page to the output directory"
            + " (explore.html)")
    boolean explore;

    @Option(names = "--summary-rows", paramLabel = "N", defaultValue = "50",
            description = "Grid points shown in the summary (default ${DEFAULT-VALUE})")
    int summaryRows;

    @Option(names = "--no-warmup",
            description = "Local mode: do not warm up (JIT-compile) the kernel on a spare core while Spark starts")
    boolean noWarmup;

    /** The longest the kernel warm-up may run (it stops earlier when the first task starts). */
    static final long WARMUP_LIMIT_NANOS = 5_000_000_000L;

    @Override
    public Integer call() {
        CommandLine cli = command.commandLine();
        if (partitions < 0) {
            throw new CommandLine.ParameterException(cli, "--partitions must be >= 1, found " + partitions);
        }
        if (waveSize < 1) {
            throw new CommandLine.ParameterException(cli, "--wave-size must be >= 1, found " + waveSize);
        }
        if (maxWaves < 0) {
            throw new CommandLine.ParameterException(cli, "--waves must be >= 1, found " + maxWaves);
        }
        if (summaryRows < 0) {
            throw new CommandLine.ParameterException(cli, "--summary-rows must be >= 0, found " + summaryRows);
        }
        SweepSpec spec = SpecParser.parseFile(specFile);
        String output = out != null ? out : spec.outputOrDefault();
        SweepJob.Options options = new SweepJob.Options(output, overwrite, partitions, quiet ? null : cli.getErr(), resume,
                waveSize, maxWaves);
        if (isLocal(output)) {
            // fail before Spark starts; the job checks again on its own file system
            SweepJob.check(output, hadoopConf(sparkOptions.confs), options);
        }
        if (!noWarmup && !spec.hasDataInput() && Sessions.startsLocal(sparkOptions.master)) {
            KernelWarmup.start(spec, WARMUP_LIMIT_NANOS);
        }
        PrintWriter w = cli.getOut();
        try (Sessions s = Sessions.open("initsweep " + spec.name(), sparkOptions.master, sparkOptions.confs, cli)) {
            SweepJob.Result r = SweepJob.run(s.spark, spec, options);
            SweepJob.WaveCounts waves = r.waves();
            if (waves.outcome() == SweepJob.Outcome.ALREADY_COMPLETE) {
                w.printf("sweep %s: %s is already complete (%d grid points); nothing to resume%n", spec.name(),
                        display(r.output()), r.gridPoints());
                return 0;
            }
            if (waves.doneBefore() > 0 || waves.discarded() > 0) {
                w.printf("resumed: %d grid points were done in %d waves; %d unfinished wave(s) discarded; computed %d grid"
                        + " points in %d waves%n", waves.pointsBefore(), waves.doneBefore(), waves.discarded(),
                        waves.pointsComputed(), waves.computed());
            }
            if (waves.outcome() == SweepJob.Outcome.STOPPED) {
                w.printf("sweep %s: stopped after %d of %d waves as asked: %d of %d grid points done; finish with%n"
                        + "  initsweep run %s --out %s --resume%n", spec.name(), waves.doneBefore() + waves.computed(),
                        waves.total(), waves.pointsBefore() + waves.pointsComputed(), r.gridPoints(), specFile, output);
                return 0;
            }
            w.printf("sweep %s: %d grid points (%d chains, %d waves of at most %d points, %d partitions, %d layer rows)"
                    + " in %.1f s, kernel %.2f s; BLAS %s%n", spec.name(), r.gridPoints(), r.chains(), waves.total(),
                    waves.waveSize(), r.partitions(), r.layersRows(), r.wallSeconds(), r.kernelSeconds(),
                    String.join(", ", SweepJob.blasSummaries(r.blas())));
            printSummary(w, spec, r);
            w.printf("output: %s (runs/, layers/%s%s, manifest.json)%n", display(r.output()),
                    spec.stats().gradients() != null && spec.stats().gradients().jacobianSamples() > 0 ? ", jacobian/" : "",
                    spec.stats().trainings().isEmpty() ? "" : ", training/");
            w.printf("query:  initsweep sql --out %s \"SELECT init, activation, layer, act_std, saturation_rate FROM layers\"%n",
                    output);
            w.flush();
            if (report) {
                String target = Report.defaultTarget(output);
                ReportCommand.print(w, ReportCommand.render(s.spark, output, target, false, null,
                        ReportCommand.targetName(null, target)));
            }
            if (explore) {
                String target = io.initsweep.explore.Explorer.defaultTarget(output);
                ExploreCommand.print(w, ExploreCommand.write(s.spark, output, target, false,
                        ExploreCommand.targetName(null, target), io.initsweep.explore.Explorer.DEFAULT_MAX_LAYER_ROWS));
            }
        }
        return 0;
    }

    private void printSummary(PrintWriter w, SweepSpec spec, SweepJob.Result r) {
        List<String> header = new ArrayList<>(List.of("init", "activation", "init_std", "weight_std"));
        // the network axes appear when the spec varies them
        if (spec.widths().size() > 1) {
            header.add("width");
        }
        if (spec.batches().size() > 1) {
            header.add("batch");
        }
        if (spec.inputs().size() > 1) {
            header.add("input");
        }
        if (spec.inputWidths().size() > 1) {
            header.add("input_width");
        }
        if (spec.biasStds().size() > 1) {
            header.add("bias_std");
        }
        if (spec.dtypes().size() > 1) {
            header.add("dtype");
        }
        boolean training = !spec.stats().trainings().isEmpty();
        if (training) {
            header.addAll(List.of("optimizer", "lr"));
        }
        header.addAll(List.of("depth", "seed", "act_std", "saturation_rate", "dead_unit_rate"));
        if (training) {
            header.addAll(List.of("final_test_loss", "trained"));
        }
        Column initOrder = array_position(ids(spec.inits().stream().map(i -> i.scheme().id())), col("init"));
        Column actOrder = array_position(ids(spec.activations().stream().map(a -> a.activation().id())), col("activation"));
        List<Row> rows = r.runs()
                .orderBy(initOrder, col("init_value"), actOrder, col("activation_param"), col("init_std"), col("width"),
                        col("batch"), col("input"), col("input_width"), col("bias_std"), col("dtype"), col("optimizer"), col("lr"), col("seed"), col("depth"))
                .select(header.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
                .limit(summaryRows)
                .collectAsList();
        TextTable t = new TextTable(header);
        for (Row row : rows) {
            List<Object> v = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                v.add(row.get(i));
            }
            t.add(v, false);
        }
        t.print(w);
        if (r.gridPoints() > rows.size()) {
            w.printf("... %d more grid points; query them with initsweep sql%n", r.gridPoints() - rows.size());
        }
    }

    /** An array literal of distinct ids in spec order, to sort rows as the spec lists them. */
    private static Column ids(java.util.stream.Stream<String> ids) {
        return array(ids.distinct().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
    }

    /** A local output as a plain path, anything else as its URI. */
    static String display(org.apache.hadoop.fs.Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** A Hadoop configuration with the {@code --conf spark.hadoop.K=V} options as Spark would set them (e.g. the commit protocol). */
    static Configuration hadoopConf(List<String> confs) {
        Configuration conf = new Configuration();
        for (String kv : confs) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.startsWith("spark.hadoop.")) {
                conf.set(kv.substring("spark.hadoop.".length(), eq), kv.substring(eq + 1));
            }
        }
        return conf;
    }

    static boolean isLocal(String output) {
        String scheme = new org.apache.hadoop.fs.Path(output).toUri().getScheme();
        return scheme == null || "file".equals(scheme);
    }
}
