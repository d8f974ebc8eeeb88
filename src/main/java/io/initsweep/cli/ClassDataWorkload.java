package io.initsweep.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workload {@code bin/initsweep} archives classes from (class-data sharing): in one JVM, the
 * commands a user meets first, on a short sweep: {@code run}, {@code report}, one {@code sql}
 * query and {@code explore}. The JVM that runs it is started with
 * {@code -XX:ArchiveClassesAtExit}, so every class these commands load (JDK, Spark, Parquet,
 * Hadoop, the chart and page code, initsweep) is archived and later commands map them instead of
 * loading and verifying them again.
 *
 * <p>Usage: {@code ClassDataWorkload SPEC WORK_DIR}. Exits 0 when every command exited 0; else
 * prints the failing command's output and exits with its code (no archive is kept then).
 */
public final class ClassDataWorkload {
    private ClassDataWorkload() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ClassDataWorkload SPEC WORK_DIR");
            System.exit(Main.EXIT_USAGE);
        }
        String spec = args[0];
        Path work = Path.of(args[1]);
        Files.createDirectories(work);
        String out = work.resolve("out").toString();
        String[][] commands = {
            {"run", spec, "--out", out, "--quiet", "--summary-rows", "0"},
            {"report", out},
            {"sql", "--out", out, "SELECT activation, count(*) AS n FROM layers GROUP BY activation ORDER BY n"},
            {"explore", out},
        };
        for (String[] command : commands) {
            StringWriter text = new StringWriter();
            PrintWriter w = new PrintWriter(text, true);
            int code = Main.execute(w, w, command);
            if (code != 0) {
                System.err.print(text);
                System.err.println("ClassDataWorkload: initsweep " + String.join(" ", command) + " exited with " + code);
                System.exit(code);
            }
        }
        System.exit(0);
    }
}
