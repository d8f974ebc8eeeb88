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
 *
 * <p>Where the manifest is the commit ({@link OutputDir.Commit#MANIFEST}, object stores) the
 * directory holds only the state and the waves' records: each wave writes its data files in place,
 * under the target's table directories, and its record lists them. Files there that neither a done
 * record nor the sweep being replaced lists are a killed wave's, and a resume deletes them. When
 * every wave is done the manifest, listing every file, is put at the target: that is the commit.
 * Then the files no longer listed (the replaced sweep's) are deleted, and the directory.
 */
final class Waves {
    static final String STATE = "sweep.json";
    static final String WAVES = "waves";
    private static final String DONE_SUFFIX = ".done";
    private static final Pattern WAVE_DIR = Pattern.compile("\\d{5}");
    private static final Pattern DONE_FILE = Pattern.compile("(\\d{5})\\.done");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The tables a sweep may write, each a directory under the target. */
    static final List<String> TABLES = List.of(Views.LAYERS, Views.RUNS, Views.JACOBIAN, Views.TRAINING);

    private final OutputDir out;
    private final FileSystem fs;
    private final Path dir;

    private Waves(OutputDir out, Path dir) {
        this.out = out;
        this.fs = out.fileSystem();
        this.dir = dir;
    }

    /** Whether the waves write their data files in place, under the target, and the manifest commits them. */
    boolean inPlace() {
        return out.protocol() == OutputDir.Commit.MANIFEST;
    }

    /** Where wave {@code wave} writes table {@code table}: its own directory, or in place under the target. */
    Path tableDir(int wave, String table) {
        return inPlace() ? new Path(out.target(), table) : new Path(waveDir(wave), table);
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

    /**
     * A committed wave, as its record says; {@code files} are the data files it wrote in place, by
     * table, relative to the table's directory (empty unless {@link #inPlace}).
     */
    record Done(int wave, List<String> chainIds, long points, long layersRows, long runsRows, double kernelSeconds,
            String appId, String started, String finished, int partitions, long jacobianRows, long trainingRows,
            java.util.Map<String, List<String>> files) {

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

    /**
     * The sweep in progress at {@code out}, if there is one. In place, a directory with neither state
     * nor waves is none: what is left of one whose commit was finished (see {@link #removeLeftover}).
     */
    static Optional<Waves> find(OutputDir out) {
        Path d = dirFor(out);
        FileSystem fs = out.fileSystem();
        try {
            if (out.protocol() == OutputDir.Commit.MANIFEST && fs.exists(d) && !fs.exists(new Path(d, STATE))
                    && !fs.exists(new Path(d, WAVES))) {
                return Optional.empty();
            }
            return fs.exists(d) ? Optional.of(new Waves(out, d)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the empty in-progress directory a run killed at the end of an in-place commit left; only under the lock. */
    static void removeLeftover(OutputDir out) {
        if (out.protocol() == OutputDir.Commit.MANIFEST && find(out).isEmpty()) {
            try {
                out.fileSystem().delete(dirFor(out), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts a sweep at {@code out}: creates the directory and its state (identity, first start). */
    static Waves create(OutputDir out, Identity id, long gridPoints, long chains, String started) {
        Path d = dirFor(out);
        Waves w = new Waves(out, d);
        ObjectNode s = JSON.createObjectNode();
        s.put("spec_sha256", id.specSha256());
        id.dataSha256().forEach(s.putArray("data_sha256")::add);
        s.put("git_commit", id.gitCommit());
        s.put("grid_points", gridPoints);
        s.put("chains", chains);
        s.put("started", started);
        try {
            if (w.inPlace()) {
                // what the target holds now is not this sweep's: a resume keeps it, the commit deletes it
                s.put("commit_id", java.util.UUID.randomUUID().toString());
                ObjectNode before = s.putObject("preexisting");
                for (String table : TABLES) {
                    w.relative(table, ParquetRows.listData(w.fs, new Path(out.target(), table))).forEach(before.putArray(table)::add);
                }
            }
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

    /** {@code files} below the target's directory of {@code table}, as paths relative to it. */
    List<String> relative(String table, List<Path> files) {
        String prefix = fs.makeQualified(new Path(out.target(), table)).toUri().getPath() + "/";
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            String p = fs.makeQualified(f).toUri().getPath();
            if (!p.startsWith(prefix)) {
                throw new IllegalStateException(f + " is not below " + prefix);
            }
            names.add(p.substring(prefix.length()));
        }
        return names;
    }

    /** The data files of {@code table} in place under the target that the done waves list. */
    List<Path> doneFiles(String table) {
        Path tableDir = new Path(out.target(), table);
        List<Path> files = new ArrayList<>();
        for (Done d : done()) {
            d.files().getOrDefault(table, List.of()).forEach(f -> files.add(new Path(tableDir, f)));
        }
        return files;
    }

    /**
     * Whether the manifest at the target is this sweep's: the commit is done and only deleting what
     * it no longer lists and this directory are left ({@link #inPlace} only).
     */
    boolean committed() {
        if (!inPlace() || !hasState()) {
            return false;
        }
        try {
            byte[] bytes = Views.readBytes(fs, new Path(out.target(), Views.MANIFEST));
            String id = JSON.readTree(bytes).path("commit_id").asText("");
            return !id.isEmpty() && id.equals(state().path("commit_id").asText());
        } catch (java.io.FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            return false; // not this sweep's manifest, or not a manifest at all: the sweep is not committed
        }
    }

    /** The commit id this sweep's manifest carries ({@link #inPlace} only). */
    String commitId() {
        return state().path("commit_id").asText();
    }

    /**
     * Deletes every data file under the target's table directories that {@code keep} does not
     * hold (relative paths by table), and Spark's {@code _temporary} directories there. Returns how
     * many files were deleted.
     */
    int deleteUnlisted(java.util.Map<String, java.util.Set<String>> keep) {
        int deleted = 0;
        try {
            for (String table : TABLES) {
                Path tableDir = new Path(out.target(), table);
                java.util.Set<String> kept = keep.getOrDefault(table, java.util.Set.of());
                List<Path> present = ParquetRows.listData(fs, tableDir);
                List<String> names = relative(table, present);
                for (int i = 0; i < present.size(); i++) {
                    if (!kept.contains(names.get(i))) {
                        fs.delete(present.get(i), false);
                        deleted++;
                    }
                }
                fs.delete(new Path(tableDir, "_temporary"), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deleted;
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
        for (String table : TABLES) {
            long expected = done.stream().mapToLong(d -> d.rows(table)).sum();
            if ((table.equals(Views.JACOBIAN) || table.equals(Views.TRAINING)) && expected == 0) {
                continue; // a sweep without gradients (training) has no jacobian (training) table
            }
            if (inPlace()) {
                long found;
                try {
                    found = ParquetRows.count(fs, doneFiles(table), conf);
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof ParquetRows.UnreadableFileException u) {
                        throw new Views.DamagedOutputException(shown(u.file()) + " is not a readable Parquet file ("
                                + u.reason() + "); the interrupted sweep cannot be resumed (pass --overwrite without"
                                + " --resume to start over)");
                    }
                    if (e.getCause() instanceof java.io.FileNotFoundException gone) {
                        throw new Views.DamagedOutputException(gone.getMessage().strip().lines().findFirst().orElse("")
                                + ": a file a done wave of " + shown(dir) + " lists is missing; the interrupted sweep cannot"
                                + " be resumed (pass --overwrite without --resume to start over)");
                    }
                    throw e;
                }
                if (found != expected) {
                    throw new Views.DamagedOutputException("the files the done waves of " + shown(dir) + " list hold " + found
                            + " " + table + " rows but their records say " + expected + "; the interrupted sweep cannot be"
                            + " resumed (pass --overwrite without --resume to start over)");
                }
                continue;
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
        java.util.Map<String, List<String>> files = new java.util.LinkedHashMap<>();
        n.path("files").fields().forEachRemaining(e -> {
            List<String> names = new ArrayList<>();
            e.getValue().forEach(f -> names.add(f.asText()));
            files.put(e.getKey(), List.copyOf(names));
        });
        return new Done(n.path("wave").asInt(), List.copyOf(ids), n.path("points").asLong(), n.path("layers_rows").asLong(),
                n.path("runs_rows").asLong(), n.path("kernel_seconds").asDouble(), n.path("app_id").asText(),
                n.path("started").asText(), n.path("finished").asText(), n.path("partitions").asInt(),
                n.path("jacobian_rows").asLong(0), n.path("training_rows").asLong(0), java.util.Map.copyOf(files));
    }

    /**
     * Removes what a killed attempt left half-written: the directories of waves with no done
     * record, and temporary files. Returns how many unfinished waves were removed.
     */
    int discardUnfinished() {
        int removed = 0;
        try {
            Path waves = new Path(dir, WAVES);
            if (inPlace() && hasState()) {
                // a killed wave's files in place: listed neither by a done wave nor by what the target held before
                java.util.Map<String, java.util.Set<String>> keep = new java.util.HashMap<>();
                JsonNode before = state().path("preexisting");
                for (String table : TABLES) {
                    java.util.Set<String> kept = new java.util.HashSet<>();
                    before.path(table).forEach(f -> kept.add(f.asText()));
                    for (Done d : done()) {
                        kept.addAll(d.files().getOrDefault(table, List.of()));
                    }
                    keep.put(table, kept);
                }
                deleteUnlisted(keep);
            }
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
        if (!d.files().isEmpty()) {
            ObjectNode files = n.putObject("files");
            d.files().forEach((table, names) -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = files.putArray(table);
                names.forEach(a::add);
            });
        }
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

    /**
     * After the manifest committed the sweep in place ({@link #inPlace}): deletes the files it does
     * not list (the replaced sweep's, a killed wave's), then the waves' records, then the state
     * (last: while it is there a resume can tell that this sweep is committed), then the directory.
     * Repeatable.
     */
    void cleanUpCommitted(java.util.Map<String, java.util.Set<String>> listed) {
        deleteUnlisted(listed);
        Faults.at(Faults.UNLISTED_REMOVED);
        try {
            fs.delete(new Path(dir, WAVES), true);
            Faults.at(Faults.WAVES_REMOVED);
            fs.delete(new Path(dir, STATE), false);
            Faults.at(Faults.STATE_REMOVED);
            fs.delete(dir, true);
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
        if (inPlace()) {
            return committed();
        }
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
