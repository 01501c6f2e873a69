package org.flinkconnectors.odps.testutils;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time of an {@link OdpsTestServer}: the wall clock plus an offset tests can move forward, so
 * that sessions reach the end of their lifetime (24 hours on MaxCompute) without waiting.
 */
public final class ServerClock {

    private final AtomicLong offsetMillis = new AtomicLong();

    /** Milliseconds since the epoch as the server sees them. */
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    /** Moves the server's time forward. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("The server clock only moves forward.");
        }
        offsetMillis.addAndGet(duration.toMillis());
    }
}
