package io.initsweep.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sweep's output directory, written all-or-nothing, by one of two protocols ({@link Commit}).
 * Where renaming a directory is atomic (a local disk, HDFS) the job writes into a hidden directory
 * next to the target ({@link Waves}) and renames it into place only when every table and the
 * manifest are complete; when results are overwritten, the old directory is moved aside first and
 * removed only after the new one is in place. On an object store, where a rename is a copy of every
 * object and a delete, the manifest is the commit: the data files are written where they stay, and
 * the manifest, one object put whole, lists them; readers read the files a manifest lists and no
 * others. Existing results are never overwritten unless asked.
 */
public final class OutputDir {
    /**
     * The Hadoop property that chooses the commit protocol ({@code rename} or {@code manifest});
     * without it an object store's scheme ({@link #OBJECT_STORES}) means {@code manifest}. With
     * spark-submit or {@code initsweep run}: {@code --conf spark.hadoop.initsweep.output.commit=manifest}.
     */
    public static final String COMMIT_PROPERTY = "initsweep.output.commit";
    /** Schemes of object stores, whose renames are copies: S3, Google Cloud Storage, Azure Blob and ADLS, and others. */
    public static final java.util.Set<String> OBJECT_STORES = java.util.Set.of("s3a", "s3", "s3n", "gs", "wasb", "wasbs",
            "abfs", "abfss", "oss", "cos", "cosn", "obs");
    /** The S3A option that makes a create fail when the object exists (a PUT with If-None-Match: *, checked at close). */
    public static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";

    /** How a finished sweep becomes the output. */
    public enum Commit {
        /** Written in a hidden directory next to the target, then renamed into place. */
        RENAME,
        /** Written in place; the manifest, listing every data file, is written last and is the commit. */
        MANIFEST
    }

    private final FileSystem fs;
    private final Path target;
    private final Commit commit;

    private OutputDir(FileSystem fs, Path target, Commit commit) {
        this.fs = fs;
        this.target = target;
        this.commit = commit;
    }

    /** Opens the target directory on its file system (local, HDFS, an object store, ...). */
    public static OutputDir of(String output, Configuration conf) {
        try {
            Path p = new Path(output);
            FileSystem fs = p.getFileSystem(conf);
            Path target = fs.makeQualified(p);
            String chosen = conf.getTrimmed(COMMIT_PROPERTY, "");
            Commit commit = switch (chosen) {
                case "" -> OBJECT_STORES.contains(target.toUri().getScheme()) ? Commit.MANIFEST : Commit.RENAME;
                case "rename" -> Commit.RENAME;
                case "manifest" -> Commit.MANIFEST;
                default -> throw new IllegalArgumentException(COMMIT_PROPERTY + " must be rename or manifest, found '"
                        + chosen + "'");
            };
            return new OutputDir(fs, target, commit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path target() {
        return target;
    }

    /** How a sweep is committed here. */
    public Commit protocol() {
        return commit;
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
                Faults.at(Faults.TARGET_MOVED_ASIDE);
            }
            if (!fs.rename(staging, target)) {
                if (aside != null) {
                    fs.rename(aside, target);
                }
                throw new IOException("cannot move " + staging + " to " + target);
            }
            Faults.at(Faults.STAGING_IN_PLACE);
            removeAsides();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the results an overwrite moved aside: this run's, and any that a run which died
     * between its two renames left. Only under the lock.
     */
    public void removeAsides() {
        try {
            String asides = "." + target.getName() + ".replaced-";
            for (FileStatus st : fs.listStatus(target.getParent())) {
                if (st.getPath().getName().startsWith(asides)) {
                    fs.delete(st.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Takes the target's lock, the file {@code .<name>.lock} next to it, so that two runs into one
     * output cannot both write: the second is refused before it computes anything.
     *
     * <p>On a local file system the lock is an operating-system lock on that file ({@link
     * FileChannel#tryLock}): it is released when its holder exits, however it exits, so a run that
     * died leaves nothing to clear by hand, and a lock file that outlived its run is simply taken.
     * The holder deletes the file before it releases it; a run that locked a file a releasing holder
     * had just deleted sees that the path no longer names that file and tries again. Within one JVM
     * the holders are also kept in a map, because closing any channel on a file releases every lock
     * the JVM holds on it. Elsewhere (HDFS, ...) the lock is a file created only if absent; one left
     * by a run that died on this host (its process is gone) is taken over.
     *
     * @throws OutputExistsException when another live run holds the lock
     */
    public Lock lock() {
        Path file = new Path(target.getParent(), "." + target.getName() + ".lock");
        String owner = "host=" + hostName() + "\npid=" + ProcessHandle.current().pid() + "\nsince=" + Instant.now() + "\n";
        try {
            if ("file".equals(file.toUri().getScheme())) {
                return localLock(file, java.nio.file.Path.of(file.toUri()), owner);
            }
            return createdLock(file, owner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lock files held by this JVM, by absolute path, with their owner text. */
    private static final ConcurrentHashMap<String, String> HELD_HERE = new ConcurrentHashMap<>();

    private Lock localLock(Path file, java.nio.file.Path local, String owner) throws IOException {
        String key = local.toAbsolutePath().normalize().toString();
        String here = HELD_HERE.putIfAbsent(key, owner);
        if (here != null) {
            throw held(file, here);
        }
        boolean taken = false;
        try {
            java.nio.file.Files.createDirectories(local.getParent());
            for (int attempt = 0; attempt < 8; attempt++) {
                Object before = inode(local);
                FileChannel channel = FileChannel.open(local, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                Object opened = inode(local);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    throw held(file, readOwner(local));
                }
                // the path must still name the file just locked: a releasing holder deletes it, and a
                // run that opened it a moment before would otherwise hold a lock on a deleted file
                if (opened != null && opened.equals(before) && opened.equals(inode(local))) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
                    taken = true;
                    return new Lock(file, local, key, channel, lock, opened);
                }
                lock.release();
                channel.close();
            }
            throw held(file, readOwner(local));
        } finally {
            if (!taken) {
                HELD_HERE.remove(key, owner);
            }
        }
    }

    private Lock createdLock(Path file, String owner) throws IOException {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                createExclusive(file, owner.getBytes(StandardCharsets.UTF_8));
                return new Lock(file, null, null, null, null, null);
            } catch (FileAlreadyExistsException e) {
                Properties held = new Properties();
                try (java.io.InputStream in = fs.open(file)) {
                    held.load(in);
                } catch (IOException unreadable) {
                    // being written, or released, this instant: treat as held
                }
                String heldHost = held.getProperty("host", "?");
                long heldPid = parsePid(held.getProperty("pid"));
                boolean dead = heldHost.equals(host) && heldPid > 0 && heldPid != pid
                        && ProcessHandle.of(heldPid).map(h -> !h.isAlive()).orElse(true);
                if (!dead || attempt > 0) {
                    throw held(file, held);
                }
                fs.delete(file, false); // its owner died on this host: a stale lock
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * Creates {@code file} holding {@code bytes} only if it does not exist, atomically: HDFS and the
     * local file system check at create; S3 checks when the object is put (at close, If-None-Match: *),
     * so two runs that both passed S3A's existence check at create cannot both create it. A store
     * without conditional writes, where S3A's {@code fs.s3a.create.conditional.enabled} is false, gets
     * the existence check alone.
     *
     * @throws FileAlreadyExistsException when the file exists
     */
    private void createExclusive(Path file, byte[] bytes) throws IOException {
        boolean conditional = "s3a".equals(file.toUri().getScheme())
                && fs.getConf().getBoolean("fs.s3a.create.conditional.enabled", true);
        if (!conditional) {
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(bytes);
            }
            return;
        }
        FSDataOutputStream out = (FSDataOutputStream) fs.createFile(file).overwrite(false).must(CONDITIONAL_CREATE, true).build();
        try {
            out.write(bytes);
            out.close();
        } catch (IOException e) {
            // the conditional put was refused (412 Precondition Failed): someone else created it first
            if (fs.exists(file)) {
                FileAlreadyExistsException held = new FileAlreadyExistsException(file + " exists");
                held.initCause(e);
                throw held;
            }
            throw e;
        }
    }

    private OutputExistsException held(Path file, String ownerText) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(ownerText));
        } catch (IOException e) {
            // a StringReader does not fail
        }
        return held(file, p);
    }

    private OutputExistsException held(Path file, Properties owner) {
        boolean local = "file".equals(file.toUri().getScheme());
        return new OutputExistsException("output " + shown() + " is being written by another run (pid "
                + owner.getProperty("pid", "?") + " on " + owner.getProperty("host", "?") + " since "
                + owner.getProperty("since", "?") + "); wait for it to finish"
                + (local ? "" : ", or if that run is gone delete " + shownPath(file)));
    }

    /** The owner text of a lock file held by another process; empty while it is being written. */
    private static String readOwner(java.nio.file.Path local) {
        try {
            return java.nio.file.Files.readString(local, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** The file's identity (device and inode where the platform has them), or null when it is absent. */
    private static Object inode(java.nio.file.Path local) {
        try {
            return java.nio.file.Files.readAttributes(local, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** A held output lock; closing releases it. */
    public final class Lock implements AutoCloseable {
        private final Path file;
        private final java.nio.file.Path local;
        private final String key;
        private final FileChannel channel;
        private final FileLock lock;
        private final Object inode;

        private Lock(Path file, java.nio.file.Path local, String key, FileChannel channel, FileLock lock, Object inode) {
            this.file = file;
            this.local = local;
            this.key = key;
            this.channel = channel;
            this.lock = lock;
            this.inode = inode;
        }

        /** The lock file. */
        public Path file() {
            return file;
        }

        @Override
        public void close() {
            try {
                if (channel == null) {
                    fs.delete(file, false);
                    return;
                }
                try {
                    // delete before releasing, and only the file this lock holds
                    if (inode.equals(inode(local))) {
                        java.nio.file.Files.deleteIfExists(local);
                    }
                    lock.release();
                } finally {
                    channel.close();
                    HELD_HERE.remove(key);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
