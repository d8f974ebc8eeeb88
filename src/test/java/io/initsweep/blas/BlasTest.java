package io.initsweep.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.initsweep.TimeLimits;
import io.initsweep.sim.Gemm;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BLAS choice: the bundled OpenBLAS by default (its version and kernel as the library itself
 * reports them, checked against the jar's own version and the machine's OPENBLAS_CORETYPE), the
 * system's and Java's when asked, the fallbacks and their reasons, the cache shared by processes
 * starting together. Choices other than this JVM's run in child JVMs (a JVM chooses once).
 */
class BlasTest {
    /** Bytedeco's artifact version: the OpenBLAS version, a dash, JavaCPP's. */
    private static String bundledVersion() throws Exception {
        try (InputStream in = Blas.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            assertThat(in).as("the bytedeco openblas pom.properties on the class path").isNotNull();
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v.substring(0, v.indexOf('-'));
        }
    }

    @Test
    void bundledIsTheDefaultAndReportsTheJarsVersionAndTheKernel() throws Exception {
        Blas.Info info = Blas.info();
        assertThat(System.getProperty(Blas.PROPERTY)).isNull();
        assertThat(info.asked()).isEqualTo(Blas.Choice.BUNDLED);
        assertThat(info.used()).as(info.describe()).isEqualTo(Blas.Choice.BUNDLED);
        assertThat(info.isNative()).isTrue();
        assertThat(info.fallbackReason()).isNull();
        assertThat(info.version()).isEqualTo("OpenBLAS " + bundledVersion());
        assertThat(Path.of(info.library())).exists().hasFileName("libopenblas.so.0");
        assertThat(info.kernel()).isNotBlank();
        String forced = System.getenv("OPENBLAS_CORETYPE");
        if (forced != null && !forced.isBlank()) {
            assertThat(info.kernel()).isEqualToIgnoringCase(forced);
            assertThat(info.describe()).contains("forced by OPENBLAS_CORETYPE");
        }
        assertThat(info.threads()).isEqualTo(Integer.parseInt(System.getenv("OPENBLAS_NUM_THREADS")));
        assertThat(Gemm.implementation()).isEqualTo(info.implementation()).endsWith("JNIBLAS");
    }

    /** The bundled library multiplies: against the triple loop, at sizes no kernel blocks evenly. */
    @Test
    void bundledProductsAgreeWithTheDefinition() {
        int rows = 37, inner = 53, cols = 29;
        SplittableRandom r = new SplittableRandom(3);
        double[] x = r.doubles(rows * inner, -1, 1).toArray();
        double[] w = r.doubles(inner * cols, -1, 1).toArray();
        double[] c = new double[rows * cols];
        Gemm.multiply(x, w, c, rows, inner, cols, 0.5);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                double abs = 0;
                for (int k = 0; k < inner; k++) {
                    s += x[i * inner + k] * w[k * cols + j];
                    abs += Math.abs(x[i * inner + k] * w[k * cols + j]);
                }
                assertThat(c[i * cols + j]).isCloseTo(0.5 * s, org.assertj.core.data.Offset.offset(1e-14 * abs));
            }
        }
    }

    @Test
    void aChoiceOutsideTheThreeIsRefusedNamingTheValueAndTheAllowedOnes() {
        assertThatThrownBy(() -> Blas.Choice.parse("mkl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mkl'").hasMessageContaining("bundled, system, java");
        assertThat(Blas.Choice.parse(" System ")).isEqualTo(Blas.Choice.SYSTEM);
        assertThat(Blas.Choice.parse("")).isEqualTo(Blas.Choice.BUNDLED);
        assertThat(Blas.Choice.parse(null)).isEqualTo(Blas.Choice.BUNDLED);
    }

    @Test
    void javaWhenAsked() throws Exception {
        Map<String, String> info = child(Map.of(), "-D" + Blas.PROPERTY + "=java");
        assertThat(info).containsEntry("used", "JAVA").containsEntry("native", "false").containsEntry("reason", "null");
        assertThat(info.get("describe")).startsWith("Java BLAS (");
    }

    /** The environment variable names the choice when the property does not. */
    @Test
    void systemWhenAskedThroughTheEnvironment(@TempDir Path dir) throws Exception {
        Map<String, String> info = child(Map.of(Blas.ENV, "system"));
        Path system = Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3");
        if (Files.exists(system)) {
            assertThat(info).containsEntry("used", "SYSTEM").containsEntry("native", "true")
                    .containsEntry("library", system.toRealPath().toString());
            assertThat(info.get("version")).startsWith("OpenBLAS ");
        } else {
            assertThat(info).containsEntry("used", "JAVA").containsEntry("reason", "no system libblas.so.3");
        }
    }

    /** Where the jar carries no library for the platform, the next choice runs and says why. */
    @Test
    void aPlatformWithoutABundledLibraryFallsBackAndSaysWhy() throws Exception {
        Map<String, String> info = child(Map.of(), "-Dos.arch=riscv64");
        assertThat(info.get("used")).isIn("SYSTEM", "JAVA");
        assertThat(info.get("reason")).startsWith("no bundled OpenBLAS for Linux riscv64");
        assertThat(info.get("describe")).contains("[bundled unavailable: no bundled OpenBLAS for Linux riscv64");
    }

    /** Without OPENBLAS_NUM_THREADS the library runs one thread: Spark runs one task per core. */
    @Test
    void oneThreadWhenTheEnvironmentDoesNotSay() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENBLAS_NUM_THREADS", null);
        assertThat(child(env)).containsEntry("threads", "1");
        assertThat(child(Map.of("OPENBLAS_NUM_THREADS", "2"))).containsEntry("threads", "2");
    }

    /**
     * Two JVMs starting together into an empty cache both load the library, from one directory
     * named by the jar entry's CRC, whose files are the jar's bytes with no temporary file left;
     * a third JVM reuses them without writing.
     */
    @Test
    void processesShareOneCacheAndReuseIt(@TempDir Path cache) throws Exception {
        String option = "-D" + Blas.CACHE_PROPERTY + "=" + cache;
        List<Process> both = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = cache.resolveSibling(cache.getFileName() + "-child" + i + ".log");
            logs.add(log);
            both.add(start(Map.of(), log, option));
        }
        List<Map<String, String>> infos = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            infos.add(finish(both.get(i), logs.get(i)));
        }
        URL resource = Blas.class.getClassLoader().getResource("org/bytedeco/openblas/linux-x86_64/libopenblas.so.0");
        long crc = ((JarURLConnection) resource.openConnection()).getJarEntry().getCrc();
        Path dir = cache.resolve("linux-x86_64-" + Long.toHexString(crc));
        for (Map<String, String> info : infos) {
            assertThat(info).containsEntry("used", "BUNDLED").containsEntry("library", dir.resolve("libopenblas.so.0").toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("libgfortran.so.5", "libopenblas.so.0", "libquadmath.so.0");
        }
        for (String name : List.of("libgfortran.so.5", "libopenblas.so.0", "libquadmath.so.0")) {
            try (InputStream in = Blas.class.getClassLoader().getResourceAsStream("org/bytedeco/openblas/linux-x86_64/" + name)) {
                assertThat(Files.readAllBytes(dir.resolve(name))).as(name).isEqualTo(in.readAllBytes());
            }
        }
        FileTime written = Files.getLastModifiedTime(dir.resolve("libopenblas.so.0"));
        Files.setLastModifiedTime(dir.resolve("libopenblas.so.0"), FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime before = Files.getLastModifiedTime(dir.resolve("libopenblas.so.0"));
        assertThat(child(Map.of(), option)).containsEntry("used", "BUNDLED");
        assertThat(Files.getLastModifiedTime(dir.resolve("libopenblas.so.0"))).isEqualTo(before);
    }

    /** The child: prints its Blas.info() as key=value lines. */
    public static void main(String[] args) {
        Blas.Info i = Blas.info();
        System.out.println("asked=" + i.asked());
        System.out.println("used=" + i.used());
        System.out.println("native=" + i.isNative());
        System.out.println("library=" + i.library());
        System.out.println("version=" + i.version());
        System.out.println("kernel=" + i.kernel());
        System.out.println("threads=" + i.threads());
        System.out.println("reason=" + i.fallbackReason());
        System.out.println("describe=" + i.describe());
    }

    private static Map<String, String> child(Map<String, String> env, String... options) throws Exception {
        Path log = Files.createTempFile("blas-child", ".log");
        try {
            return finish(start(env, log, options), log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Process start(Map<String, String> env, Path log, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED", "-Xmx256m"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BlasTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(Blas.ENV);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return pb.start();
    }

    private static Map<String, String> finish(Process p, Path log) throws Exception {
        assertThat(TimeLimits.waitFor(p, 30)).as("child finished").isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> info = new HashMap<>();
        out.lines().filter(l -> l.matches("[a-z]+=.*")).forEach(l -> info.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        assertThat(info).as(out).containsKey("describe");
        return info;
    }
}
