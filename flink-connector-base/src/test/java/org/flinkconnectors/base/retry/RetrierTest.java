package org.flinkconnectors.base.retry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrierTest {

    private final RetryPolicy policy =
            RetryPolicy.of(3, Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void retriesTransientFailuresUntilSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retrier retrier = new Retrier(policy, e -> e instanceof IOException);

        String result =
                retrier.call(
                        "fetch",
                        () -> {
                            if (calls.incrementAndGet() < 3) {
                                throw new IOException("flaky");
                            }
                            return "ok";
                        });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void failsClearlyAfterTheLastAttempt() {
        AtomicInteger calls = new AtomicInteger();
        Retrier retrier = new Retrier(policy, e -> true);

        assertThatThrownBy(
                        () ->
                                retrier.call(
                                        "reach broker localhost:1",
                                        () -> {
                                            calls.incrementAndGet();
                                            throw new IOException("connection refused");
                                        }))
                .isInstanceOf(RetriesExhaustedException.class)
                .hasMessageContaining("reach broker localhost:1")
                .hasMessageContaining("3 attempt(s)")
                .hasMessageContaining("connection refused");
        assertThat(calls).hasValue(3);
    }

    @Test
    void doesNotRetryPermanentFailures() {
        AtomicInteger calls = new AtomicInteger();
        Retrier retrier = new Retrier(policy, e -> e instanceof IOException);

        assertThatThrownBy(
                        () ->
                                retrier.call(
                                        "parse",
                                        () -> {
                                            calls.incrementAndGet();
                                            throw new IllegalArgumentException("bad");
                                        }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        RetryPolicy p = RetryPolicy.of(10, Duration.ofMillis(100), Duration.ofMillis(350));

        assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(p.backoffAfter(9)).isEqualTo(Duration.ofMillis(350));
    }
}
