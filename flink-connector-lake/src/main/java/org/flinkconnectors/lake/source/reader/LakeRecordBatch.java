package org.flinkconnectors.lake.source.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Set;

/**
 * One fetch: consecutive elements of one split starting after {@code recordsBefore} records, plus
 * the splits that ended with it. Positions follow from the order, so none are stored per row.
 */
@Internal
final class LakeRecordBatch<T> implements RecordsWithSplitIds<LakeRecord<T>> {

    @Nullable private String splitId;
    private final List<T> rows;
    private final long recordsBefore;
    private final Set<String> finishedSplits;
    private final LakeRecord<T> record = new LakeRecord<>();
    private int index;

    LakeRecordBatch(
            @Nullable String splitId,
            List<T> rows,
            long recordsBefore,
            Set<String> finishedSplits) {
        this.splitId = rows.isEmpty() ? null : splitId;
        this.rows = rows;
        this.recordsBefore = recordsBefore;
        this.finishedSplits = finishedSplits;
    }

    static <T> LakeRecordBatch<T> finishedOnly(Set<String> finishedSplits) {
        return new LakeRecordBatch<>(null, List.of(), 0, finishedSplits);
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
    public LakeRecord<T> nextRecordFromSplit() {
        if (index >= rows.size()) {
            return null;
        }
        record.value = rows.get(index);
        index++;
        record.recordsAfter = recordsBefore + index;
        return record;
    }

    @Override
    public Set<String> finishedSplits() {
        return finishedSplits;
    }
}
