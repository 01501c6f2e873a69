package org.flinkconnectors.odps.source.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import javax.annotation.Nullable;

import java.util.Set;

/**
 * One fetch: up to a batch of deserialized values of one split, each with the split position after
 * it, plus the splits that ended with it. Values sit in plain arrays and are handed out through one
 * reused {@link FetchedRow}, so a fetch allocates two arrays, not an object per row.
 */
@Internal
final class OdpsFetchBatch<OUT> implements RecordsWithSplitIds<FetchedRow<OUT>> {

    @Nullable private String splitId;
    private final Object[] values;
    private final long[] nextRows;
    private final int size;
    private final Set<String> finishedSplits;
    private final FetchedRow<OUT> row = new FetchedRow<>();
    private int index;

    OdpsFetchBatch(
            @Nullable String splitId,
            Object[] values,
            long[] nextRows,
            int size,
            long bytes,
            Set<String> finishedSplits) {
        this.splitId = splitId;
        this.values = values;
        this.nextRows = nextRows;
        this.size = size;
        this.finishedSplits = finishedSplits;
        this.row.bytes = bytes;
    }

    static <OUT> OdpsFetchBatch<OUT> finishedOnly(Set<String> finishedSplits) {
        return new OdpsFetchBatch<>(null, new Object[0], new long[0], 0, 0, finishedSplits);
    }

    @Nullable
    @Override
    public String nextSplit() {
        String next = size == 0 ? null : splitId;
        splitId = null;
        return next;
    }

    @Nullable
    @Override
    @SuppressWarnings("unchecked")
    public FetchedRow<OUT> nextRecordFromSplit() {
        if (index >= size) {
            return null;
        }
        row.value = (OUT) values[index];
        row.nextRow = nextRows[index];
        values[index] = null;
        index++;
        return row;
    }

    @Override
    public Set<String> finishedSplits() {
        return finishedSplits;
    }
}
