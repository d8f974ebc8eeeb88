package io.initsweep.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process, as the tests of every room drive it. */
public final class Cli {
    private Cli() {}

    /** What a command printed and returned. */
    public record Outcome(int code, String out, String err) {}

    /** {@code initsweep args…}, with stdout and stderr captured. */
    public static Outcome run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(new PrintWriter(o), new PrintWriter(e), args);
        return new Outcome(code, o.toString(), e.toString());
    }
}
