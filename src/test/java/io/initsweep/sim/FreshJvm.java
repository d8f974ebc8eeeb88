package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's main in a fresh JVM with the Vector API module and C2 (the test JVM stops at
 * C1), the test classpath and serial GC, and returns what it printed; it must exit 0 in time.
 */
final class FreshJvm {
    private FreshJvm() {}

    static List<String> lines(Class<?> main, int timeoutSeconds, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseSerialGC"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("%s finished in %d s", main.getSimpleName(),
                    timeoutSeconds).isTrue();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.exitValue()).as("%s exit code", main.getSimpleName()).isZero();
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}
