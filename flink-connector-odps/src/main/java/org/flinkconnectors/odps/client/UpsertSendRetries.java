package org.flinkconnectors.odps.client;

import org.flinkconnectors.base.retry.RetryPolicy;
import org.flinkconnectors.odps.table.OdpsConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.aliyun.odps.tunnel.TunnelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

/**
 * How the data of one upsert session rides out a briefly unavailable MaxCompute, with the
 * connector's {@link RetryPolicy} ({@code client.max-retries}, {@code client.retry-backoff}).
 *
 * <p>The SDK's upsert stream sends each bucket's buffer as one request over a new connection and
 * keeps the encoded buffer until the service answered it with success. Two failures are retried
 * here, each at most {@code client.max-retries} times with backoff:
 *
 * <ul>
 *   <li>a connection that cannot be opened ({@link #retryConnect}): nothing has been sent on it;
 *   <li>a request that failed ({@link #retrySend}, the stream listener's {@code onFlushFail}): the
 *       stream then sends the unacknowledged buffers again, byte for byte, after every request of
 *       the attempt has ended. A request the service refused (other 4xx) is not retried.
 * </ul>
 *
 * <p>When it gives up it remembers why, so the error can say what was retried and how often.
 */
@Internal
public final class UpsertSendRetries {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertSendRetries.class);

    private static final int SLOT_REASSIGNED = 308;
    private static final int TOO_MANY_REQUESTS = 429;

    private final RetryPolicy policy;
    private final Pause pause;

    /** The SDK attempt ({@code retry}) the last pause was taken for. */
    private volatile int pausedForRetry = -1;

    /** Whether a connection was opened since the last pause, i.e. a new attempt began. */
    private volatile boolean connectedSincePause = true;

    @Nullable private volatile String gaveUp;

    public UpsertSendRetries(RetryPolicy policy) {
        this(policy, Thread::sleep);
    }

    @VisibleForTesting
    UpsertSendRetries(RetryPolicy policy, Pause pause) {
        this.policy = policy;
        this.pause = pause;
    }

    /**
     * Decides after the {@code failedAttempts}-th failed attempt to connect to {@code address}
     * whether to try again, and pauses first if so.
     */
    boolean retryConnect(int failedAttempts, String address, Throwable cause) {
        if (failedAttempts >= policy.maxAttempts()) {
            gaveUp =
                    String.format(
                            "could not connect to MaxCompute at %s in %d attempt(s) (%s = %d): %s",
                            address, failedAttempts, maxRetriesKey(), maxRetries(), cause);
            return false;
        }
        long millis = policy.backoffAfter(failedAttempts).toMillis();
        LOG.warn(
                "Connecting to MaxCompute at {} failed (attempt {}/{}: {}); retrying in {} ms.",
                address,
                failedAttempts,
                policy.maxAttempts(),
                cause.toString(),
                millis);
        return pause(millis);
    }

    /** A connection for a send is being opened: every attempt of the stream opens new ones. */
    void connecting() {
        connectedSincePause = true;
    }

    /**
     * The stream listener's {@code onFlushFail}: whether the stream should send the buffers of the
     * failed requests again. The stream asks once per failed request of an attempt ({@code retry},
     * 0 for the first); the pause is taken once per attempt.
     *
     * @param what the session, for the log
     */
    public boolean retrySend(Exception error, int retry, String what) {
        int failedAttempts = retry + 1;
        Integer status = statusOf(error);
        if (!isRetryable(status)) {
            gaveUp =
                    String.format(
                            "%s (HTTP %d, a refusal that is not retried)",
                            error.getMessage(), status);
            return false;
        }
        if (failedAttempts >= policy.maxAttempts()) {
            gaveUp =
                    String.format(
                            "gave up after %d attempt(s) (%s = %d): %s",
                            failedAttempts, maxRetriesKey(), maxRetries(), describe(error, status));
            return false;
        }
        if (retry == pausedForRetry && !connectedSincePause) {
            return true; // another failed request of the attempt already paused
        }
        pausedForRetry = retry;
        connectedSincePause = false;
        // A reassigned slot is a new route, not a failure: the stream already took it.
        long millis =
                status != null && status == SLOT_REASSIGNED
                        ? 0
                        : policy.backoffAfter(failedAttempts).toMillis();
        LOG.warn(
                "Sending the buffered changes of {} failed (attempt {}/{}: {}); sending the"
                        + " unacknowledged buckets again in {} ms.",
                what,
                failedAttempts,
                policy.maxAttempts(),
                describe(error, status),
                millis);
        return pause(millis);
    }

    /**
     * Why a stream call failed: how the retries ended if they gave up during it, else the error's
     * own message. Forgets the reason, so that it is reported once.
     */
    public String explain(Exception thrown) {
        String reason = gaveUp;
        gaveUp = null;
        return reason != null ? reason : String.valueOf(thrown.getMessage());
    }

    /** Whether a failed request's answer (or its absence) is worth sending the request again. */
    @VisibleForTesting
    static boolean isRetryable(@Nullable Integer status) {
        // No status: no answer (refused, reset or closed connection, read timeout).
        return status == null
                || status == SLOT_REASSIGNED
                || status == TOO_MANY_REQUESTS
                || status >= 500;
    }

    /** Whether the answer came from a gateway that lost its worker: the routes need a reload. */
    public static boolean isGatewayError(Exception error) {
        Integer status = statusOf(error);
        return status != null && (status == 502 || status == 504);
    }

    @Nullable
    private static Integer statusOf(Exception error) {
        return error instanceof TunnelException ? ((TunnelException) error).getStatus() : null;
    }

    private static String describe(Exception error, @Nullable Integer status) {
        return status == null
                ? "no answer: " + error.getMessage()
                : "HTTP " + status + ": " + error.getMessage();
    }

    private int maxRetries() {
        return policy.maxAttempts() - 1;
    }

    private static String maxRetriesKey() {
        return OdpsConnectorOptions.CLIENT_MAX_RETRIES.key();
    }

    /** Pauses; false if interrupted, which ends the retries. */
    private boolean pause(long millis) {
        if (millis <= 0) {
            return true;
        }
        try {
            pause.pause(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How a retry waits: {@link Thread#sleep}, or a recording stand-in in tests. */
    @VisibleForTesting
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }
}
