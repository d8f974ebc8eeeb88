package io.initsweep.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * The number of rows of a Parquet table directory, read on the driver from its files' footers:
 * the count Spark's reader would return, without starting a Spark job. The files counted are
 * those Spark reads: every file below the directory none of whose path components (relative to
 * the directory) starts with "_" or ".". A file that is not Parquet is an error, not skipped.
 */
public final class ParquetRows {
    private ParquetRows() {}

    /** Rows in the table at {@code table}; 0 when the directory does not exist. */
    public static long count(Path table, Configuration conf) {
        try {
            FileSystem fs = table.getFileSystem(conf);
            if (!fs.exists(table)) {
                return 0;
            }
            return countStatuses(fs, files(fs, table), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rows in the data files {@code files} (a table whose files a manifest lists); a listed file that
     * is missing is a {@link java.io.FileNotFoundException}.
     */
    public static long count(FileSystem fs, List<Path> files, Configuration conf) {
        try {
            return countStatuses(fs, statuses(fs, files), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countStatuses(FileSystem fs, List<FileStatus> files, Configuration conf) throws IOException {
        // options built once: without them each open builds (and parses) a Hadoop Configuration
        ParquetReadOptions options = HadoopReadOptions.builder(conf).build();
        long rows = 0;
        for (FileStatus f : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf), options)) {
                rows += reader.getRecordCount();
            } catch (RuntimeException | IOException e) {
                throw unreadable(fs, f, e);
            }
        }
        return rows;
    }

    private static List<FileStatus> statuses(FileSystem fs, List<Path> files) throws IOException {
        List<FileStatus> out = new ArrayList<>(files.size());
        for (Path p : files) {
            out.add(fs.getFileStatus(p));
        }
        return out;
    }

    /**
     * The data files below {@code dir} (the files Spark reads, as {@link #files}), by one recursive
     * listing: on an object store that is a flat listing of keys, not a request per directory. Empty
     * when {@code dir} does not exist.
     */
    public static List<Path> listData(FileSystem fs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        String prefix = fs.makeQualified(dir).toUri().getPath();
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            String relative = p.toUri().getPath().substring(prefix.length());
            boolean hidden = false;
            for (String part : relative.split("/")) {
                hidden |= part.startsWith("_") || part.startsWith(".");
            }
            if (!hidden) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * A data file that is there but is not a readable Parquet file (truncated, or something else
     * altogether); a file that vanished while it was read is a plain {@link java.io.FileNotFoundException}.
     */
    public static final class UnreadableFileException extends IOException {
        private final transient Path file;

        UnreadableFileException(Path file, Exception cause) {
            super("not a readable Parquet file: " + file + " (" + firstLine(cause) + ")", cause);
            this.file = file;
        }

        /** The file. */
        public Path file() {
            return file;
        }

        /** What the Parquet reader said, in one line. */
        public String reason() {
            return firstLine(getCause());
        }

        private static String firstLine(Throwable e) {
            String m = String.valueOf(e.getMessage()).strip();
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl);
        }
    }

    /**
     * What a failure to read {@code f} means: a file that vanished meanwhile is a plain
     * {@link java.io.FileNotFoundException} (the caller may read again); one that is there but does
     * not read as Parquet is an {@link UnreadableFileException}.
     */
    private static IOException unreadable(FileSystem fs, FileStatus f, Exception e) throws IOException {
        if (e instanceof java.io.FileNotFoundException gone) {
            return gone;
        }
        if (e instanceof RuntimeException || e instanceof java.io.EOFException || fs.exists(f.getPath())) {
            return new UnreadableFileException(f.getPath(), e);
        }
        return (IOException) e;
    }

    /** Rows read and how many distinct values they hold; {@code malformed} values are not 16 lower-case hex digits. */
    public record Ids(long rows, long distinct, long malformed) {}

    /**
     * Reads column {@code column} (a string of 16 lower-case hex digits per row, such as run_id)
     * of every file of the table at {@code table} on the driver and counts its rows and distinct
     * values: the {@code SELECT count(*), count(DISTINCT column)} of the written files without a
     * Spark job. Nulls and any other string count as malformed, so that each well-formed string
     * is one {@code long} and back. Memory: 8 bytes per row.
     */
    public static Ids ids(Path table, String column, Configuration conf) {
        try {
            FileSystem fs = table.getFileSystem(conf);
            if (!fs.exists(table)) {
                return new Ids(0, 0, 0);
            }
            return idsOf(fs, files(fs, table), column, conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #ids(Path, String, Configuration)} of the data files {@code files} (a table whose files a manifest lists). */
    public static Ids ids(FileSystem fs, List<Path> files, String column, Configuration conf) {
        try {
            return idsOf(fs, statuses(fs, files), column, conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ids idsOf(FileSystem fs, List<FileStatus> tableFiles, String column, Configuration conf) throws IOException {
        ParquetReadOptions options = HadoopReadOptions.builder(conf).build();
        long[] values = new long[1024];
        int n = 0;
        long rows = 0;
        long malformed = 0;
        for (FileStatus f : tableFiles) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf), options)) {
                MessageType file = reader.getFooter().getFileMetaData().getSchema();
                MessageType projection = new MessageType(file.getName(), file.getType(column));
                reader.setRequestedSchema(projection);
                PageReadStore pages;
                while ((pages = reader.readNextRowGroup()) != null) {
                    long count = pages.getRowCount();
                    RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection)
                            .getRecordReader(pages, new GroupRecordConverter(projection));
                    for (long i = 0; i < count; i++) {
                        Group g = records.read();
                        rows++;
                        String v = g.getFieldRepetitionCount(0) == 1 ? g.getString(0, 0) : null;
                        if (!isId(v)) {
                            malformed++;
                            continue;
                        }
                        if (n == values.length) {
                            values = Arrays.copyOf(values, n * 2);
                        }
                        values[n++] = Long.parseUnsignedLong(v, 16);
                    }
                }
            } catch (RuntimeException | IOException e) {
                throw unreadable(fs, f, e);
            }
        }
        Arrays.sort(values, 0, n);
        long distinct = 0;
        for (int i = 0; i < n; i++) {
            distinct += i == 0 || values[i] != values[i - 1] ? 1 : 0;
        }
        return new Ids(rows, distinct, malformed);
    }

    /** Exactly 16 characters of 0-9 and a-f (no sign, no upper case: one spelling per value). */
    private static boolean isId(String v) {
        if (v == null || v.length() != 16) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = v.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The files below {@code dir} that Spark reads, by listStatus (whose local-file statuses, unlike
     * listFiles' located ones, do not run a shell command per file to learn its permissions).
     */
    public static List<FileStatus> files(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus f : fs.listStatus(dir)) {
            String name = f.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            if (f.isDirectory()) {
                out.addAll(files(fs, f.getPath()));
            } else {
                out.add(f);
            }
        }
        return out;
    }
}
