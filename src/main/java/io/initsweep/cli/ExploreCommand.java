package io.initsweep.cli;

import io.initsweep.explore.Explorer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code initsweep explore OUT_DIR}: one self-contained interactive HTML page of a written sweep. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Write an interactive, self-contained HTML page of a written sweep (charts, scripts and data inline;"
                + " opens offline): a control per axis of the sweep, the per-layer histograms, act_std and E[A²] with the"
                + " theory, saturation and dead units, gradients and the Jacobian spectrum, training curves, a second"
                + " selection to compare and a phase diagram over any two numeric axes. The selection is kept in the URL.")
final class ExploreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @CommandLine.Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @CommandLine.Mixin
    PageOptions page = new PageOptions();

    @Option(names = "--max-layer-rows", paramLabel = "N", defaultValue = "" + Explorer.DEFAULT_MAX_LAYER_ROWS,
            description = "Most layer rows the page carries (default ${DEFAULT-VALUE}); a larger sweep keeps the smallest"
                    + " seed of each configuration, then evenly spaced configurations, and the page says so")
    int maxLayerRows;

    @Override
    public Integer call() {
        CommandLine cli = command.commandLine();
        if (maxLayerRows < 1) {
            throw new CommandLine.ParameterException(cli, "--max-layer-rows must be >= 1, found " + maxLayerRows);
        }
        String target = page.target(Explorer.defaultTarget(page.out));
        String name = targetName(page.to, target);
        page.refuseEarly(target, name);
        try (Sessions s = Sessions.open("initsweep explore", sparkOptions.master, sparkOptions.confs, cli, java.util.List.of(page.out))) {
            print(cli.getOut(), write(s.spark, page.out, target, page.overwrite, name, maxLayerRows));
        }
        return 0;
    }

    /** Writes the page; a directory without a finished sweep is named as OUT_DIR. */
    static Explorer.Result write(SparkSession spark, String out, String target, boolean overwrite, String name, int maxLayerRows) {
        try {
            return Explorer.write(spark, out, target, overwrite, name, maxLayerRows);
        } catch (io.initsweep.tables.Views.NotASweepException e) {
            throw ReportCommand.notASweep(out);
        }
    }

    static void print(PrintWriter w, Explorer.Result r) {
        w.printf("explorer: %s (%d grid points, %d with their layers on the page, %.1f MB, written in %.1f s)%n", r.file(),
                r.gridPoints(), r.withLayers(), r.bytes() / 1e6, r.seconds());
        if (r.withLayers() < r.gridPoints()) {
            w.println("explorer: " + r.sampling());
        }
        w.flush();
    }

    /** How messages name the target: the option when one was given, else the default's path. */
    static String targetName(String to, String target) {
        return PageOptions.targetName(to, target, "explorer file");
    }
}
