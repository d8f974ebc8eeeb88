package io.initsweep.cli;

import io.initsweep.job.LocalFiles;
import io.initsweep.job.OutputDir;
import io.initsweep.report.ReportException;
import io.initsweep.spec.SpecException;
import io.initsweep.tables.Views;
import java.io.PrintWriter;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code initsweep} command line. Exit codes: 0 success, 1 a run failed, 2 bad input
 * (usage, spec, an output that already holds results, a SQL error) with one line on stderr and
 * nothing written.
 */
@Command(name = "initsweep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sweeps weight initializers × activations × std-devs × depths × seeds on Spark and writes"
                + " per-layer statistics and histograms to Parquet.",
        subcommands = {RunCommand.class, PlanCommand.class, ValidateCommand.class, SqlCommand.class, ReportCommand.class, ExploreCommand.class,
                CatalogueCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, plan, validate, sql, report or explore");
    }

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (inYarnApplicationMaster()) {
            // YARN cluster mode: the ApplicationMaster reports the application's final status when
            // main returns or throws; System.exit would end it before, and YARN would call it failed.
            if (code != 0) {
                throw new IllegalStateException("initsweep exited with code " + code + " (its reason is on stderr above)");
            }
            return;
        }
        System.exit(code);
    }

    /** Whether this driver runs inside YARN's ApplicationMaster (spark-submit's cluster mode on YARN). */
    static boolean inYarnApplicationMaster() {
        return System.getProperty("spark.master", "").startsWith("yarn")
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /** Runs a command line and returns its exit code; never calls System.exit. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        LocalFiles.useByDefault();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("initsweep: " + oneLine(ex.getMessage()));
            CommandLine c = ex.getCommandLine();
            err.println("try: " + c.getCommandSpec().qualifiedName() + " --help");
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (isUsageError(ex)) {
                err.println("initsweep: " + oneLine(ex.getMessage()));
                err.flush();
                return EXIT_USAGE;
            }
            if (ex instanceof io.initsweep.job.DiskFullException || ex instanceof Views.OutputChangedException) {
                // the run failed for a reason the user can act on, said in full in one line
                err.println("initsweep: " + c.getCommandName() + " failed: " + oneLine(ex.getMessage()));
                err.flush();
                return EXIT_FAILED;
            }
            err.println("initsweep: " + c.getCommandName() + " failed: " + oneLine(String.valueOf(ex.getMessage())));
            ex.printStackTrace(err);
            err.flush();
            return EXIT_FAILED;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static boolean isUsageError(Exception ex) {
        return ex instanceof SpecException || ex instanceof OutputDir.OutputExistsException
                || ex instanceof Views.NotASweepException || ex instanceof Views.DamagedOutputException || ex instanceof io.initsweep.job.MemoryBudget.TooLargeException || ex instanceof AnalysisException
                || ex instanceof ReportException || ex instanceof CommandLine.ParameterException;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String first = message.strip().lines().findFirst().orElse("");
        return first.length() > 2000 ? first.substring(0, 2000) + "..." : first;
    }

    /** The version line: the project version and the git revision it was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.Properties git = io.initsweep.job.Manifest.gitProperties();
            String commit = git.getProperty("git.commit.id.full", "unknown");
            return new String[] {"initsweep " + git.getProperty("git.build.version", "unknown") + " ("
                    + commit.substring(0, Math.min(12, commit.length()))
                    + (Boolean.parseBoolean(git.getProperty("git.dirty", "false")) ? ", dirty" : "") + ")"};
        }
    }
}
