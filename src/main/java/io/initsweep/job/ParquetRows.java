package io.initsweep.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The number of rows of a Parquet table directory, read on the driver from its files' footers:
 * the count Spark's reader would return, without starting a Spark job. The files counted are
 * those Spark reads: every file below the directory none of whose path components (relative to
 * the directory) starts with "_" or ".". A file that is not Parquet is an error, not skipped.
 */
final class ParquetRows {
    private ParquetRows() {}

    /** Rows in the table at {@code table}; 0 when the directory does not exist. */
    static long count(Path table, Configuration conf) {
        try {
            FileSystem fs = table.getFileSystem(conf);
            if (!fs.exists(table)) {
                return 0;
            }
            // options built once: without them each open builds (and parses) a Hadoop Configuration
            ParquetReadOptions options = HadoopReadOptions.builder(conf).build();
            long rows = 0;
            for (FileStatus f : files(fs, table)) {
                try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf), options)) {
                    rows += reader.getRecordCount();
                } catch (RuntimeException e) {
                    throw new IOException("not a readable Parquet file: " + f.getPath() + " (" + e.getMessage() + ")", e);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files below {@code dir} that Spark reads, by listStatus (whose local-file statuses, unlike
     * listFiles' located ones, do not run a shell command per file to learn its permissions).
     */
    static List<FileStatus> files(FileSystem fs, Path dir) throws IOException {
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
