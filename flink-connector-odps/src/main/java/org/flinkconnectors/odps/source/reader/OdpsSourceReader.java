package org.flinkconnectors.odps.source.reader;

import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.source.split.OdpsSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The source reader: Flink's single-fetcher reader base does the threading, the hand-over queue,
 * split bookkeeping and the standard metrics. This class adds the pull protocol: a reader asks the
 * enumerator for a split when it starts without restored splits and whenever one finishes, so fast
 * readers take more splits than slow ones.
 */
@Internal
public final class OdpsSourceReader<OUT>
        extends SingleThreadMultiplexSourceReaderBase<
                FetchedRow<OUT>, OUT, OdpsSplit, OdpsSplitState> {

    public OdpsSourceReader(
            Supplier<OdpsSplitReader<OUT>> splitReaderSupplier,
            OdpsRecordEmitter<OUT> emitter,
            SourceReaderContext context) {
        super(splitReaderSupplier::get, emitter, context.getConfiguration(), context);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, OdpsSplitState> finishedSplitIds) {
        context.sendSplitRequest();
    }

    @Override
    protected OdpsSplitState initializedState(OdpsSplit split) {
        return new OdpsSplitState(split);
    }

    @Override
    protected OdpsSplit toSplitType(String splitId, OdpsSplitState state) {
        return state.toSplit();
    }
}
