package io.initsweep.cli;

import io.initsweep.sim.SchemeDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code initsweep catalogue --markdown | --csv}: the scheme tables and list, derived from the
 * registries; {@code docs/schemes.md} and {@code docs/schemes.csv} are this command's output.
 */
@Command(name = "catalogue", mixinStandardHelpOptions = true,
        description = "Print the initializer and activation tables (--markdown, docs/schemes.md) or the scheme list"
                + " (--csv, docs/schemes.csv), derived from the registries; no Spark.")
final class CatalogueCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Format format;

    static final class Format {
        @Option(names = "--markdown", description = "the tables of docs/schemes.md", required = true)
        boolean markdown;

        @Option(names = "--csv", description = "the scheme list of docs/schemes.csv", required = true)
        boolean csv;
    }

    @Override
    public Integer call() {
        command.commandLine().getOut().print(format.markdown ? SchemeDocs.markdown() : SchemeDocs.csv());
        command.commandLine().getOut().flush();
        return 0;
    }
}
