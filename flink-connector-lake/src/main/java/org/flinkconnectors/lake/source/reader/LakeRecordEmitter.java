package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.lake.source.split.LakeSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits an element and records it in the split's state, so a checkpoint between two rows resumes
 * right after the last one emitted.
 */
@Internal
public final class LakeRecordEmitter<T> implements RecordEmitter<LakeRecord<T>, T, LakeSplitState> {

    @Override
    public void emitRecord(LakeRecord<T> record, SourceOutput<T> output, LakeSplitState state) {
        output.collect(record.value());
        state.setRecordsEmitted(record.recordsAfter());
    }
}
