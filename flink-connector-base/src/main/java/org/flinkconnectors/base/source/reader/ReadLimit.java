package org.flinkconnectors.base.source.reader;

import org.apache.flink.annotation.Internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The elements one source reader may still produce under a pushed-down {@code LIMIT}. Shared by the
 * reader's successive split readers (Flink closes an idle fetcher and makes a new split reader for
 * the next split, so a count kept in a split reader would start over), hence atomic.
 */
@Internal
public final class ReadLimit {

    private final long limit;
    private final AtomicLong produced = new AtomicLong();

    private ReadLimit(long limit) {
        this.limit = limit;
    }

    /** At most {@code limit} elements. */
    public static ReadLimit of(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("A limit must not be negative, got " + limit);
        }
        return new ReadLimit(limit);
    }

    /** No limit. */
    public static ReadLimit none() {
        return new ReadLimit(Long.MAX_VALUE);
    }

    /** How many more elements may be produced. */
    public long remaining() {
        return Math.max(0, limit - produced.get());
    }

    public boolean reached() {
        return remaining() == 0;
    }

    /** Counts produced elements; free without a limit (a per-element call on hot paths). */
    public void produced(long count) {
        if (limit != Long.MAX_VALUE) {
            produced.addAndGet(count);
        }
    }
}
