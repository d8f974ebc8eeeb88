package io.initsweep.report;

/**
 * A report request that cannot be met as given (a target that exists, a selection that matches
 * nothing): a usage error, reported in one line with nothing written.
 */
public class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }
}
