package org.flinkconnectors.lake.source.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

/**
 * What the fetcher hands the emitter: a row and the split's record count after it. One instance per
 * batch is reused, since Flink's reader emits each element before it takes the next.
 */
@Internal
public final class LakeRecord {

    RowData row;
    long recordsAfter;

    public RowData row() {
        return row;
    }

    /** Records of the split emitted once this one is. */
    public long recordsAfter() {
        return recordsAfter;
    }
}
