package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.lake.source.split.LakeSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.table.data.RowData;

/**
 * Emits a row and records it in the split's state, so a checkpoint between two rows resumes right
 * after the last one emitted.
 */
@Internal
public final class LakeRecordEmitter implements RecordEmitter<LakeRecord, RowData, LakeSplitState> {

    @Override
    public void emitRecord(LakeRecord record, SourceOutput<RowData> output, LakeSplitState state) {
        output.collect(record.row());
        state.setRecordsEmitted(record.recordsAfter());
    }
}
