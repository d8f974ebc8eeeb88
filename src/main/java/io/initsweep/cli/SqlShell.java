package io.initsweep.cli;

import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code initsweep sql --out DIR} without a query: a prompt over the sweeps' views in one Spark
 * session, so that after the session's start every query costs only itself. A statement ends
 * with {@code ;} and may span lines (one history entry); several on a line run in turn.
 * Backslash commands: {@code \d} lists the views with their row and column counts, {@code \d NAME}
 * a view's columns with type and meaning, {@code \h} helps, {@code \q} (or {@code quit},
 * {@code exit}, end of input) leaves. History is kept in {@code ~/.initsweep_history}. A failing
 * statement prints one {@code error:} line and the prompt goes on. The views are registered once
 * and again only when a sweep was replaced ({@link Views.Registered}).
 */
final class SqlShell {
    static final String PROMPT = "initsweep> ";
    static final String CONTINUATION = "        -> ";
    private static final String HELP = """
            Spark SQL over the sweeps' views; end a statement with ';' (it may span lines).
              \\d          the views, with their rows and columns
              \\d NAME     a view's columns: name, type, meaning
              \\h          this help
              \\q          quit (also: quit, exit, Ctrl-D)
            Examples: SELECT init, activation, layer, act_std FROM layers WHERE layer = 5;
                      SHOW TABLES;  DESCRIBE runs;""";

    private final SparkSession spark;
    private final Views.Registered views;
    private final BiConsumer<Dataset<Row>, PrintWriter> printer;

    /**
     * @param printer prints one result (the {@code sql} command's --format and --max-rows)
     */
    SqlShell(SparkSession spark, List<String> outputs, BiConsumer<Dataset<Row>, PrintWriter> printer) {
        this.spark = spark;
        this.views = new Views.Registered(spark, outputs);
        this.printer = printer;
    }

    /**
     * The prompt on the process's terminal; when standard input is not one (statements piped in),
     * a plain reader without prompts or history. Returns the exit code.
     */
    int runOnSystemTerminal(PrintWriter out) {
        if (System.console() == null) {
            return run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out);
        }
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).build()) {
            return run(t, true, Path.of(System.getProperty("user.home"), ".initsweep_history"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Statements read line by line from {@code in} until its end or a quit: piped input, no prompts. */
    int run(BufferedReader in, PrintWriter out) {
        views.read(() -> null);
        StringBuilder text = new StringBuilder();
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                text.append(line).append('\n');
                if (!complete(text.toString())) {
                    continue;
                }
                for (String statement : statements(text.toString())) {
                    if (!execute(statement, out)) {
                        return 0;
                    }
                }
                text.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String statement : statements(text.toString())) { // the last statement may lack its ';'
            if (!execute(statement, out)) {
                break;
            }
        }
        out.flush();
        return 0;
    }

    /** The prompt with a line editor on {@code terminal}: history in {@code history}, completion, multi-line statements. */
    int run(Terminal terminal, boolean prompts, Path history) {
        PrintWriter out = terminal.writer();
        // registered before the first prompt: a damaged or missing sweep fails the command as a query would
        views.read(() -> null);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("initsweep")
                .parser(new StatementParser())
                .completer(new StringsCompleter(words()))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, prompts ? CONTINUATION : "")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL's, not history's
                .build();
        if (prompts) {
            out.println("initsweep sql over " + String.join(", ", views.directories()) + "; \\h for help, \\q to quit");
            out.flush();
        }
        while (true) {
            String text;
            try {
                text = reader.readLine(prompts ? PROMPT : "");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the statement being typed
            } catch (EndOfFileException e) {
                break;
            }
            for (String statement : statements(text)) {
                if (!execute(statement, out)) {
                    saveHistory(reader);
                    return 0;
                }
            }
            out.flush();
        }
        saveHistory(reader);
        out.flush();
        return 0;
    }

    private static void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // history is a convenience: an unwritable home must not end the session with an error
        }
    }

    /** Runs one statement or backslash command; false to quit. */
    boolean execute(String statement, PrintWriter out) {
        String s = statement.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return true;
        }
        if (lower.equals("\\q") || lower.equals("quit") || lower.equals("exit")) {
            return false;
        }
        long start = System.nanoTime();
        try {
            if (lower.equals("\\h") || lower.equals("help")) {
                out.println(HELP);
            } else if (lower.equals("\\d")) {
                out.print(views.read(this::listViews));
            } else if (lower.startsWith("\\d ")) {
                String name = s.substring(3).strip();
                out.print(views.read(() -> describe(name)));
            } else if (s.startsWith("\\")) {
                out.println("error: unknown command " + s.split("\\s+")[0] + "; \\d, \\d NAME, \\h or \\q");
                return true;
            } else {
                String text = views.read(() -> {
                    StringWriter w = new StringWriter();
                    printer.accept(spark.sql(Views.statement(s)), new PrintWriter(w));
                    return w.toString();
                });
                out.print(text);
                out.printf(Locale.ROOT, "(%.2f s)%n", (System.nanoTime() - start) / 1e9);
            }
        } catch (Exception e) { // Spark's AnalysisException is checked, thrown unchecked
            out.println("error: " + oneLine(e));
        }
        out.flush();
        return true;
    }

    private String listViews() {
        TextTable t = new TextTable(List.of("view", "rows", "columns"));
        for (String v : viewNames()) {
            Dataset<Row> d = spark.table(v);
            t.add(List.of(v, d.count(), d.columns().length), false);
        }
        StringWriter w = new StringWriter();
        t.print(new PrintWriter(w, true));
        return w.toString();
    }

    private String describe(String name) {
        String view = name.toLowerCase(Locale.ROOT);
        if (!viewNames().contains(view)) {
            return "error: no view '" + name + "'; views: " + String.join(", ", viewNames()) + System.lineSeparator();
        }
        Map<String, Schema.Column> meanings = meanings(view);
        TextTable t = new TextTable(List.of("column", "type", "meaning"));
        for (StructField f : spark.table(view).schema().fields()) {
            Schema.Column c = meanings.get(f.name());
            t.add(List.of(f.name(), f.dataType().simpleString(), c == null || c.description() == null ? "" : c.description()),
                    false);
        }
        StringWriter w = new StringWriter();
        t.print(new PrintWriter(w, true));
        return w.toString();
    }

    private static Map<String, Schema.Column> meanings(String view) {
        return switch (view) {
            case Views.RUNS -> Schema.RUNS;
            case Views.LAYERS -> Schema.LAYERS;
            case Views.JACOBIAN -> Schema.JACOBIAN;
            case Views.TRAINING -> Schema.TRAINING;
            default -> Map.of();
        };
    }

    private static List<String> viewNames() {
        return List.of(Views.RUNS, Views.LAYERS, Views.HISTOGRAMS, Views.JACOBIAN, Views.TRAINING, Views.SWEEPS);
    }

    /** Completion words: the views, their columns, and SQL's common keywords. */
    private List<String> words() {
        TreeSet<String> w = new TreeSet<>(List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT",
                "JOIN", "USING", "AS", "AND", "OR", "NOT", "COUNT", "AVG", "MIN", "MAX", "SUM", "DISTINCT", "DESCRIBE",
                "SHOW", "TABLES", "WITH", "CASE", "WHEN", "THEN", "ELSE", "END", "\\d", "\\h", "\\q"));
        for (String v : viewNames()) {
            w.add(v);
            w.addAll(List.of(spark.table(v).columns()));
        }
        return new ArrayList<>(w);
    }

    /**
     * The statements in {@code text}, split at each {@code ;} outside quotes and {@code --}
     * comments (a backslash command is one statement), and whether the text ends one: a
     * {@code ;} with only blanks and comments after it, outside quotes. Text after the last
     * {@code ;} is a statement too; statements that hold only comments are left out.
     */
    record Scan(List<String> statements, boolean ended) {
        static Scan of(String text) {
            if (text.strip().startsWith("\\")) {
                return new Scan(List.of(text.strip()), true);
            }
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean code = false; // cur holds something outside comments
            boolean ended = false;
            char quote = 0;
            boolean comment = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (comment) {
                    comment = c != '\n';
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (c == '\\' && quote != '`' && i + 1 < text.length()) {
                        cur.append(c);
                        c = text.charAt(++i);
                    }
                } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                    comment = true;
                } else if (c == ';') {
                    if (code) {
                        out.add(cur.toString().strip());
                    }
                    cur.setLength(0);
                    code = false;
                    ended = true;
                    continue;
                } else if (!Character.isWhitespace(c)) {
                    code = true;
                    ended = false;
                    if (c == '\'' || c == '"' || c == '`') {
                        quote = c;
                    }
                }
                cur.append(c);
            }
            if (code) {
                out.add(cur.toString().strip());
            }
            return new Scan(out, ended && quote == 0);
        }
    }

    /** See {@link Scan}. */
    static List<String> statements(String text) {
        return Scan.of(text).statements();
    }

    /** Whether {@code text} is ready to run: empty, a backslash command, a quit word, or ends a statement with ';'. */
    static boolean complete(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        return lower.isEmpty() || lower.equals("quit") || lower.equals("exit") || lower.equals("help") || Scan.of(text).ended();
    }

    /** Accepts a line only when it completes a statement; otherwise the reader asks for the next line. */
    private static final class StatementParser extends DefaultParser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !complete(line)) {
                throw new EOFError(-1, -1, "statement not ended with ';'", ";");
            }
            return super.parse(line, cursor, context);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String first = m.strip().lines().findFirst().orElse(m);
        return first;
    }
}
