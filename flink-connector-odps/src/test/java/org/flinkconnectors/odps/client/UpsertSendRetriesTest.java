package org.flinkconnectors.odps.client;

import org.flinkconnectors.base.retry.RetryPolicy;

import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the upsert stream's retries decide: which failed sends are sent again, how often, how long
 * they pause (once per attempt, however many buckets failed), and what they say when they give up.
 */
class UpsertSendRetriesTest {

    private static final String SESSION = "upsert session s1 of table p.t";

    private final List<Long> pauses = new ArrayList<>();

    /** Two retries, pausing 100 ms and then 200 ms. */
    private final UpsertSendRetries retries =
            new UpsertSendRetries(
                    RetryPolicy.of(3, Duration.ofMillis(100), Duration.ofSeconds(30)), pauses::add);

    @Test
    void failedSendsAreRetriedUpToTheLimitThenExplained() {
        retries.connecting();
        assertThat(retries.retrySend(noAnswer(), 0, SESSION)).isTrue();
        retries.connecting();
        assertThat(retries.retrySend(answer(503), 1, SESSION)).isTrue();
        retries.connecting();
        assertThat(retries.retrySend(noAnswer(), 2, SESSION)).isFalse();

        assertThat(pauses).containsExactly(100L, 200L);
        assertThat(retries.explain(new TunnelException("sdk message")))
                .startsWith("gave up after 3 attempt(s) (client.max-retries = 2): no answer: ")
                .endsWith("connection reset");
        assertThat(retries.explain(new TunnelException("next failure")))
                .as("told once")
                .endsWith("next failure")
                .doesNotContain("gave up");
    }

    @Test
    void pausesOncePerAttemptHoweverManyBucketsFailed() {
        retries.connecting();
        for (int bucket = 0; bucket < 4; bucket++) {
            assertThat(retries.retrySend(noAnswer(), 0, SESSION)).isTrue();
        }
        retries.connecting();
        for (int bucket = 0; bucket < 2; bucket++) {
            assertThat(retries.retrySend(answer(500), 1, SESSION)).isTrue();
        }
        assertThat(pauses).containsExactly(100L, 200L);
    }

    @Test
    void aNewFlushPausesAgainFromItsFirstAttempt() {
        retries.connecting();
        assertThat(retries.retrySend(noAnswer(), 0, SESSION)).isTrue();
        // The next flush's first attempt fails too: the SDK counts from 0 again.
        retries.connecting();
        assertThat(retries.retrySend(noAnswer(), 0, SESSION)).isTrue();
        assertThat(pauses).containsExactly(100L, 100L);
    }

    @Test
    void refusalsAreNotRetried() {
        for (int status : new int[] {400, 401, 403, 404, 409}) {
            assertThat(retries.retrySend(answer(status), 0, SESSION))
                    .as("HTTP %s", status)
                    .isFalse();
            assertThat(retries.explain(answer(status)))
                    .contains("HTTP " + status + ", a refusal that is not retried");
        }
        assertThat(pauses).isEmpty();
    }

    @Test
    void throttlingIsRetriedAndReroutesAtOnce() {
        retries.connecting();
        assertThat(retries.retrySend(answer(308), 0, SESSION)).isTrue();
        retries.connecting();
        assertThat(retries.retrySend(answer(429), 1, SESSION)).isTrue();
        assertThat(pauses).containsExactly(200L);
    }

    @Test
    void connectionsAreRetriedUpToTheLimitThenExplained() {
        ConnectException refused = new ConnectException("Connection refused");
        assertThat(retries.retryConnect(1, "10.0.0.1:80", refused)).isTrue();
        assertThat(retries.retryConnect(2, "10.0.0.1:80", refused)).isTrue();
        assertThat(retries.retryConnect(3, "10.0.0.1:80", refused)).isFalse();

        assertThat(pauses).containsExactly(100L, 200L);
        assertThat(retries.explain(new IOException("Failed to create an active channel")))
                .isEqualTo(
                        "could not connect to MaxCompute at 10.0.0.1:80 in 3 attempt(s)"
                                + " (client.max-retries = 2): java.net.ConnectException:"
                                + " Connection refused");
    }

    private static TunnelException noAnswer() {
        return new TunnelException("connection reset");
    }

    private static TunnelException answer(int status) {
        TunnelException e = new TunnelException("status " + status);
        e.setStatus(status);
        return e;
    }
}
