package io.initsweep.job;

import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * A run stopped because the file system of its output is full. What was written stays in the
 * in-progress directory, so a run with {@code --resume} on a disk with space finishes the sweep;
 * results already at the target are untouched.
 */
public final class DiskFullException extends RuntimeException {
    private static final String[] CAUSES = {"No space left on device", "Disk quota exceeded"};

    DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The one-line failure for {@code failure} if it, or any exception it wraps (Spark passes an
     * executor's failure on as text), says the disk is full; empty otherwise.
     */
    static Optional<DiskFullException> ifDiskFull(Throwable failure, Path target) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String cause : CAUSES) {
                if (message.contains(cause)) {
                    return Optional.of(new DiskFullException("cannot write the output " + shown(target) + ": "
                            + cause.toLowerCase(java.util.Locale.ROOT) + " (in " + shown(target.getParent())
                            + "); results already there are untouched; free space, then finish the sweep with --resume",
                            failure));
                }
            }
        }
        return Optional.empty();
    }

    private static String shown(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
