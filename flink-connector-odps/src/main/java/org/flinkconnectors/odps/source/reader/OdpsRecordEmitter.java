package org.flinkconnectors.odps.source.reader;

import org.flinkconnectors.odps.source.split.OdpsSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits the values the fetcher already deserialized and advances the split's position, so a
 * checkpoint taken between two elements resumes right after the last one emitted. MaxCompute rows
 * carry no event time; timestamps and watermarks come from the job's watermark strategy.
 */
@Internal
public final class OdpsRecordEmitter<OUT>
        implements RecordEmitter<FetchedRow<OUT>, OUT, OdpsSplitState> {

    private final OdpsSourceReaderMetrics metrics;

    public OdpsRecordEmitter(OdpsSourceReaderMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(FetchedRow<OUT> row, SourceOutput<OUT> output, OdpsSplitState state) {
        if (row.bytes != 0) {
            metrics.bytesEmitted(row.bytes);
            row.bytes = 0;
        }
        output.collect(row.value);
        state.setNextRow(row.nextRow);
    }
}
