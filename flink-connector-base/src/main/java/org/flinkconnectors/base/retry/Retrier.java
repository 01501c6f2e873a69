package org.flinkconnectors.base.retry;

import org.apache.flink.annotation.PublicEvolving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Predicate;

/**
 * Runs an action under a {@link RetryPolicy}: transient failures (as judged by the caller's
 * predicate) are retried after a backoff; the last failure is wrapped in a {@link
 * RetriesExhaustedException} that says what was attempted and how often.
 */
@PublicEvolving
public final class Retrier {

    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    /** An action that may fail with any exception. */
    @FunctionalInterface
    public interface Action<T> {
        T run() throws Exception;
    }

    private final RetryPolicy policy;
    private final Predicate<Throwable> retryable;

    public Retrier(RetryPolicy policy, Predicate<Throwable> retryable) {
        this.policy = policy;
        this.retryable = retryable;
    }

    /**
     * Runs {@code action}, retrying retryable failures.
     *
     * @param description what the action does, for the error message ("list topics of ...")
     */
    public <T> T call(String description, Action<T> action) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            } catch (Exception e) {
                if (!retryable.test(e)) {
                    throw e;
                }
                if (attempt >= policy.maxAttempts()) {
                    throw new RetriesExhaustedException(description, attempt, e);
                }
                long pause = policy.backoffAfter(attempt).toMillis();
                LOG.warn(
                        "Attempt {}/{} to {} failed ({}); retrying in {} ms.",
                        attempt,
                        policy.maxAttempts(),
                        description,
                        e.toString(),
                        pause);
                Thread.sleep(pause);
            }
        }
    }
}
