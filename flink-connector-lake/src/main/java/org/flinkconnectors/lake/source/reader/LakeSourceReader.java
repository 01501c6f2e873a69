package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.source.split.LakeSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The source reader: Flink's single-fetcher reader base does the threading, queueing, split
 * bookkeeping and standard metrics. This class adds the pull protocol: ask for a split at start
 * (unless restored with some) and whenever one finishes.
 */
@Internal
public final class LakeSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<LakeRecord<T>, T, LakeSplit, LakeSplitState> {

    public LakeSourceReader(
            Supplier<LakeSplitReader<T>> splitReaderSupplier, SourceReaderContext context) {
        super(
                splitReaderSupplier::get,
                new LakeRecordEmitter<>(),
                context.getConfiguration(),
                context);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, LakeSplitState> finishedSplitIds) {
        context.sendSplitRequest();
    }

    @Override
    protected LakeSplitState initializedState(LakeSplit split) {
        return new LakeSplitState(split);
    }

    @Override
    protected LakeSplit toSplitType(String splitId, LakeSplitState state) {
        return state.toSplit();
    }
}
