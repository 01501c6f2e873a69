package org.flinkconnectors.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Waits for a condition by polling it until a deadline, never for a fixed time. */
final class Polling {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Polling() {}

    /**
     * Calls {@code probe} until it returns a value, and returns that value; fails once {@code
     * timeout} has passed. Exceptions of the probe fail at once: a probe returns empty for "not
     * yet", and throws for "never".
     */
    static <T> T poll(String what, Duration timeout, Callable<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = probe.call();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }
}
