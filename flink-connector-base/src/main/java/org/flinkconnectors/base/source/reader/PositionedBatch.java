package org.flinkconnectors.base.source.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import javax.annotation.Nullable;

import java.util.Set;

/**
 * One fetch: elements of one split, each with the split's position after it, plus the splits that
 * ended with it. Elements sit in a plain array handed out through one reused {@link
 * PositionedRecord}, so a fetch allocates no object per element. Positions are either given per
 * element (a reader that skips rows) or follow from the order (one position per element).
 */
@Internal
public final class PositionedBatch<T> implements RecordsWithSplitIds<PositionedRecord<T>> {

    @Nullable private String splitId;
    private final Object[] values;
    @Nullable private final long[] positionsAfter;
    private final long positionBefore;
    private final int size;
    private final Set<String> finishedSplits;
    private final PositionedRecord<T> record = new PositionedRecord<>();
    private int index;

    private PositionedBatch(
            @Nullable String splitId,
            Object[] values,
            @Nullable long[] positionsAfter,
            long positionBefore,
            int size,
            long bytes,
            Set<String> finishedSplits) {
        this.splitId = size == 0 ? null : splitId;
        this.values = values;
        this.positionsAfter = positionsAfter;
        this.positionBefore = positionBefore;
        this.size = size;
        this.finishedSplits = finishedSplits;
        this.record.bytes = bytes;
    }

    /**
     * The first {@code size} of {@code values}, each at the position given for it; {@code bytes}
     * were fetched for them.
     */
    public static <T> PositionedBatch<T> of(
            String splitId,
            Object[] values,
            long[] positionsAfter,
            int size,
            long bytes,
            Set<String> finishedSplits) {
        return new PositionedBatch<>(
                splitId, values, positionsAfter, 0, size, bytes, finishedSplits);
    }

    /** {@code values} in order, one position each, the first right after {@code positionBefore}. */
    public static <T> PositionedBatch<T> consecutive(
            String splitId, Object[] values, int size, long positionBefore, Set<String> finished) {
        return new PositionedBatch<>(splitId, values, null, positionBefore, size, 0, finished);
    }

    /** No elements, only splits that ended. */
    public static <T> PositionedBatch<T> finishedOnly(Set<String> finishedSplits) {
        return new PositionedBatch<>(null, new Object[0], null, 0, 0, 0, finishedSplits);
    }

    @Nullable
    @Override
    public String nextSplit() {
        String next = splitId;
        splitId = null;
        return next;
    }

    @Nullable
    @Override
    @SuppressWarnings("unchecked")
    public PositionedRecord<T> nextRecordFromSplit() {
        if (index >= size) {
            return null;
        }
        record.value = (T) values[index];
        record.positionAfter =
                positionsAfter == null ? positionBefore + index + 1 : positionsAfter[index];
        values[index] = null;
        index++;
        return record;
    }

    @Override
    public Set<String> finishedSplits() {
        return finishedSplits;
    }
}
