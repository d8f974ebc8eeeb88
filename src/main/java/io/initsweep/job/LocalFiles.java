package io.initsweep.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) with permissions set through {@code java.nio}.
 *
 * <p>Without Hadoop's native library, {@link RawLocalFileSystem#setPermission} starts a
 * {@code chmod} process, and Hadoop sets a permission on every file and directory it creates: a
 * sweep of 2,088 small grid points started 1,656 of them (Java Flight Recorder's
 * {@code jdk.ProcessStart}), one per Parquet file, checksum file and partition directory. This
 * class sets the same permission bits without a process; where the file system has no POSIX
 * permissions it does what Hadoop does. The command line makes it the default ({@link
 * #useByDefault}) and names it to Spark's executors ({@link #CONF}); reads and writes are Hadoop's
 * own.
 */
public final class LocalFiles extends LocalFileSystem {
    /** The Spark configuration that makes {@code file:} paths use this class, driver and executors. */
    public static final String CONF = "spark.hadoop.fs.file.impl";

    /** A Hadoop configuration resource setting {@code fs.file.impl} to this class. */
    static final String RESOURCE = "io/initsweep/job/local-files.xml";

    /**
     * The {@code file:} file system to name to a Spark application on {@code master}: this class, but
     * Hadoop's own on YARN, whose ApplicationMaster reads the driver's Hadoop configuration with
     * Spark's jars alone on its class path (in client mode it never has the application jar).
     */
    public static String forMaster(String master) {
        return master != null && master.startsWith("yarn") ? LocalFileSystem.class.getName() : LocalFiles.class.getName();
    }

    public LocalFiles() {
        super(new Raw());
    }

    /**
     * Makes this class the {@code file:} file system of every Hadoop configuration this JVM makes
     * from now on, and reloads the existing ones (Hadoop's default resources, as HDFS adds its
     * own). Must run before the first {@code file:} file system is made: Hadoop caches one per
     * scheme and user whatever the configuration later says.
     */
    public static void useByDefault() {
        Configuration.addDefaultResource(RESOURCE);
    }

    /** The raw (checksum-less) side, where permissions are set. */
    static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            short mode = permission.toShort();
            if ((mode & ~0777) != 0) {
                super.setPermission(p, permission); // sticky or set-id bits: java.nio has no names for them
                return;
            }
            try {
                Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(mode));
            } catch (UnsupportedOperationException e) {
                super.setPermission(p, permission);
            }
        }
    }

    /** The POSIX permission set of a mode's low nine bits (rwxrwxrwx). */
    static Set<PosixFilePermission> posix(short mode) {
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
