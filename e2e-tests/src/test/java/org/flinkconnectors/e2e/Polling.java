package org.flinkconnectors.e2e;

import org.apache.flink.core.testutils.CommonTestUtils;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Waits for a value by polling it until a deadline (Flink's {@code CommonTestUtils.waitUtil}). */
final class Polling {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Polling() {}

    /**
     * Calls {@code probe} until it returns a value, and returns that value; fails once {@code
     * timeout} has passed. Exceptions of the probe fail at once: a probe returns empty for "not
     * yet", and throws for "never".
     */
    static <T> T poll(String what, Duration timeout, Callable<Optional<T>> probe) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CommonTestUtils.waitUtil(
                () -> {
                    try {
                        probe.call().ifPresent(result::set);
                    } catch (Exception e) {
                        // Stop polling and hand the probe's own exception to the caller.
                        failure.set(e);
                    }
                    return result.get() != null || failure.get() != null;
                },
                timeout,
                INTERVAL,
                "Timed out after " + timeout + " waiting for " + what);
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }
}
