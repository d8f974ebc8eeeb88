package io.initsweep.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sweep's output directory, written all-or-nothing: the job writes into a hidden staging
 * directory next to the target and renames it into place only when every table and the manifest
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

    /** Creates a fresh staging directory next to the target. */
    public Path createStaging() {
        Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + stamp());
        try {
            if (!fs.mkdirs(staging)) {
                throw new IOException("cannot create " + staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return staging;
    }

    /** Moves a complete staging directory into place; see the class comment. */
    public void commit(Path staging, boolean overwrite) {
        try {
            Path aside = null;
            if (fs.exists(target)) {
                boolean empty = fs.getFileStatus(target).isDirectory() && fs.listStatus(target).length == 0;
                if (!empty && !overwrite) {
                    throw new OutputExistsException("output " + shown() + " was written by someone else while this sweep ran;"
                            + " its results are kept, this sweep's are in " + staging);
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

    /** Removes a staging directory after a failed run. */
    public void discard(Path staging) {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
