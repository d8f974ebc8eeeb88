package io.initsweep.job;

import java.util.List;

/**
 * A test hook that kills the driver at one step of committing a sweep, as {@code kill -9} would:
 * with {@code -Dinitsweep.fault.die-at=STEP} the driver JVM halts there (no finally blocks, no
 * shutdown hooks, exit code {@link #EXIT_CODE}). Off unless that property is set; an unknown step
 * name is refused when the first step is reached, so a test cannot ask for a step that never comes.
 * The fault tests use it to prove that every step of a wave's commit and of the final move into
 * place can be resumed and never shows a reader a partial sweep.
 */
public final class Faults {
    /** The property that names the step to die at. */
    public static final String PROPERTY = "initsweep.fault.die-at";
    /** The exit code of a driver halted by this hook. */
    public static final int EXIT_CODE = 86;

    /** The sweep's in-progress directory exists (with waves/), its state file does not yet. */
    public static final String SWEEP_DIR_CREATED = "sweep-dir-created";
    /** The state file is written under its temporary name, not yet renamed. */
    public static final String STATE_TEMP_WRITTEN = "state-temp-written";
    /** A wave's layers table is written, its runs table not yet. */
    public static final String WAVE_LAYERS_WRITTEN = "wave-layers-written";
    /** A wave's runs table is written, its done record not yet. */
    public static final String WAVE_RUNS_WRITTEN = "wave-runs-written";
    /** A wave's done record is written under its temporary name, not yet renamed. */
    public static final String WAVE_DONE_TEMP_WRITTEN = "wave-done-temp-written";
    /** A wave's done record is in place. */
    public static final String WAVE_DONE = "wave-done";
    /** The merge of the waves' files into the tables has moved one file. */
    public static final String MERGE_FIRST_FILE_MOVED = "merge-first-file-moved";
    /** Every wave's files are in the tables. */
    public static final String MERGED = "merged";
    /** The manifest is written under its temporary name, not yet renamed. */
    public static final String MANIFEST_TEMP_WRITTEN = "manifest-temp-written";
    /** The manifest is in place; the waves' records and the state are still there. */
    public static final String MANIFEST_WRITTEN = "manifest-written";
    /** The state is removed (the directory is ready to move into place); the waves' records are still there. */
    public static final String STATE_REMOVED = "state-removed";
    /** The waves' records are removed: the in-progress directory holds exactly the finished sweep. */
    public static final String WAVES_REMOVED = "waves-removed";
    /** Results already at the target were moved aside (an overwrite); the new ones are not in place. */
    public static final String TARGET_MOVED_ASIDE = "target-moved-aside";
    /** The new sweep is at the target; results moved aside are not yet deleted. */
    public static final String STAGING_IN_PLACE = "staging-in-place";
    /** Everything is in place; the lock is not yet released. */
    public static final String COMMITTED = "committed";
    /**
     * In place (the manifest commits): the manifest is put and the files it does not list (the
     * replaced sweep's) are deleted; the waves' records and the state are still there.
     */
    public static final String UNLISTED_REMOVED = "unlisted-files-removed";

    /**
     * Every step of a commit by rename (a local disk, HDFS), in the order a run that overwrites results
     * and has two waves or more reaches them.
     */
    public static final List<String> RENAME_STEPS = List.of(SWEEP_DIR_CREATED, STATE_TEMP_WRITTEN, WAVE_LAYERS_WRITTEN,
            WAVE_RUNS_WRITTEN, WAVE_DONE_TEMP_WRITTEN, WAVE_DONE, MERGE_FIRST_FILE_MOVED, MERGED, MANIFEST_TEMP_WRITTEN,
            MANIFEST_WRITTEN, STATE_REMOVED, WAVES_REMOVED, TARGET_MOVED_ASIDE, STAGING_IN_PLACE, COMMITTED);
    /**
     * Every step of a commit by the manifest (object stores), in the order a run that overwrites
     * results and has two waves or more reaches them: the data files are written in place, the
     * manifest's put is the commit ({@link #MANIFEST_WRITTEN}), then what it does not list is deleted.
     */
    public static final List<String> MANIFEST_STEPS = List.of(SWEEP_DIR_CREATED, STATE_TEMP_WRITTEN, WAVE_LAYERS_WRITTEN,
            WAVE_RUNS_WRITTEN, WAVE_DONE_TEMP_WRITTEN, WAVE_DONE, MANIFEST_WRITTEN, UNLISTED_REMOVED, WAVES_REMOVED,
            STATE_REMOVED, COMMITTED);
    /** Every step name. */
    public static final List<String> STEPS = java.util.stream.Stream.concat(RENAME_STEPS.stream(), MANIFEST_STEPS.stream())
            .distinct().toList();

    private static final String DIE_AT = System.getProperty(PROPERTY);

    private Faults() {}

    /** Step {@code step} of a commit is reached: halts the JVM there if the hook asks for it. */
    static void at(String step) {
        if (DIE_AT == null) {
            return;
        }
        if (!STEPS.contains(DIE_AT)) {
            throw new IllegalStateException(PROPERTY + " must be one of " + STEPS + ", found '" + DIE_AT + "'");
        }
        if (DIE_AT.equals(step)) {
            System.err.println("initsweep: " + PROPERTY + ": the driver dies at " + step);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
