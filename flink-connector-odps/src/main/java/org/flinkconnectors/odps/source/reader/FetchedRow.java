package org.flinkconnectors.odps.source.reader;

import org.apache.flink.annotation.Internal;

/**
 * The element the fetcher hands to the emitter: a deserialized value, the split position after its
 * row, and the bytes downloaded for the fetch (carried by its first element only).
 *
 * <p>One instance per fetched batch is reused for all its elements: Flink's reader emits each
 * element right after taking it from the batch, before it takes the next.
 */
@Internal
public final class FetchedRow<OUT> {

    OUT value;
    long nextRow;
    long bytes;

    public OUT value() {
        return value;
    }

    /** The split position after this row: the absolute number of the next row to read. */
    public long nextRow() {
        return nextRow;
    }
}
