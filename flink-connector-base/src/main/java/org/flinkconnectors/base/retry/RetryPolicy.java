package org.flinkconnectors.base.retry;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import java.io.Serializable;
import java.time.Duration;

/**
 * Bounded exponential backoff: at most {@code maxAttempts} attempts, the delay doubling from {@code
 * initialBackoff} up to {@code maxBackoff}. Immutable and serializable so it can travel with a
 * source or sink to the task managers.
 */
@PublicEvolving
public final class RetryPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        Preconditions.checkArgument(maxAttempts >= 1, "maxAttempts must be at least 1");
        Preconditions.checkArgument(!initialBackoff.isNegative(), "initialBackoff is negative");
        Preconditions.checkArgument(
                maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff < initialBackoff");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** A policy of {@code maxAttempts} attempts with backoff between them. */
    public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
    }

    /** A policy that tries once and never retries. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The pause after the given failed attempt (1-based). */
    public Duration backoffAfter(int failedAttempt) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < failedAttempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    @Override
    public String toString() {
        return String.format(
                "RetryPolicy{maxAttempts=%d, initialBackoff=%s, maxBackoff=%s}",
                maxAttempts, initialBackoff, maxBackoff);
    }
}
