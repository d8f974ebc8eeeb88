package io.initsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.LocalSpark;
import io.initsweep.cli.Cli.Outcome;
import io.initsweep.tables.Schema;
import io.initsweep.tables.Views;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/** {@code initsweep sql --out DIR} without a query: the prompt, on a real line editor over a written sweep. */
class SqlShellTest {
    private static final String SPEC = """
            name: shell
            seed: 5
            network: { width: 6, batch: 10 }
            grid:
              init: [normal, xavier_normal]
              activation: [tanh]
              std: [1.0, 0.1]
              depth: [2, 4]
              seed: [0]
            stats: { bins: 4 }
            """;
    /** (2 stds of normal + xavier) × 1 activation × 2 depths × 1 seed. */
    private static final int POINTS = 3 * 2;
    /** One layer row per layer of every grid point: depths 2 and 4. */
    private static final int LAYER_ROWS = 3 * (2 + 4);

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path out;

    @BeforeAll
    static void sweep() throws IOException {
        spark = LocalSpark.start("local[2]");
        out = dir.resolve("out");
        Path spec = Files.writeString(dir.resolve("shell.yaml"), SPEC);
        Outcome r = Cli.run("run", spec.toString(), "--out", out.toString(), "--quiet", "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SqlShell shell() {
        SqlCommand formats = new SqlCommand();
        formats.format = SqlCommand.Format.csv;
        formats.maxRows = 1000;
        return new SqlShell(spark, List.of(out.toString()), formats::printAll);
    }

    /** The shell's output for {@code input} piped into it (no terminal: the plain reader). */
    private static String type(String input) {
        StringWriter o = new StringWriter();
        int code = shell().run(new BufferedReader(new StringReader(input)), new PrintWriter(o));
        assertThat(code).isZero();
        return o.toString();
    }

    @Test
    void statementsSpanLinesShareALineAndKeepSemicolonsInQuotes() {
        String o = type("""
                SELECT count(*) AS n
                  FROM runs
                 WHERE init = 'normal';
                SELECT count(*) AS l FROM layers; SELECT 'a;b' AS s;
                \\q
                SELECT 'after quit' AS never;
                """);
        // normal has 2 stds × 2 depths grid points; every grid point has its depth in layer rows
        assertThat(o).contains("n\n4\n").contains("l\n" + LAYER_ROWS + "\n").contains("s\na;b\n")
                .doesNotContain("after quit");
        assertThat(o.lines().filter(l -> l.matches("\\(\\d+\\.\\d\\d s\\)"))).hasSize(3);
    }

    @Test
    void aFailingStatementPrintsOneErrorLineAndThePromptGoesOn() {
        String o = type("""
                SELECT no_such_column FROM runs;
                SELEC 1;
                \\x
                SELECT count(*) AS n FROM runs;
                """);
        List<String> errors = o.lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).contains("no_such_column");
        assertThat(errors.get(2)).contains("unknown command \\x");
        assertThat(o).contains("n\n" + POINTS + "\n");
    }

    @Test
    void backslashDListsTheViewsAndAViewsColumnsWithTheirMeaning() {
        String o = type("\\d\n\\d layers\n\\d nope\n");
        // every view with its rows and columns: the schema's columns plus `output`, the sweep's directory
        assertThat(o).containsPattern("\\nruns +" + POINTS + " +" + (Schema.RUNS.size() + 1) + "\\n");
        assertThat(o).containsPattern("\\nlayers +" + LAYER_ROWS + " +" + (Schema.LAYERS.size() + 1) + "\\n");
        // one row per layer and bin (4 bins)
        assertThat(o).containsPattern("\\nhistograms +" + LAYER_ROWS * 4 + " ");
        assertThat(o).containsPattern("\\ntraining +0 ").containsPattern("\\nsweeps +1 ");
        for (var c : Schema.LAYERS.entrySet()) {
            assertThat(o).as(c.getKey()).contains(c.getKey() + " ").contains(c.getValue().description());
        }
        assertThat(o).contains("error: no view 'nope'");
    }

    @Test
    void theLineEditorTakesAMultiLineStatementAsOneHistoryEntry() throws Exception {
        Path history = dir.resolve("history");
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Terminal t = new DumbTerminal(in, screen);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = runner.submit(() -> shell().run(t, true, history));
            // each line is typed once the screen shows what the previous one produced: the editor
            // drops keys still unread when its input ends
            type(keys, screen, "SELECT count(*) AS n\nFROM runs;\n", "(");
            type(keys, screen, "\\q\n", null);
            keys.close();
            assertThat(code.get(60, TimeUnit.SECONDS)).isZero();
        } finally {
            runner.shutdownNow();
            t.close();
        }
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains(SqlShell.PROMPT).contains("n\n" + POINTS + "\n");
        List<String> entries = Files.readAllLines(history);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).contains("SELECT count(*) AS n").contains("FROM runs;");
        assertThat(entries.get(1)).endsWith("\\q");
    }

    /** Types {@code line}, then waits until the screen shows {@code expect} after what it showed before. */
    private static void type(PipedOutputStream keys, ByteArrayOutputStream screen, String line, String expect)
            throws Exception {
        int before = screen.size();
        keys.write(line.getBytes(StandardCharsets.UTF_8));
        keys.flush();
        if (expect == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!screen.toString(StandardCharsets.UTF_8).substring(before).contains(expect)) {
            assertThat(System.nanoTime()).as("the screen never showed %s: %s", expect, screen).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void completenessFollowsQuotesAndComments() {
        assertThat(SqlShell.complete("SELECT 1;")).isTrue();
        assertThat(SqlShell.complete("SELECT 1; -- done")).isTrue();
        assertThat(SqlShell.complete("SELECT ';' AS s")).isFalse();
        assertThat(SqlShell.complete("SELECT 1 -- ;")).isFalse();
        assertThat(SqlShell.complete("SELECT 'it''s';")).isTrue();
        assertThat(SqlShell.complete("\\d layers")).isTrue();
        assertThat(SqlShell.statements("SELECT 1; SELECT ';'; -- c;")).containsExactly("SELECT 1", "SELECT ';'");
    }

    @Test
    void aSweepReplacedBetweenReadsIsReadAgain() throws IOException {
        Path target = dir.resolve("replaced");
        Path spec = dir.resolve("shell.yaml");
        assertThat(Cli.run("run", spec.toString(), "--out", target.toString(), "--quiet", "--summary-rows", "0").code())
                .isZero();
        Views.Registered views = new Views.Registered(spark, List.of(target.toString()));
        assertThat(views.read(() -> spark.table(Views.RUNS).count())).isEqualTo(POINTS);
        Path smaller = Files.writeString(dir.resolve("smaller.yaml"), SPEC.replace("depth: [2, 4]", "depth: [3]"));
        Outcome r = Cli.run("run", smaller.toString(), "--out", target.toString(), "--overwrite", "--quiet",
                "--summary-rows", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(views.read(() -> spark.table(Views.RUNS).count())).isEqualTo(POINTS / 2);
        assertThat(views.read(() -> spark.table(Views.LAYERS).count())).isEqualTo(3 * 3);
    }
}
