package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a class's main in a fresh JVM with the Vector API module and C2 (the test JVM stops at
 * C1), the test classpath and serial GC, and returns what it printed; it must exit 0 in time.
 * The JVM logs its compilations ({@code -XX:+PrintCompilation}, on stderr), so that a test can
 * check that C2 did compile the methods whose compiled code it means to compare, and compiles in
 * the foreground ({@code -Xbatch}: the thread that made a method hot waits for its compilation), so
 * that on a loaded machine C2's code is installed before a short loop is over.
 */
final class FreshJvm {
    private FreshJvm() {}

    /** What the JVM printed on stdout, and its {@code -XX:+PrintCompilation} lines. */
    record Output(List<String> lines, List<String> compilations) {
        /**
         * Asserts that C2 (tier 4) compiled each method, named {@code Class::method} with the class's
         * simple name in {@code io.initsweep.sim}, as a standard or an on-stack-replacement compilation.
         */
        void assertCompiledByC2(String... methods) {
            List<String> c2 = compilations.stream().filter(l -> tier(l) == 4 && !l.contains("made not"))
                    .filter(l -> l.contains("io.initsweep.")).toList();
            for (String method : methods) {
                String name = "io.initsweep.sim." + method;
                assertThat(c2).as("C2 compilations of %s; initsweep's tier-4 compilations were:%n%s", name,
                        String.join("\n", c2)).anyMatch(l -> l.contains(name + " "));
            }
        }
    }

    static List<String> lines(Class<?> main, int limitJvmStarts, String... jvmOptions) throws Exception {
        return run(main, limitJvmStarts, jvmOptions).lines();
    }

    /**
     * Runs {@code main} in a fresh JVM, which must finish within {@code limitJvmStarts} times the
     * measured start of a JVM on this machine ({@link io.initsweep.TimeLimits}).
     */
    static Output run(Class<?> main, int limitJvmStarts, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "-XX:+IgnoreUnrecognizedVMOptions", "-XX:PerMethodTrapLimit=100000", "-XX:+UseSerialGC", "-Xbatch", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+DisplayVMOutputToStderr", "-XX:+PrintCompilation"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Path log = Files.createTempFile("fresh-jvm", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            assertThat(io.initsweep.TimeLimits.waitFor(p, limitJvmStarts)).as("%s finished within %d JVM starts (%s)",
                    main.getSimpleName(), limitJvmStarts, io.initsweep.TimeLimits.jvmStarts(limitJvmStarts)).isTrue();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.exitValue()).as("%s exit code", main.getSimpleName()).isZero();
            return new Output(lines, Files.readAllLines(log, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /**
     * The tier of a PrintCompilation line ("time id [flags] tier method (size)"), or -1 for any
     * other line.
     */
    static int tier(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].matches("\\d+") || !f[1].matches("\\d+")) {
            return -1;
        }
        for (int i = 2; i < f.length - 1; i++) {
            if (f[i].matches("[0-4]")) {
                return Integer.parseInt(f[i]);
            }
            if (!f[i].matches("[%sbn!]+")) {
                return -1;
            }
        }
        return -1;
    }
}
