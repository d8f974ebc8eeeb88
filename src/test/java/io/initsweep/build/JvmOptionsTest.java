package io.initsweep.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options Spark needs on Java 17 have one source, the pom.xml property
 * {@code spark.jvm.opens}. Surefire and failsafe use it, {@code bin/initsweep} and
 * {@code notebooks/install-kernel.sh} read it through {@code bin/lib/java17.sh}, and
 * {@code jobs/submit/conf/spark-defaults.conf}, which Spark reads as it is, repeats it for the
 * driver and the executors. Any of them that disagrees fails here.
 */
class JvmOptionsTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir"));

    /** The pom's spark.jvm.opens, one option per element. */
    static List<String> pomOptions() throws IOException {
        Matcher m = Pattern.compile("<spark.jvm.opens>(.*?)</spark.jvm.opens>", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("pom.xml has a spark.jvm.opens property").isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    @Test
    void thePomListsTheModuleOptions() throws IOException {
        List<String> options = pomOptions();
        assertThat(options).contains("--add-modules=jdk.incubator.vector,jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED").doesNotHaveDuplicates();
    }

    @Test
    void surefireAndFailsafeStartFromTheProperty() throws IOException {
        Matcher m = Pattern.compile("<argLine>(.*?)</argLine>", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        int argLines = 0;
        while (m.find()) {
            argLines++;
            assertThat(m.group(1).trim()).as("an argLine in pom.xml").startsWith("${spark.jvm.opens} ")
                    .doesNotContain("--add-opens");
        }
        assertThat(argLines).as("argLines in pom.xml (surefire and failsafe)").isEqualTo(2);
    }

    @Test
    void sparkDefaultsRepeatTheListForDriverAndExecutors() throws IOException {
        List<String> expected = pomOptions();
        List<String> lines = Files.readAllLines(ROOT.resolve("jobs/submit/conf/spark-defaults.conf"));
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            List<String> values = lines.stream().filter(l -> l.startsWith(key + " ") || l.startsWith(key + "\t"))
                    .map(l -> l.substring(key.length()).trim()).toList();
            assertThat(values).as("%s in spark-defaults.conf", key).hasSize(1);
            assertThat(Arrays.asList(values.get(0).split("\\s+")))
                    .as("%s in spark-defaults.conf against pom.xml's spark.jvm.opens", key).isEqualTo(expected);
        }
    }

    @Test
    void theScriptsReadTheListFromThePom() throws Exception {
        List<String> read = bash(". bin/lib/java17.sh && spark_jvm_opens pom.xml");
        assertThat(read).as("spark_jvm_opens in bin/lib/java17.sh").isEqualTo(pomOptions());
        for (String script : List.of("bin/initsweep", "notebooks/install-kernel.sh")) {
            String text = Files.readString(ROOT.resolve(script));
            assertThat(text).as(script).contains(". \"$ROOT/bin/lib/java17.sh\"")
                    .contains("spark_jvm_opens \"$ROOT/pom.xml\"").doesNotContain("--add-opens=")
                    .doesNotContain("--add-modules=");
        }
    }

    /** Runs a bash command line in the repository root; returns its stdout lines (it must exit 0). */
    static List<String> bash(String commandLine) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of("bash", "-c", commandLine))).directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(io.initsweep.TimeLimits.waitFor(p, 50)).as("bash %s finished", commandLine).isTrue();
            assertThat(p.exitValue()).as("bash %s exit code", commandLine).isZero();
            return out.lines().toList();
        } finally {
            p.destroyForcibly();
        }
    }
}
