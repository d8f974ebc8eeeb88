package io.initsweep.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.initsweep.tables.ParquetRows;
import io.initsweep.tables.Views;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sweep being written: the hidden directory {@code .NAME.inprogress} next to the output. The
 * sweep is computed in waves; each wave's tables are written by Spark into
 * {@code waves/NNNNN/} and the wave counts as done only once its record {@code waves/NNNNN.done}
 * exists, which is written (to a temporary name, then renamed) after the wave's rows were counted
 * on disk. A driver killed mid-wave therefore loses that wave and no other: {@code run --resume}
 * deletes the unfinished wave's files and computes the chains no done record lists. When every
 * chain is done the waves' files are moved into {@code layers/} and {@code runs/}, the manifest
 * is written and the directory is renamed into place, so readers of the output see a complete
 * sweep or nothing. Every step is safe to repeat after a kill.
 */
final class Waves {
    static final String STATE = "sweep.json";
    static final String WAVES = "waves";
    private static final String DONE_SUFFIX = ".done";
    private static final Pattern WAVE_DIR = Pattern.compile("\\d{5}");
    private static final Pattern DONE_FILE = Pattern.compile("(\\d{5})\\.done");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FileSystem fs;
    private final Path dir;

    private Waves(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * What makes two attempts the same sweep: the spec text, the data files it reads and the
     * code that computes the rows (a different build may round differently in the last bit).
     */
    record Identity(String specSha256, List<String> dataSha256, String gitCommit) {
        /** Why {@code other} (the state found on disk) is not this sweep, or empty. */
        Optional<String> mismatch(Identity other) {
            if (!specSha256.equals(other.specSha256)) {
                return Optional.of("a different spec (sha256 " + other.specSha256.substring(0, 12) + ", this one "
                        + specSha256.substring(0, 12) + ")");
            }
            if (!dataSha256.equals(other.dataSha256)) {
                return Optional.of("different data input files (sha256 " + other.dataSha256 + ", now " + dataSha256 + ")");
            }
            if (!gitCommit.equals(other.gitCommit)) {
                return Optional.of("a different build of initsweep (git " + other.gitCommit + ", this one " + gitCommit + ")");
            }
            return Optional.empty();
        }
    }

    /** A committed wave, as its record says. */
    record Done(int wave, List<String> chainIds, long points, long layersRows, long runsRows, double kernelSeconds,
            String appId, String started, String finished, int partitions, long jacobianRows, long trainingRows) {

        /** The rows this wave wrote into {@code table}. */
        long rows(String table) {
            return switch (table) {
                case Views.LAYERS -> layersRows;
                case Views.RUNS -> runsRows;
                case Views.JACOBIAN -> jacobianRows;
                case Views.TRAINING -> trainingRows;
                default -> throw new IllegalArgumentException("unknown table " + table);
            };
        }
    }

    /** The in-progress directory of {@code out}. */
    static Path dirFor(OutputDir out) {
        Path t = out.target();
        return new Path(t.getParent(), "." + t.getName() + ".inprogress");
    }

    /** The sweep in progress at {@code out}, if there is one. */
    static Optional<Waves> find(OutputDir out) {
        Path d = dirFor(out);
        try {
            return out.fileSystem().exists(d) ? Optional.of(new Waves(out.fileSystem(), d)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a sweep at {@code out}: creates the directory and its state (identity, first start). */
    static Waves create(OutputDir out, Identity id, long gridPoints, long chains, String started) {
        Path d = dirFor(out);
        Waves w = new Waves(out.fileSystem(), d);
        ObjectNode s = JSON.createObjectNode();
        s.put("spec_sha256", id.specSha256());
        id.dataSha256().forEach(s.putArray("data_sha256")::add);
        s.put("git_commit", id.gitCommit());
        s.put("grid_points", gridPoints);
        s.put("chains", chains);
        s.put("started", started);
        try {
            if (!w.fs.mkdirs(new Path(d, WAVES))) {
                throw new IOException("cannot create " + d);
            }
            Faults.at(Faults.SWEEP_DIR_CREATED);
            w.writeAtomically(new Path(d, STATE), s, Faults.STATE_TEMP_WRITTEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }

    Path dir() {
        return dir;
    }

    /**
     * Whether the state was written. A directory without it is one whose first attempt died while
     * creating it: no wave of it can be done (done records come after the state).
     */
    boolean hasState() {
        try {
            return fs.exists(new Path(dir, STATE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The identity recorded when the sweep started. */
    Identity identity() {
        JsonNode s = state();
        List<String> data = new ArrayList<>();
        s.path("data_sha256").forEach(n -> data.add(n.asText()));
        return new Identity(s.path("spec_sha256").asText(), data, s.path("git_commit").asText());
    }

    /** When the sweep's first attempt started. */
    String started() {
        return state().path("started").asText();
    }

    private JsonNode state() {
        return readJson(new Path(dir, STATE));
    }

    /** A JSON file of the sweep in progress; one that does not parse is damage, named as such. */
    private JsonNode readJson(Path file) {
        byte[] bytes;
        try {
            bytes = Views.readBytes(fs, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IOException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Views.DamagedOutputException(shown(file) + " is not valid JSON (" + String.valueOf(e.getMessage())
                    .strip().lines().findFirst().orElse("") + "); the interrupted sweep cannot be resumed (pass --overwrite"
                    + " without --resume to start over)");
        }
    }

    /**
     * Checks the done waves against their records before a resume builds on them: every data file
     * they wrote (still in its wave's directory, or already merged into the tables) is a readable
     * Parquet file, and together they hold the rows the records count.
     *
     * @throws Views.DamagedOutputException naming the file or directory that is wrong
     */
    void verifyDone(org.apache.hadoop.conf.Configuration conf) {
        List<Done> done = done();
        for (String table : List.of(Views.LAYERS, Views.RUNS, Views.JACOBIAN, Views.TRAINING)) {
            long expected = done.stream().mapToLong(d -> d.rows(table)).sum();
            if ((table.equals(Views.JACOBIAN) || table.equals(Views.TRAINING)) && expected == 0) {
                continue; // a sweep without gradients (training) has no jacobian (training) table
            }
            long found = 0;
            List<Path> dirs = new ArrayList<>();
            dirs.add(new Path(dir, table));
            done.forEach(d -> dirs.add(new Path(waveDir(d.wave()), table)));
            for (Path p : dirs) {
                try {
                    found += ParquetRows.count(p, conf);
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof ParquetRows.UnreadableFileException u) {
                        throw new Views.DamagedOutputException(shown(u.file()) + " is not a readable Parquet file ("
                                + u.reason() + "); the interrupted sweep cannot be resumed (pass --overwrite without"
                                + " --resume to start over)");
                    }
                    throw e;
                }
            }
            if (found != expected) {
                throw new Views.DamagedOutputException("the done waves of " + shown(dir) + " hold " + found + " " + table
                        + " rows but their records in " + shown(new Path(dir, WAVES)) + " say " + expected
                        + ": files are missing; the interrupted sweep cannot be resumed (pass --overwrite without --resume"
                        + " to start over)");
            }
        }
    }

    private static String shown(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** The committed waves, in wave order. */
    List<Done> done() {
        List<Done> done = new ArrayList<>();
        try {
            Path waves = new Path(dir, WAVES);
            if (!fs.exists(waves)) {
                return done; // removed after the merge, or not yet created
            }
            for (FileStatus f : fs.listStatus(waves)) {
                Matcher m = DONE_FILE.matcher(f.getPath().getName());
                if (f.isFile() && m.matches()) {
                    done.add(readDone(f.getPath()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        done.sort(Comparator.comparingInt(Done::wave));
        return done;
    }

    private Done readDone(Path file) throws IOException {
        JsonNode n = readJson(file);
        List<String> ids = new ArrayList<>();
        n.path("chain_ids").forEach(c -> ids.add(c.asText()));
        return new Done(n.path("wave").asInt(), List.copyOf(ids), n.path("points").asLong(), n.path("layers_rows").asLong(),
                n.path("runs_rows").asLong(), n.path("kernel_seconds").asDouble(), n.path("app_id").asText(),
                n.path("started").asText(), n.path("finished").asText(), n.path("partitions").asInt(),
                n.path("jacobian_rows").asLong(0), n.path("training_rows").asLong(0));
    }

    /**
     * Removes what a killed attempt left half-written: the directories of waves with no done
     * record, and temporary files. Returns how many unfinished waves were removed.
     */
    int discardUnfinished() {
        int removed = 0;
        try {
            Path waves = new Path(dir, WAVES);
            if (!fs.exists(waves)) {
                return 0;
            }
            for (FileStatus f : fs.listStatus(waves)) {
                String name = f.getPath().getName();
                boolean unfinishedWave = f.isDirectory() && WAVE_DIR.matcher(name).matches()
                        && !fs.exists(new Path(waves, name + DONE_SUFFIX));
                if (unfinishedWave || name.startsWith(".") || name.startsWith("_")) {
                    fs.delete(f.getPath(), true);
                    removed += unfinishedWave ? 1 : 0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    /** Where wave {@code wave} writes its tables. */
    Path waveDir(int wave) {
        return new Path(new Path(dir, WAVES), String.format("%05d", wave));
    }

    /** Records wave {@code d.wave()} as done; after this returns, its rows are part of the sweep. */
    void markDone(Done d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("wave", d.wave());
        n.put("points", d.points());
        n.put("layers_rows", d.layersRows());
        n.put("runs_rows", d.runsRows());
        if (d.jacobianRows() > 0) {
            n.put("jacobian_rows", d.jacobianRows());
        }
        if (d.trainingRows() > 0) {
            n.put("training_rows", d.trainingRows());
        }
        n.put("kernel_seconds", d.kernelSeconds());
        n.put("app_id", d.appId());
        n.put("started", d.started());
        n.put("finished", d.finished());
        n.put("partitions", d.partitions());
        d.chainIds().forEach(n.putArray("chain_ids")::add);
        try {
            writeAtomically(new Path(new Path(dir, WAVES), String.format("%05d", d.wave()) + DONE_SUFFIX), n,
                    Faults.WAVE_DONE_TEMP_WRITTEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves every committed wave's data files into {@code layers/} and {@code runs/} (same
     * partition directories; Spark's file names are unique per job). Repeatable: a kill halfway
     * leaves each file in one place or the other, never lost, and the done records stay.
     */
    void mergeTables(List<String> tables) {
        try {
            for (Done d : done()) {
                Path wave = waveDir(d.wave());
                for (String table : tables) {
                    Path from = new Path(wave, table);
                    if (!fs.exists(from)) {
                        continue;
                    }
                    String prefix = from.toUri().getPath();
                    for (FileStatus f : ParquetRows.files(fs, from)) {
                        Path p = f.getPath();
                        String relative = p.toUri().getPath().substring(prefix.length() + 1);
                        Path to = new Path(new Path(dir, table), relative);
                        fs.mkdirs(to.getParent());
                        if (!fs.rename(p, to)) {
                            throw new IOException("cannot move " + p + " to " + to);
                        }
                        Faults.at(Faults.MERGE_FIRST_FILE_MOVED);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Faults.at(Faults.MERGED);
    }

    /**
     * After the tables were merged and the manifest written: removes the state, then the waves'
     * records, leaving exactly what the output will hold. Repeatable.
     */
    void cleanUp() {
        try {
            // the state first: without it the directory is ready to commit, so a resume after a kill
            // here never takes the merged tables for waves still to compute
            if (fs.delete(new Path(dir, STATE), false)) {
                Faults.at(Faults.STATE_REMOVED);
            }
            fs.delete(new Path(dir, WAVES), true);
            Faults.at(Faults.WAVES_REMOVED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the whole in-progress directory (a fresh start was asked for). */
    void delete() {
        try {
            fs.delete(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether only the final rename is left: a kill came after {@link #cleanUp} (the state is
     * gone, the manifest is there).
     */
    boolean readyToCommit(String manifest) {
        try {
            return !fs.exists(new Path(dir, STATE)) && fs.exists(new Path(dir, manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeAtomically(Path file, JsonNode n, String tempWritten) throws IOException {
        writeAtomically(fs, file, (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8), tempWritten);
    }

    /**
     * Writes {@code bytes} to a temporary name next to {@code file} and renames it into place, so
     * a reader finds the whole file or none; {@code tempWritten} is the fault step in between.
     */
    static void writeAtomically(FileSystem fs, Path file, byte[] bytes, String tempWritten) throws IOException {
        Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        Faults.at(tempWritten);
        if (!fs.rename(tmp, file)) {
            throw new IOException("cannot rename " + tmp + " to " + file);
        }
    }
}
