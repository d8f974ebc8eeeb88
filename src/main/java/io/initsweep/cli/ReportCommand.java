package io.initsweep.cli;

import io.initsweep.report.Report;
import io.initsweep.tables.Views;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code initsweep report OUT_DIR}: one self-contained HTML file of a written sweep's figures. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render a written sweep as one self-contained HTML file (figures inline, opens offline): per-layer"
                + " histograms, saturation and dead-unit heatmaps, act_std and E[A²] across layers, the mean-field"
                + " theory over the measured E[A²] and c (and the phase diagram when σ_w² and σ_b² are both swept),"
                + " for sweeps with gradients E[δ²] across layers, the vanishing/exploding heatmaps and the Jacobian"
                + " spectra, for sweeps with training the loss curves, trainability over σ_w² and depth with the"
                + " theory's 6·ξ_c and the units' symmetry over training, the manifest.")
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @CommandLine.Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @CommandLine.Mixin
    PageOptions page = new PageOptions();

    @Option(names = "--histograms", paramLabel = "CONDITION",
            description = "SQL condition on the runs view choosing the histogram rows, e.g. \"activation = 'relu' AND seed = 1\""
                    + " (default: the seed figures' configurations)")
    String histograms;

    @Override
    public Integer call() {
        CommandLine cli = command.commandLine();
        String target = page.target(Report.defaultTarget(page.out));
        String name = targetName(page.to, target);
        page.refuseEarly(target, name);
        try (Sessions s = Sessions.open("initsweep report", sparkOptions.master, sparkOptions.confs, cli, java.util.List.of(page.out))) {
            Report.Result r = render(s.spark, page.out, target, page.overwrite, histograms, name);
            print(cli.getOut(), r);
        }
        return 0;
    }

    /** Renders and writes the report; a directory without a finished sweep is named as OUT_DIR. */
    static Report.Result render(SparkSession spark, String out, String target, boolean overwrite, String histograms,
            String name) {
        try {
            return Report.write(spark, out, target, overwrite, histograms, name);
        } catch (Views.NotASweepException e) {
            throw notASweep(out);
        }
    }

    static void print(PrintWriter w, Report.Result r) {
        w.printf("report: %s (%d figures, %.1f MB, rendered in %.1f s)%n", r.file(), r.figures(), r.bytes() / 1e6, r.seconds());
        w.flush();
    }

    /** How messages name the target: the option when one was given, else the default's path. */
    static String targetName(String to, String target) {
        return PageOptions.targetName(to, target, "report file");
    }

    /** Refuses, before Spark starts, a local OUT_DIR without a finished sweep (a damaged one is named as such). */
    static void requireSweep(String out) {
        java.nio.file.Path dir = java.nio.file.Path.of(new org.apache.hadoop.fs.Path(out).toUri().getPath());
        if (!java.nio.file.Files.isRegularFile(dir.resolve(Views.MANIFEST))) {
            try {
                Views.requireManifest(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                        new org.apache.hadoop.fs.Path(dir.toUri()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw notASweep(out);
        }
    }

    static Views.NotASweepException notASweep(String out) {
        return new Views.NotASweepException("OUT_DIR " + out + " holds no finished sweep (no " + Views.MANIFEST
                + "); give a directory written by 'initsweep run'");
    }
}
