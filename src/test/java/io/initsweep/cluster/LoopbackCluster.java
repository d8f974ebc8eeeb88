package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A standalone master and workers on 127.0.0.1 started by {@code jobs/submit/cluster.sh} (the
 * Maven-resolved Spark jars of target/spark-home), stopped by the PIDs it recorded. Also submits
 * jobs to it through {@code jobs/submit/standalone.sh} (bin/spark-submit, client mode).
 */
final class LoopbackCluster implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    final int workers;
    final String masterUrl;
    final String masterWebUi;
    /** Executor JVMs of workers killed by a test: the worker no longer reaps them. */
    private final List<ProcessHandle> orphans = new ArrayList<>();

    private LoopbackCluster(Path dir, int workers) throws IOException {
        this.dir = dir;
        this.workers = workers;
        this.masterUrl = Files.readString(dir.resolve("master.url")).strip();
        this.masterWebUi = Files.readString(dir.resolve("master.webui")).strip();
    }

    /** Starts {@code workers} workers of one core and 1 GiB each under {@code dir} (emptied first). */
    static LoopbackCluster start(Path dir, int workers) throws Exception {
        script(dir, "stop");   // a cluster left by an interrupted earlier run of this test
        deleteTree(dir);
        Files.createDirectories(dir);
        Outcome o = script(dir, "start", "--workers", Integer.toString(workers), "--cores-per-worker", "1", "--memory", "1g");
        assertThat(o.code()).as("cluster.sh start:%n%s", o.output()).isZero();
        return new LoopbackCluster(dir, workers);
    }

    /**
     * A cluster for one test class, registered with {@code @RegisterExtension}: started before its
     * tests under {@code target/it/NAME/cluster} (with {@code target/it/NAME/out} emptied first),
     * stopped after them.
     */
    static final class PerClass implements org.junit.jupiter.api.extension.BeforeAllCallback,
            org.junit.jupiter.api.extension.AfterAllCallback {
        private final Path work;
        private final int workers;
        private LoopbackCluster cluster;

        PerClass(String name, int workers) {
            this.work = ROOT.resolve("target/it").resolve(name);
            this.workers = workers;
        }

        /** The test class's directory, target/it/NAME. */
        Path work() {
            return work;
        }

        LoopbackCluster cluster() {
            return cluster;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            deleteTree(work.resolve("out"));
            cluster = start(work.resolve("cluster"), workers);
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    long workerPid(int i) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("worker-" + i + ".pid")).strip());
    }

    Path workDir(int i) {
        return dir.resolve("work").resolve("worker-" + i);
    }

    /** The worker (1-based) whose work directory holds the executor {@code executorId} of the app, or 0. */
    int workerOf(String appId, String executorId) {
        for (int i = 1; i <= workers; i++) {
            if (Files.isDirectory(workDir(i).resolve(appId).resolve(executorId))) {
                return i;
            }
        }
        return 0;
    }

    /** {@code kill -9} of worker {@code i}; its executor JVMs are remembered and killed on close if still alive. */
    void killWorker(int i) throws IOException {
        ProcessHandle worker = ProcessHandle.of(workerPid(i)).orElseThrow(() -> new AssertionError("worker-" + i + " not running"));
        worker.children().forEach(orphans::add);
        assertThat(worker.destroyForcibly()).isTrue();   // SIGKILL on Linux
    }

    JsonNode masterJson() throws Exception {
        return getJson(masterWebUi + "/json/");
    }

    /**
     * Runs {@code standalone.sh} against this cluster; stdout and stderr go to {@code log}. The
     * process is the driver JVM itself (the scripts exec into it). {@code runArgs} go to
     * {@code initsweep run}, after {@code --quiet}.
     */
    Process submit(String spec, Path out, Path log, Map<String, String> conf, String... runArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ROOT.resolve("jobs/submit/standalone.sh").toString(),
                "--master", masterUrl, "--spec", spec, "--out", out.toString()));
        conf.forEach((k, v) -> {
            cmd.add("--conf");
            cmd.add(k + "=" + v);
        });
        cmd.add("--");
        cmd.add("--quiet");
        cmd.addAll(List.of(runArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("DRIVER_MEMORY", "768m");
        return pb.start();
    }

    @Override
    public void close() throws Exception {
        Outcome o = script(dir, "stop");
        for (ProcessHandle p : orphans) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        assertThat(o.code()).as("cluster.sh stop:%n%s", o.output()).isZero();
    }

    record Outcome(int code, String output) {}

    static Outcome script(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("jobs/submit/cluster.sh").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--dir", dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(io.initsweep.TimeLimits.waitFor(p, 200)).as("cluster.sh %s finished", args[0]).isTrue();
        return new Outcome(p.exitValue(), output);
    }

    static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The JSON events of the Spark event logs under a directory (spark.eventLog.compress=false). */
    static List<JsonNode> events(Path eventLogDir) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        // Spark 4 may write a directory per application (rolling event logs): read every file.
        try (Stream<Path> files = Files.walk(eventLogDir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        events.add(JSON.readTree(line));
                    }
                }
            }
        }
        return events;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
