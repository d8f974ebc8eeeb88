package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalFiles} sets the permissions Hadoop's local file system sets, with no process: the
 * JVM's own record of the processes it starts (Java Flight Recorder's {@code jdk.ProcessStart})
 * counts Hadoop's {@code chmod}s while the same files and directories are made through each.
 */
class LocalFilesTest {
    @TempDir
    Path dir;

    @Test
    void aCommandMakesItTheDefault() throws Exception {
        LocalFiles.useByDefault();
        Configuration hadoop = new Configuration();
        hadoop.setBoolean("fs.file.impl.disable.cache", true);
        assertThat(FileSystem.newInstance(dir.toUri(), hadoop)).isInstanceOf(LocalFiles.class);
    }

    /** YARN's ApplicationMaster cannot load the class (YarnIT submits to a real one). */
    @Test
    void yarnApplicationsAreNamedHadoopsOwnLocalFileSystem() {
        assertThat(LocalFiles.forMaster("yarn")).isEqualTo("org.apache.hadoop.fs.LocalFileSystem");
        assertThat(LocalFiles.forMaster("local[2]")).isEqualTo(LocalFiles.forMaster("spark://127.0.0.1:7077"))
                .isEqualTo(LocalFiles.forMaster("k8s://https://host:6443")).isEqualTo("io.initsweep.job.LocalFiles");
    }

    @Test
    void thePermissionBitsAreChmodsOctal() {
        assertThat(PosixFilePermissions.toString(LocalFiles.posix((short) 0755))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(LocalFiles.posix((short) 0644))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(LocalFiles.posix((short) 0640))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(LocalFiles.posix((short) 0701))).isEqualTo("rwx-----x");
    }

    @Test
    void filesAndDirectoriesGetHadoopsPermissionsWithoutAChmodProcess() throws Exception {
        Configuration hadoop = new Configuration();
        hadoop.setBoolean("fs.file.impl.disable.cache", true);
        // Hadoop's own class named outright: once a command of this JVM ran, LocalFiles is the default
        hadoop.set("fs.file.impl", org.apache.hadoop.fs.LocalFileSystem.class.getName());
        assertThat(FileSystem.newInstance(dir.toUri(), hadoop)).isNotInstanceOf(LocalFiles.class);
        Made plain = make(FileSystem.newInstance(dir.resolve("plain").toUri(), hadoop), dir.resolve("plain"));
        hadoop.set("fs.file.impl", LocalFiles.class.getName());
        FileSystem fast = FileSystem.newInstance(dir.resolve("fast").toUri(), hadoop);
        assertThat(fast).isInstanceOf(LocalFiles.class);
        Made ours = make(fast, dir.resolve("fast"));

        assertThat(plain.chmods()).as("Hadoop's own local file system starts chmod processes").isGreaterThanOrEqualTo(10);
        assertThat(ours.chmods()).isZero();
        assertThat(ours.permissions()).isEqualTo(plain.permissions());
    }

    /** What making the tree cost in chmod processes, and every path's permissions afterwards. */
    record Made(long chmods, List<String> permissions) {}

    private static Made make(FileSystem fs, Path root) throws Exception {
        try (Recording r = new Recording()) {
            r.enable("jdk.ProcessStart");
            r.start();
            for (int i = 0; i < 5; i++) {
                org.apache.hadoop.fs.Path sub = new org.apache.hadoop.fs.Path(root.toUri().toString(), "a=" + i + "/b=" + i);
                fs.mkdirs(sub);
                try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(sub, "part.parquet"))) {
                    out.writeBytes("data " + i);
                }
                fs.setPermission(new org.apache.hadoop.fs.Path(sub, "part.parquet"), new FsPermission((short) 0640));
            }
            r.stop();
            Path events = Files.createTempFile(root.getParent(), "events", ".jfr");
            r.dump(events);
            long chmods = RecordingFile.readAllEvents(events).stream().map((RecordedEvent e) -> e.getString("command"))
                    .filter(c -> c != null && c.startsWith("chmod")).count();
            List<String> permissions;
            try (var paths = Files.walk(root)) {
                permissions = paths.sorted().map(p -> root.relativize(p) + " "
                        + PosixFilePermissions.toString(uncheckedPermissions(p))).toList();
            }
            return new Made(chmods, permissions);
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPermissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
