package io.initsweep.job;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code initsweep ARGS…} as a process of its own (the test classpath and this JVM's module
 * options, Spark in local mode with one core), for the tests that need a driver that really dies
 * or two drivers that really race.
 */
public final class DriverProcess {
    private DriverProcess() {}

    /** Starts {@code initsweep args…} with the system properties {@code props} ("-Dk=v"); output to {@code log}. */
    public static Process start(Path log, List<String> props, String... args) throws java.io.IOException {
        List<String> cmd = java();
        cmd.add("-Xmx1g");
        Path tmp = Path.of("target", "tmp").toAbsolutePath();
        Files.createDirectories(tmp);
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(props);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.initsweep.cli.Main");
        cmd.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run")) {
            cmd.addAll(List.of("--master", "local[1]", "--no-warmup", "--quiet", "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.local.dir=" + tmp.resolve("spark")));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(log.toFile())
                .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** The java command with this JVM's module and VM options (Spark needs the module opens). */
    public static List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Djdk.") || a.startsWith("-Dio.netty") || a.startsWith("--enable-native")
                    || a.startsWith("-XX:")) {
                cmd.add(a);
            }
        }
        return cmd;
    }

    /** What the process wrote to stderr, line by line, once it has ended. */
    public static List<String> stderr(Path log) throws java.io.IOException {
        return Files.readAllLines(log.resolveSibling(log.getFileName() + ".err"));
    }

    /** The lines of {@code stderr} that initsweep itself wrote (Spark's log lines and the JVM's aside). */
    static List<String> ownLines(List<String> stderr) {
        return stderr.stream().filter(l -> l.startsWith("initsweep:") || l.startsWith("\tat ") || l.contains("Exception"))
                .toList();
    }
}
