package io.initsweep.cli;

import io.initsweep.report.Report;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * OUT_DIR, {@code --to} and {@code --overwrite} of the commands that write one HTML page of a
 * written sweep ({@code report}, {@code explore}), and the refusals that need no Spark.
 */
final class PageOptions {
    @Parameters(paramLabel = "OUT_DIR", description = "A sweep's output directory (written by initsweep run)")
    String out;

    @Option(names = "--to", paramLabel = "FILE", description = "The HTML file to write (default: OUT_DIR/${COMMAND-NAME}.html)")
    String to;

    @Option(names = "--overwrite", description = "Replace the file if it exists")
    boolean overwrite;

    /** The file to write: {@code --to}, else {@code defaultTarget}. */
    String target(String defaultTarget) {
        return to != null ? to : defaultTarget;
    }

    /** How messages name the target: the option when one was given, else "{@code what} PATH". */
    static String targetName(String to, String target, String what) {
        return to != null ? "--to " + to : what + " " + target;
    }

    /** Refuses, before Spark starts and with nothing written, a local OUT_DIR without a sweep and a target that cannot be written. */
    void refuseEarly(String target, String name) {
        if (RunCommand.isLocal(out)) {
            ReportCommand.requireSweep(out);
        }
        if (RunCommand.isLocal(target)) {
            Report.checkTarget(target, overwrite, new Configuration(), name);
        }
    }
}
