package io.initsweep.spec;

import io.initsweep.sim.InputDistribution;
import java.io.Serializable;

/**
 * One entry of the input axis: a drawn distribution, or a data file. A data file's shape and
 * digest are unknown to the parser (it reads no data); the job's input reader fills them in with
 * {@link #resolve} before the grid is expanded.
 *
 * @param distribution normal, uniform or data
 * @param path the data file as written in the spec; null for drawn inputs
 * @param sha256 the data file's SHA-256, once resolved; null otherwise
 * @param rows the data file's rows, once resolved; 0 otherwise
 * @param cols the data file's numeric columns, once resolved; 0 otherwise
 * @param correlation c⁰, the pairwise correlation of a normal input's rows (0 for independent rows
 *     and for every other input)
 */
public record InputChoice(InputDistribution distribution, String path, String sha256, long rows, int cols,
        double correlation) implements Serializable {

    /** A drawn input with independent rows. */
    public static InputChoice drawn(InputDistribution distribution) {
        return drawn(distribution, 0.0);
    }

    /** A drawn input whose rows have pairwise correlation {@code correlation} (normal only, when non-zero). */
    public static InputChoice drawn(InputDistribution distribution, double correlation) {
        if (distribution == InputDistribution.DATA) {
            throw new IllegalArgumentException("a data input needs its file");
        }
        return new InputChoice(distribution, null, null, 0, 0, correlation);
    }

    /** A data file, not yet read. */
    public static InputChoice data(String path) {
        return new InputChoice(InputDistribution.DATA, path, null, 0, 0, 0.0);
    }

    /** Whether this is a data file. */
    public boolean isData() {
        return distribution == InputDistribution.DATA;
    }

    /** Whether its shape is known (always, for drawn inputs). */
    public boolean resolved() {
        return !isData() || sha256 != null;
    }

    /** This data input with its file's digest and shape. */
    public InputChoice resolve(String digest, long fileRows, int fileCols) {
        if (!isData()) {
            throw new IllegalStateException("only a data input is resolved");
        }
        return new InputChoice(distribution, path, digest, fileRows, fileCols, correlation);
    }

    /** The {@code input} column's value: {@code normal}, {@code uniform} or {@code data:<path>}. */
    public String label() {
        return isData() ? "data:" + path : distribution.id();
    }
}
