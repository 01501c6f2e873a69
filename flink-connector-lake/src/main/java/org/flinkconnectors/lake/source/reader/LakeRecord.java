package org.flinkconnectors.lake.source.reader;

import org.apache.flink.annotation.Internal;

/**
 * What the fetcher hands the emitter: an element and the split's record count after it. One
 * instance per batch is reused, since Flink's reader emits each element before it takes the next.
 */
@Internal
public final class LakeRecord<T> {

    T value;
    long recordsAfter;

    public T value() {
        return value;
    }

    /** Records of the split emitted once this one is. */
    public long recordsAfter() {
        return recordsAfter;
    }
}
