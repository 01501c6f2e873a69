package org.flinkconnectors.lake.core;

import org.flinkconnectors.base.retry.Retrier;
import org.flinkconnectors.base.retry.RetryPolicy;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * How the Iceberg and Delta commit operations retry a checkpoint's commit that lost a race with a
 * concurrent writer: a few attempts with a growing backoff, each attempt re-reading the table (the
 * attempts are idempotent through the checkpoint's {@link LakeCommitId}). What counts as a lost
 * race is the format's to say.
 */
@Internal
public final class LakeCommitRetries {

    private static final RetryPolicy RETRIES =
            RetryPolicy.of(5, Duration.ofMillis(100), Duration.ofSeconds(5));

    private LakeCommitRetries() {}

    /**
     * Runs {@code attempt} until it succeeds or fails with an error {@code retryable} rejects or
     * the attempts run out; {@code verb} ("commit", "overwrite") names the operation in the log and
     * in errors. Checked errors other than {@link IOException} come back wrapped in one.
     */
    public static OptionalLong call(
            String verb,
            LakeCommitId id,
            String tableName,
            Predicate<Throwable> retryable,
            Retrier.Action<OptionalLong> attempt)
            throws IOException {
        try {
            return new Retrier(RETRIES, retryable)
                    .call(verb + " checkpoint " + id.checkpointId() + " to " + tableName, attempt);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(
                    "Could not " + verb + " checkpoint " + id + " to " + tableName, e);
        }
    }
}
