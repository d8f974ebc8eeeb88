package io.initsweep.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sweep's output directory, written all-or-nothing: the job writes into a hidden directory next
 * to the target ({@link Waves}) and renames it into place only when every table and the manifest
 * are complete. Existing results are never overwritten unless asked; when they are, the old
 * directory is moved aside first and removed only after the new one is in place.
 */
public final class OutputDir {
    private final FileSystem fs;
    private final Path target;

    private OutputDir(FileSystem fs, Path target) {
        this.fs = fs;
        this.target = target;
    }

    /** Opens the target directory on its file system (local, HDFS, ...). */
    public static OutputDir of(String output, Configuration conf) {
        try {
            Path p = new Path(output);
            FileSystem fs = p.getFileSystem(conf);
            return new OutputDir(fs, fs.makeQualified(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path target() {
        return target;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /**
     * Refuses a target that already holds something, unless {@code overwrite}; refuses a target
     * that is a file always. Writes nothing.
     */
    public void checkWritable(boolean overwrite) {
        try {
            if (!fs.exists(target)) {
                return;
            }
            FileStatus st = fs.getFileStatus(target);
            if (!st.isDirectory()) {
                throw new OutputExistsException("output " + shown() + " is a file; give a directory path with --out");
            }
            if (fs.listStatus(target).length > 0 && !overwrite) {
                throw new OutputExistsException("output " + shown() + " already holds results; pass --overwrite to replace"
                        + " them or --out DIR to write elsewhere");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves a complete staging directory into place; see the class comment. */
    public void commit(Path staging, boolean overwrite) {
        try {
            Path aside = null;
            if (fs.exists(target)) {
                boolean empty = fs.getFileStatus(target).isDirectory() && fs.listStatus(target).length == 0;
                if (!empty && !overwrite) {
                    throw new OutputExistsException("output " + shown() + " was written by someone else while this sweep ran;"
                            + " its results are kept and this sweep's are discarded");
                }
                aside = new Path(target.getParent(), "." + target.getName() + ".replaced-" + stamp());
                if (!fs.rename(target, aside)) {
                    throw new IOException("cannot move " + target + " aside to " + aside);
                }
            }
            if (!fs.rename(staging, target)) {
                if (aside != null) {
                    fs.rename(aside, target);
                }
                throw new IOException("cannot move " + staging + " to " + target);
            }
            if (aside != null) {
                fs.delete(aside, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Takes the target's lock, a file {@code .<name>.lock} next to it created only if absent, so
     * two runs into one output cannot both write: the second is refused before it computes
     * anything. A lock left by a run that died on this host (its process is gone) is taken over.
     *
     * @throws OutputExistsException when another live run holds the lock
     */
    public Lock lock() {
        Path file = new Path(target.getParent(), "." + target.getName() + ".lock");
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        String owner = "host=" + host + "\npid=" + pid + "\nsince=" + Instant.now() + "\n";
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    createExclusively(file, owner.getBytes(StandardCharsets.UTF_8));
                    return new Lock(file);
                } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
                    java.util.Properties held = new java.util.Properties();
                    try (java.io.InputStream in = fs.open(file)) {
                        held.load(in);
                    } catch (IOException unreadable) {
                        // being written this instant: treat as held
                    }
                    String heldHost = held.getProperty("host", "?");
                    long heldPid = parsePid(held.getProperty("pid"));
                    boolean dead = heldHost.equals(host) && heldPid > 0 && heldPid != pid
                            && ProcessHandle.of(heldPid).map(h -> !h.isAlive()).orElse(true);
                    if (!dead || attempt > 0) {
                        throw new OutputExistsException("output " + shown() + " is being written by another run (pid "
                                + held.getProperty("pid", "?") + " on " + heldHost + " since " + held.getProperty("since", "?")
                                + "); wait for it, or if that run is gone delete " + shownPath(file));
                    }
                    fs.delete(file, false); // its owner died on this host: a stale lock
                }
            }
            throw new IllegalStateException("unreachable");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A held output lock; closing releases it. */
    public final class Lock implements AutoCloseable {
        private final Path file;

        private Lock(Path file) {
            this.file = file;
        }

        /** The lock file. */
        public Path file() {
            return file;
        }

        @Override
        public void close() {
            try {
                fs.delete(file, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Creates {@code file} with {@code bytes} only if it does not exist, atomically: on the local
     * file system with O_EXCL (Hadoop's local create checks, then creates), elsewhere with the file
     * system's create-if-absent (atomic on HDFS).
     */
    private void createExclusively(Path file, byte[] bytes) throws IOException {
        if ("file".equals(file.toUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
            java.nio.file.Files.createDirectories(local.getParent());
            java.nio.file.Files.write(local, bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            return;
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
        }
    }

    private static long parsePid(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static String shownPath(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** The target as a user wrote it: a plain path when local. */
    private String shown() {
        return "file".equals(target.toUri().getScheme()) ? target.toUri().getPath() : target.toString();
    }

    private static String stamp() {
        return Instant.now().toString().replace(":", "").replace(".", "") + "-" + ProcessHandle.current().pid();
    }

    /** The output already holds results (or is a file): a usage error, nothing was written. */
    public static final class OutputExistsException extends RuntimeException {
        public OutputExistsException(String message) {
            super(message);
        }
    }
}
