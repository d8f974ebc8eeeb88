package io.initsweep.blas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The BLAS every matrix product runs on, chosen once per JVM before netlib's {@link BLAS} first
 * loads.
 *
 * <p>By default ({@code bundled}) it is the OpenBLAS the jar carries ({@code org.bytedeco:openblas},
 * Maven Central): its library and the Fortran runtime it needs are copied once per machine into a
 * cache directory ({@code $XDG_CACHE_HOME/initsweep/openblas/<platform>-<crc>}, else
 * {@code ~/.cache/...}, else under {@code java.io.tmpdir}), loaded, and handed to netlib's JNIBLAS
 * through {@code dev.ludovic.netlib.blas.nativeLibPath}. {@code system} leaves netlib to find the
 * system's {@code libblas.so.3} (Debian's OpenBLAS registers it); {@code java} runs netlib's Java
 * BLAS. The choice is the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENV}. When the chosen native library cannot load, the next one is tried (bundled, then
 * system, then Java) and {@link #info()} says why.
 *
 * <p>When the library is OpenBLAS, its version and the kernel it runs on come from the library
 * itself ({@code openblas_get_config}, {@code openblas_get_corename}) where the JVM has
 * {@code jdk.incubator.foreign}; when {@code OPENBLAS_NUM_THREADS} is unset it is set to one thread,
 * since Spark runs one task per core.
 */
public final class Blas {
    /** System property naming the choice. */
    public static final String PROPERTY = "initsweep.blas";
    /** Environment variable naming the choice when the property is unset. */
    public static final String ENV = "INITSWEEP_BLAS";
    /** The cache directory's override (a system property). */
    public static final String CACHE_PROPERTY = "initsweep.blas.cache";
    static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    /** netlib's LAPACK looks for a native library when first used, and logs a warning when it finds none. */
    static final String NETLIB_LAPACK_PATH = "dev.ludovic.netlib.lapack.nativeLibPath";
    private static final String RESOURCES = "org/bytedeco/openblas/";
    /** Loaded in this order, each by absolute path, so the next finds the ones before it by soname. */
    private static final List<String> BUNDLED_FILES = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

    /** Where the BLAS comes from. */
    public enum Choice {
        BUNDLED, SYSTEM, JAVA;

        /** The choice's name as written in the property. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The choice a property or variable value names; null or blank is the default, bundled. */
        public static Choice parse(String value) {
            if (value == null || value.isBlank()) {
                return BUNDLED;
            }
            for (Choice c : values()) {
                if (c.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
            throw new IllegalArgumentException(String.format("%s: '%s' is not a BLAS choice (allowed: bundled, system, java)",
                    System.getProperty(PROPERTY) != null ? PROPERTY : ENV, value));
        }
    }

    /**
     * What this JVM runs on.
     *
     * @param asked the choice the property or variable named
     * @param used what was loaded (differs from {@code asked} after a fallback)
     * @param implementation netlib's implementation class (JNIBLAS, VectorBLAS, Java11BLAS, ...)
     * @param library the native library file, null for Java
     * @param version the library's own version text ({@code OpenBLAS 0.3.31}), null when unknown
     * @param kernel the OpenBLAS kernel in use ({@code SkylakeX}), null when unknown
     * @param threads the library's thread count, 0 when unknown
     * @param forcedKernel the {@code OPENBLAS_CORETYPE} the environment forces, null when unset
     * @param fallbackReason why {@code used} is not {@code asked}, null when it is
     */
    public record Info(Choice asked, Choice used, String implementation, String library, String version, String kernel,
            int threads, String forcedKernel, String fallbackReason) {
        /** Whether the products run in a native library. */
        public boolean isNative() {
            return implementation.endsWith("JNIBLAS");
        }

        /**
         * One line: what runs, where it came from and the kernel, e.g. {@code OpenBLAS 0.3.31
         * (bundled) kernel Haswell, forced by OPENBLAS_CORETYPE, 1 thread; /home/u/.cache/.../libopenblas.so.0}.
         */
        public String describe() {
            StringBuilder s = new StringBuilder();
            if (!isNative()) {
                s.append("Java BLAS (").append(implementation.substring(implementation.lastIndexOf('.') + 1)).append(')');
            } else {
                s.append(version != null ? version : "native BLAS").append(" (").append(used.label()).append(')');
                if (kernel != null) {
                    s.append(" kernel ").append(kernel);
                }
                if (forcedKernel != null) {
                    s.append(kernel != null && kernel.equalsIgnoreCase(forcedKernel) ? ", forced by OPENBLAS_CORETYPE"
                            : ", OPENBLAS_CORETYPE=" + forcedKernel);
                }
                if (threads > 0) {
                    s.append(", ").append(threads).append(threads == 1 ? " thread" : " threads");
                }
                if (library != null) {
                    s.append("; ").append(library);
                }
            }
            if (fallbackReason != null) {
                s.append(" [").append(asked.label()).append(" unavailable: ").append(fallbackReason).append(']');
            }
            return s.toString();
        }
    }

    private static final class Holder {
        static final Loaded LOADED = load();
    }

    private record Loaded(BLAS blas, Info info) {}

    private Blas() {}

    /** The BLAS instance, chosen and loaded on first use. */
    public static BLAS instance() {
        return Holder.LOADED.blas();
    }

    /** What {@link #instance()} runs on. */
    public static Info info() {
        return Holder.LOADED.info();
    }

    /**
     * netlib's pure-Java LAPACK, which the QR and SVD use whatever the BLAS (their bits must not
     * depend on a native library); taken after the BLAS is chosen, so that netlib's look for a
     * native LAPACK finds the bundled library instead of warning that there is none.
     */
    public static LAPACK javaLapack() {
        instance();
        return JavaLAPACK.getInstance();
    }

    /** The choice the property or the environment names (default bundled); throws on a bad value. */
    public static Choice choice() {
        String p = System.getProperty(PROPERTY);
        return Choice.parse(p != null ? p : System.getenv(ENV));
    }

    private static Loaded load() {
        Choice asked = choice();
        String forced = blankToNull(System.getenv("OPENBLAS_CORETYPE"));
        List<String> reasons = new ArrayList<>();
        if (asked == Choice.BUNDLED) {
            try {
                Path lib = extractBundled();
                for (String name : BUNDLED_FILES) {
                    Path f = lib.resolveSibling(name);
                    if (Files.exists(f)) {
                        loadOnce(f.toString());
                    }
                }
                System.setProperty(NETLIB_PATH, lib.toString());
                if (System.getProperty(NETLIB_LAPACK_PATH) == null) {
                    System.setProperty(NETLIB_LAPACK_PATH, lib.toString()); // it holds LAPACK too
                }
                BLAS blas = BLAS.getInstance();
                if (blas.getClass().getName().endsWith("JNIBLAS")) {
                    return native_(asked, Choice.BUNDLED, blas, lib.toString(), forced, reasons);
                }
                reasons.add("netlib did not load it");
                return new Loaded(blas, info(asked, Choice.JAVA, blas, null, null, null, 0, forced, reasons));
            } catch (IOException | UnsatisfiedLinkError | UnsupportedOperationException | SecurityException e) {
                reasons.add(oneLine(e));
            }
        }
        if (asked != Choice.JAVA) {
            BLAS blas = BLAS.getInstance();
            if (blas.getClass().getName().endsWith("JNIBLAS")) {
                return native_(asked, Choice.SYSTEM, blas, systemLibrary(), forced, reasons);
            }
            reasons.add("no system libblas.so.3");
        }
        BLAS blas = JavaBLAS.getInstance();
        return new Loaded(blas, info(asked, Choice.JAVA, blas, null, null, null, 0, forced, reasons));
    }

    /** System.load, where a library another class loader of this JVM loaded already counts as loaded. */
    private static void loadOnce(String path) {
        try {
            System.load(path);
        } catch (UnsatisfiedLinkError e) {
            if (e.getMessage() == null || !e.getMessage().contains("already loaded in another classloader")) {
                throw e;
            }
        }
    }

    private static Loaded native_(Choice asked, Choice used, BLAS blas, String library, String forced, List<String> reasons) {
        String version = null;
        String kernel = null;
        int threads = 0;
        try {
            if (used == Choice.SYSTEM && library.startsWith("/")) {
                loadOnce(library); // the file netlib opened: its symbols become visible to the lookup below
            }
            OpenBlasCalls.Described d = OpenBlasCalls.describe(library, System.getenv("OPENBLAS_NUM_THREADS") == null);
            version = d.version();
            kernel = d.kernel();
            threads = d.threads();
        } catch (LinkageError | RuntimeException e) {
            // no jdk.incubator.foreign in this JVM, or not an OpenBLAS: the products still run natively
        }
        return new Loaded(blas, info(asked, used, blas, library, version, kernel, threads, forced, reasons));
    }

    private static Info info(Choice asked, Choice used, BLAS blas, String library, String version, String kernel,
            int threads, String forced, List<String> reasons) {
        return new Info(asked, used, blas.getClass().getName(), library, version, kernel, threads, forced,
                reasons.isEmpty() || asked == used ? null : String.join("; ", reasons));
    }

    /** The file netlib's default name resolves to on this machine, when it can be found. */
    private static String systemLibrary() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")) {
            Path p = Path.of(dir, "libblas.so.3");
            if (Files.exists(p)) {
                try {
                    return p.toRealPath().toString();
                } catch (IOException e) {
                    return p.toString();
                }
            }
        }
        return "libblas.so.3";
    }

    /** The platform directory bytedeco's jars use for this JVM, or null when none is carried. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-arm64";
            default -> null;
        };
    }

    /**
     * Copies the bundled library files into the cache directory (once per machine: a file already
     * there with the resource's size is kept) and returns the path of libopenblas.so.0. Each file is
     * written under a temporary name and moved into place atomically, so processes starting together
     * never load a partly written file.
     */
    static Path extractBundled() throws IOException {
        String platform = platform();
        if (platform == null) {
            throw new UnsupportedOperationException("no bundled OpenBLAS for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        ClassLoader loader = Blas.class.getClassLoader();
        URL main = loader.getResource(RESOURCES + platform + "/libopenblas.so.0");
        if (main == null) {
            throw new UnsupportedOperationException("the bundled OpenBLAS (" + RESOURCES + platform + ") is not on the class path");
        }
        String key = platform + "-" + Long.toHexString(crc(main));
        IOException last = null;
        for (Path dir : cacheDirectories()) {
            try {
                Path target = dir.resolve(key);
                Files.createDirectories(target);
                for (String name : BUNDLED_FILES) {
                    URL url = loader.getResource(RESOURCES + platform + "/" + name);
                    if (url != null) {
                        copyIfAbsent(url, target.resolve(name));
                    }
                }
                return target.resolve("libopenblas.so.0");
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no writable cache directory");
    }

    private static List<Path> cacheDirectories() {
        List<Path> dirs = new ArrayList<>();
        String override = blankToNull(System.getProperty(CACHE_PROPERTY));
        if (override != null) {
            dirs.add(Path.of(override));
            return dirs;
        }
        String xdg = blankToNull(System.getenv("XDG_CACHE_HOME"));
        if (xdg != null) {
            dirs.add(Path.of(xdg, "initsweep", "openblas"));
        }
        String home = blankToNull(System.getProperty("user.home"));
        if (home != null && !home.equals("?")) {
            dirs.add(Path.of(home, ".cache", "initsweep", "openblas"));
        }
        dirs.add(Path.of(System.getProperty("java.io.tmpdir"), "initsweep-openblas-" + System.getProperty("user.name", "user")));
        return dirs;
    }

    /** The resource's CRC from the jar's directory (no read of the file), else its size. */
    private static long crc(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            long crc = jar.getJarEntry().getCrc();
            if (crc >= 0) {
                return crc;
            }
        }
        return c.getContentLengthLong();
    }

    private static void copyIfAbsent(URL url, Path target) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        long size = c.getContentLengthLong();
        if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
            return;
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).lines().findFirst().orElse("").trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
