package io.initsweep.cli;

import io.initsweep.sim.SchemeDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code initsweep catalogue --markdown | --csv | --yaml}: the scheme tables, list and catalogue sweep, derived
 * from the registries; {@code docs/schemes.md}, {@code docs/schemes.csv} and {@code jobs/catalogue.yaml} are this
 * command's output.
 */
@Command(name = "catalogue", mixinStandardHelpOptions = true,
        description = "Print the initializer and activation tables (--markdown, docs/schemes.md), the scheme list"
                + " (--csv, docs/schemes.csv) or the catalogue sweep (--yaml, jobs/catalogue.yaml), derived from the"
                + " registries; no Spark.")
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

        @Option(names = "--yaml", description = "the catalogue sweep, jobs/catalogue.yaml", required = true)
        boolean yaml;
    }

    @Override
    public Integer call() {
        command.commandLine().getOut().print(format.markdown ? SchemeDocs.markdown()
                : format.yaml ? SchemeDocs.catalogueYaml() : SchemeDocs.csv());
        command.commandLine().getOut().flush();
        return 0;
    }
}
