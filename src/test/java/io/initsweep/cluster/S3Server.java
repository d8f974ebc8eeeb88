package io.initsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * An S3-compatible server on 127.0.0.1 for the tests: Adobe's S3Mock, its executable jar resolved by
 * Maven into target/s3mock, in a JVM of its own (Spring Boot, whose libraries would clash with
 * Spark's on one classpath), storing objects under a directory of the test. One bucket,
 * {@link #BUCKET}, exists from the start. Stopped by the handle of the process it started.
 */
final class S3Server implements AutoCloseable {
    static final String BUCKET = "sweeps";
    static final Path JAR = LoopbackCluster.ROOT.resolve("target/s3mock/s3mock-exec.jar");

    private final Process process;
    final String endpoint;

    private S3Server(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the server with its objects under {@code dir}/objects and its log at {@code dir}/s3mock.log; waits until it answers. */
    static S3Server start(Path dir) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR + " is missing: the build copies S3Mock's executable jar there (maven-dependency-plugin,"
                    + " execution s3mock, phase process-test-classes); run the tests through mvn verify");
        }
        Files.createDirectories(dir.resolve("objects"));
        int http = freePort();
        int https = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-jar", JAR.toString(),
                "--server.address=127.0.0.1", "--server.port=" + https,
                "--com.adobe.testing.s3mock.http-port=" + http,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                "--com.adobe.testing.s3mock.store.root=" + dir.resolve("objects"),
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=true"));
        Path log = dir.resolve("s3mock.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String endpoint = "http://127.0.0.1:" + http;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + io.initsweep.TimeLimits.jvmStarts(200).toNanos();
        try {
            while (true) {
                if (!p.isAlive()) {
                    throw new AssertionError("S3Mock exited with code " + p.exitValue() + " before answering; its log:\n"
                            + Files.readString(log));
                }
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).GET()
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("<Name>" + BUCKET + "</Name>")) {
                        return new S3Server(p, endpoint);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("S3Mock did not answer on " + endpoint + " within 200 JVM starts; its log:\n"
                            + Files.readString(log));
                }
                Thread.sleep(100);
            }
        } catch (Throwable t) {
            p.destroyForcibly();
            throw t;
        }
    }

    /** The S3A settings that reach this server: path-style requests, plain HTTP, any keys. */
    Map<String, String> s3a() {
        return Map.of(
                "fs.s3a.endpoint", endpoint,
                "fs.s3a.endpoint.region", "us-east-1",
                "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.access.key", "initsweep-test",
                "fs.s3a.secret.key", "initsweep-test",
                "fs.s3a.bucket.probe", "0",
                "fs.s3a.attempts.maximum", "2",
                "fs.s3a.retry.limit", "2");
    }

    /** {@link #s3a()} set on {@code conf}. */
    Configuration configure(Configuration conf) {
        s3a().forEach(conf::set);
        return conf;
    }

    /** {@link #s3a()} as spark-submit options: {@code spark.hadoop.K=V}. */
    List<String> sparkConfs() {
        return s3a().entrySet().stream().map(e -> "spark.hadoop." + e.getKey() + "=" + e.getValue()).sorted().toList();
    }

    /** The s3a:// URI of {@code key} in {@link #BUCKET}. */
    static String s3a(String key) {
        return "s3a://" + BUCKET + "/" + key;
    }

    /** The names directly under {@code key}, through S3A with {@code conf}. */
    static java.util.Set<String> names(Configuration conf, String key) throws IOException {
        java.util.Set<String> names = new java.util.TreeSet<>();
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(s3a(key));
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
        if (fs.exists(p)) {
            for (var st : fs.listStatus(p)) {
                names.add(st.getPath().getName());
            }
        }
        return names;
    }

    /** Every data file under an output's tables is one its manifest lists, and every listed one is there: nothing else is left. */
    static void assertOnlyListedFiles(Configuration conf, String out) throws IOException {
        org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(out).getFileSystem(conf);
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                io.initsweep.tables.Views.readBytes(fs, new org.apache.hadoop.fs.Path(out, io.initsweep.tables.Views.MANIFEST)));
        assertThat(manifest.path(io.initsweep.tables.Views.FILES).isObject()).as("the manifest lists the files it commits").isTrue();
        for (String table : List.of(io.initsweep.tables.Views.LAYERS, io.initsweep.tables.Views.RUNS)) {
            java.util.Set<String> listed = new java.util.TreeSet<>();
            manifest.path(io.initsweep.tables.Views.FILES).path(table).forEach(f -> listed.add(new org.apache.hadoop.fs.Path(
                    new org.apache.hadoop.fs.Path(out, table), f.asText()).toString()));
            java.util.Set<String> present = new java.util.TreeSet<>();
            io.initsweep.tables.ParquetRows.listData(fs, new org.apache.hadoop.fs.Path(out, table))
                    .forEach(p -> present.add(p.toString()));
            assertThat(present).as("%s files of %s", table, out).isEqualTo(listed).isNotEmpty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
