package org.flinkconnectors.base.source.reader;

import org.apache.flink.annotation.Internal;

/**
 * What a fetcher hands the emitter: an element and its split's position after it, plus the bytes
 * fetched with its batch (carried by the batch's first element only, so they are counted once).
 *
 * <p>One instance per batch is reused: Flink's reader emits each element before it takes the next.
 */
@Internal
public final class PositionedRecord<T> {

    T value;
    long positionAfter;
    long bytes;

    public T value() {
        return value;
    }

    /** The split's position once this element is emitted. */
    public long positionAfter() {
        return positionAfter;
    }

    /** Bytes fetched with this element's batch, once; 0 after that or if not known. */
    public long bytes() {
        return bytes;
    }
}
