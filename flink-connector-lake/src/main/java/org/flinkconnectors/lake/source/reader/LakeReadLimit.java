package org.flinkconnectors.lake.source.reader;

import org.apache.flink.annotation.Internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows one source reader may still read under a pushed-down limit. Shared by the reader's split
 * readers: Flink closes an idle fetcher and makes a new split reader for the next split, so a count
 * kept in a split reader would start over.
 */
@Internal
public final class LakeReadLimit {

    private final long limit;
    private final AtomicLong read = new AtomicLong();

    public LakeReadLimit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("The limit must not be negative, got " + limit);
        }
        this.limit = limit;
    }

    /** No limit. */
    public static LakeReadLimit none() {
        return new LakeReadLimit(Long.MAX_VALUE);
    }

    /** Rows that may still be read. */
    long remaining() {
        return Math.max(0, limit - read.get());
    }

    boolean reached() {
        return remaining() == 0;
    }

    void count(long rows) {
        read.addAndGet(rows);
    }
}
