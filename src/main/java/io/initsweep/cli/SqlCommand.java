package io.initsweep.cli;

import io.initsweep.tables.Views;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code initsweep sql --out DIR [QUERY | --file FILE]}: Spark SQL over written sweeps; neither opens {@link SqlShell}. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Query written sweeps with Spark SQL. Views: runs, layers, histograms (one row per run_id, layer,"
                + " bin with lo, hi, count), jacobian, training, sweeps (one row per manifest). Without QUERY or --file:"
                + " a prompt (statements end with ';'; \\d lists the views, \\d NAME a view's columns, \\q quits).")
final class SqlCommand implements Callable<Integer> {
    enum Format { table, csv, json }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @CommandLine.Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "A sweep's output directory, repeatable (unioned)")
    List<String> outputs;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the query from a file, e.g. jobs/sql/saturation_by_layer.sql")
    Path file;

    @Parameters(paramLabel = "QUERY", arity = "0..1", description = "The query; without it and --file, a prompt")
    String query;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (JSON lines); default ${DEFAULT-VALUE}")
    Format format;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "1000",
            description = "Most rows printed (default ${DEFAULT-VALUE}; 0 = all)")
    int maxRows;

    @Override
    public Integer call() {
        CommandLine cli = command.commandLine();
        if (file != null && query != null) {
            throw new CommandLine.ParameterException(cli, "give at most one of QUERY or --file FILE (neither: a prompt)");
        }
        if (maxRows < 0) {
            throw new CommandLine.ParameterException(cli, "--max-rows must be >= 0, found " + maxRows);
        }
        if (file == null && query == null) {
            try (Sessions s = Sessions.open("initsweep sql", sparkOptions.master, sparkOptions.confs, cli)) {
                return new SqlShell(s.spark, outputs, this::printAll).runOnSystemTerminal(cli.getOut());
            }
        }
        String statement = Views.statement(query != null ? query : read(file, cli));
        try (Sessions s = Sessions.open("initsweep sql", sparkOptions.master, sparkOptions.confs, cli, outputs)) {
            // the whole result is collected from one version of each sweep, then printed
            String printed = Views.readConsistently(s.spark, outputs, () -> {
                java.io.StringWriter text = new java.io.StringWriter();
                stoppedAtMaxRows = false;
                print(s.spark.sql(statement), new PrintWriter(text));
                return text.toString();
            });
            cli.getOut().print(printed);
            cli.getOut().flush();
            if (stoppedAtMaxRows) {
                cli.getErr().printf("initsweep: output stopped at --max-rows %d; raise it or add LIMIT%n", maxRows);
                cli.getErr().flush();
            }
        }
        return 0;
    }

    /** One result at the prompt, with the --max-rows note on the same stream. */
    void printAll(Dataset<Row> result, PrintWriter w) {
        stoppedAtMaxRows = false;
        print(result, w);
        if (stoppedAtMaxRows) {
            w.printf("(output stopped at --max-rows %d; add LIMIT or start the prompt with a larger --max-rows)%n", maxRows);
            w.flush();
        }
    }

    /** Whether the last result printed had more rows than --max-rows. */
    private boolean stoppedAtMaxRows;

    private void print(Dataset<Row> result, PrintWriter w) {
        Dataset<Row> shown = maxRows > 0 ? result.limit(maxRows + 1) : result;
        switch (format) {
            case json -> {
                List<String> lines = shown.toJSON().collectAsList();
                lines.stream().limit(maxRows > 0 ? maxRows : Long.MAX_VALUE).forEach(w::println);
                truncated(lines.size(), w);
            }
            case csv -> {
                List<String> names = List.of(result.columns());
                w.println(String.join(",", names.stream().map(SqlCommand::csv).toList()));
                List<Row> rows = shown.collectAsList();
                rows.stream().limit(maxRows > 0 ? maxRows : Long.MAX_VALUE).forEach(r -> {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < r.length(); i++) {
                        Object v = r.get(i);
                        cells.add(v == null ? "" : csv(TextTable.format(v, true)));
                    }
                    w.println(String.join(",", cells));
                });
                truncated(rows.size(), w);
            }
            case table -> {
                List<String> names = new ArrayList<>();
                for (StructField f : result.schema().fields()) {
                    names.add(f.name());
                }
                TextTable t = new TextTable(names);
                List<Row> rows = shown.collectAsList();
                rows.stream().limit(maxRows > 0 ? maxRows : Long.MAX_VALUE).forEach(r -> {
                    List<Object> v = new ArrayList<>();
                    for (int i = 0; i < r.length(); i++) {
                        v.add(r.get(i));
                    }
                    t.add(v, true);
                });
                t.print(w);
                truncated(rows.size(), w);
                w.printf("(%d row%s)%n", Math.min(rows.size(), maxRows > 0 ? maxRows : rows.size()), rows.size() == 1 ? "" : "s");
            }
        }
        w.flush();
    }

    private void truncated(int fetched, PrintWriter w) {
        if (maxRows > 0 && fetched > maxRows) {
            stoppedAtMaxRows = true;
        }
    }

    private static String read(Path f, CommandLine cli) {
        if (!Files.isRegularFile(f)) {
            throw new CommandLine.ParameterException(cli, "--file " + f + " does not exist or is not a file");
        }
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
