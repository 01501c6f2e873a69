package org.flinkconnectors.odps.source.reader;

import org.apache.flink.annotation.Internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A pushed-down {@code LIMIT} of one source reader. The fetcher takes elements from it as it
 * produces them and stops once it is used up, so the reader emits exactly {@code limit} elements
 * without over-reading; rows the deserializer skips do not count. Shared by the successive split
 * readers of a source reader, hence atomic.
 */
@Internal
public final class ReadLimit {

    private final long limit;
    private final AtomicLong produced = new AtomicLong();

    private ReadLimit(long limit) {
        this.limit = limit;
    }

    /** A limit of {@code limit} elements, or none if negative. */
    public static ReadLimit of(long limit) {
        return new ReadLimit(limit);
    }

    /** How many more elements may be produced. */
    long remaining() {
        return limit < 0 ? Long.MAX_VALUE : Math.max(0, limit - produced.get());
    }

    void produced(long count) {
        if (limit >= 0) {
            produced.addAndGet(count);
        }
    }

    boolean reached() {
        return remaining() == 0;
    }
}
