package org.flinkconnectors.base.retry;

import org.apache.flink.annotation.PublicEvolving;

/** Thrown when an action kept failing until its {@link RetryPolicy} allowed no more attempts. */
@PublicEvolving
public class RetriesExhaustedException extends Exception {

    private static final long serialVersionUID = 1L;

    public RetriesExhaustedException(String description, int attempts, Throwable lastFailure) {
        super(
                String.format(
                        "Failed to %s after %d attempt(s); last error: %s",
                        description, attempts, lastFailure.getMessage()),
                lastFailure);
    }
}
