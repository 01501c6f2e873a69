package org.flinkconnectors.streams.source.reader;

import org.apache.flink.annotation.Internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A pushed-down {@code LIMIT} of a bounded read, shared by one reader's emitter (task thread, which
 * counts the emitted elements) and its split reader (fetcher thread, which stops reading once the
 * limit is reached). Counting emitted elements, not fetched records, keeps skipped records (parse
 * errors, tombstones) from cutting the result short.
 */
@Internal
public final class RecordLimit {

    private final long limit;
    private final AtomicLong emitted = new AtomicLong();

    private RecordLimit(long limit) {
        this.limit = limit;
    }

    /** A limit of {@code limit} elements, or none if negative. */
    public static RecordLimit of(long limit) {
        return new RecordLimit(limit);
    }

    public static RecordLimit none() {
        return new RecordLimit(-1);
    }

    void emitted() {
        if (limit >= 0) {
            emitted.incrementAndGet();
        }
    }

    boolean reached() {
        return limit >= 0 && emitted.get() >= limit;
    }
}
