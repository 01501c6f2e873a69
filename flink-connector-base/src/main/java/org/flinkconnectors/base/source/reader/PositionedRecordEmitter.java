package org.flinkconnectors.base.source.reader;

import org.flinkconnectors.base.source.split.PositionedSplit;
import org.flinkconnectors.base.source.split.SplitPosition;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import java.util.function.LongConsumer;

/**
 * Emits an element and advances its split's position, so a checkpoint taken between two elements
 * resumes right after the last one emitted. Bytes a batch carries go to {@code bytesEmitted}.
 */
@Internal
public final class PositionedRecordEmitter<T, SplitT extends PositionedSplit<SplitT>>
        implements RecordEmitter<PositionedRecord<T>, T, SplitPosition<SplitT>> {

    private final LongConsumer bytesEmitted;

    public PositionedRecordEmitter() {
        this(bytes -> {});
    }

    public PositionedRecordEmitter(LongConsumer bytesEmitted) {
        this.bytesEmitted = bytesEmitted;
    }

    @Override
    public void emitRecord(
            PositionedRecord<T> record, SourceOutput<T> output, SplitPosition<SplitT> split) {
        if (record.bytes != 0) {
            bytesEmitted.accept(record.bytes);
            record.bytes = 0;
        }
        output.collect(record.value);
        split.advanceTo(record.positionAfter);
    }
}
