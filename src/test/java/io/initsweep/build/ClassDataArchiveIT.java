package io.initsweep.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.TimeLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/initsweep}'s class-data archive, as a user meets it: the first Spark command after a
 * build makes {@code target/initsweep.jsa} on its own, and that command and the next ones map the
 * archive's classes; an archive made by another JVM build is made again. The commands run with {@code -Xshare:on}, under which a JVM that cannot map
 * its archive does not start, and log where each class came from.
 */
class ClassDataArchiveIT {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    static final Path ARCHIVE = ROOT.resolve("target/initsweep.jsa");

    @TempDir
    Path dir;

    record Result(int code, String out, String err, List<String> classLoads) {}

    Result initsweep(String name, String... args) throws Exception {
        Path log = dir.resolve(name + ".classes");
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/initsweep").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("INITSWEEP_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + log);
        Process p = pb.start();
        try {
            assertThat(TimeLimits.waitFor(p, 400)).as("bin/initsweep %s finished", String.join(" ", args)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".out")),
                Files.readString(dir.resolve(name + ".err")), Files.readAllLines(log));
    }

    static String source(List<String> classLoads, String className) {
        return classLoads.stream().filter(l -> l.contains("[class,load] " + className + " source: ")).findFirst()
                .map(l -> l.substring(l.indexOf(" source: ") + 9)).orElse("not loaded");
    }

    @Test
    void theFirstSparkCommandAfterABuildMakesTheArchiveAndEveryCommandMapsIt() throws Exception {
        Path jar = ROOT.resolve("target/initsweep-0.1.0.jar");
        assertThat(jar).exists();
        Files.deleteIfExists(ARCHIVE); // as after a build: no archive yet

        Path out = dir.resolve("seeds");
        Result run = initsweep("run", "run", "jobs/seeds.yaml", "--out", out.toString(), "--quiet", "--summary-rows", "0");
        assertThat(run.code()).as("run; stderr:%n%s", run.err()).isZero();
        assertThat(run.err()).contains("initsweep: archiving the classes of a short sweep's commands to " + ARCHIVE)
                .contains("initsweep: wrote " + ARCHIVE);
        assertThat(ARCHIVE).exists();
        assertThat(Files.getLastModifiedTime(ARCHIVE)).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(source(run.classLoads(), "org.apache.spark.sql.classic.SparkSession")).isEqualTo("shared objects file (top)");
        assertThat(source(run.classLoads(), "org.apache.parquet.hadoop.ParquetFileWriter")).isEqualTo("shared objects file (top)");
        assertThat(source(run.classLoads(), "io.initsweep.cli.RunCommand")).isEqualTo("shared objects file (top)");

        // the archive holds what the later commands load too (report's charts, sql's parser), and
        // is not made again
        Result sql = initsweep("sql", "sql", "--out", out.toString(), "SELECT count(*) AS n FROM runs");
        assertThat(sql.code()).as("sql; stderr:%n%s", sql.err()).isZero();
        assertThat(sql.out()).contains("36");
        assertThat(sql.err()).doesNotContain("archiving");
        assertThat(source(sql.classLoads(), "org.apache.spark.sql.catalyst.parser.SqlBaseParser"))
                .isEqualTo("shared objects file (top)");
        Result report = initsweep("report", "report", out.toString());
        assertThat(report.code()).as("report; stderr:%n%s", report.err()).isZero();
        assertThat(report.err()).doesNotContain("archiving");
        assertThat(source(report.classLoads(), "org.knowm.xchart.XYChart")).isEqualTo("shared objects file (top)");
        assertThat(out.resolve("report.html")).isNotEmptyFile();

        // an archive made by another JVM build (a JDK update) is made again, not refused on every
        // command: the archive names the JVM library it was made with
        Path stamp = ROOT.resolve("target/initsweep.jsa.jvm");
        assertThat(Files.readString(stamp)).contains("libjvm.so");
        Files.writeString(stamp, "/another/jdk/lib/server/libjvm.so 1 1\n");
        Result again = initsweep("again", "sql", "--out", out.toString(), "SELECT count(*) AS n FROM layers");
        assertThat(again.code()).as("sql after a JDK update; stderr:%n%s", again.err()).isZero();
        assertThat(again.err()).contains("initsweep: wrote " + ARCHIVE);
        assertThat(Files.readString(stamp)).contains("libjvm.so").doesNotContain("/another/");
        assertThat(source(again.classLoads(), "org.apache.spark.sql.catalyst.parser.SqlBaseParser"))
                .isEqualTo("shared objects file (top)");
    }
}
