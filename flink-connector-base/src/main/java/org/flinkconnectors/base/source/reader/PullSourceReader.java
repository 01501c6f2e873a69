package org.flinkconnectors.base.source.reader;

import org.flinkconnectors.base.source.split.PositionedSplit;
import org.flinkconnectors.base.source.split.SplitPosition;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A source reader that pulls its splits: Flink's single-fetcher reader base does the threading, the
 * hand-over queue, split bookkeeping and the standard metrics; this class asks the enumerator for a
 * split when it starts without restored splits and whenever one finishes, so readers that read
 * faster take more splits. Paired with {@code PullSplitAssigner} on the enumerator side.
 */
@Internal
public final class PullSourceReader<T, SplitT extends PositionedSplit<SplitT>>
        extends SingleThreadMultiplexSourceReaderBase<
                PositionedRecord<T>, T, SplitT, SplitPosition<SplitT>> {

    public PullSourceReader(
            Supplier<SplitReader<PositionedRecord<T>, SplitT>> splitReaders,
            PositionedRecordEmitter<T, SplitT> emitter,
            SourceReaderContext context) {
        super(splitReaders, emitter, context.getConfiguration(), context);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, SplitPosition<SplitT>> finishedSplitIds) {
        context.sendSplitRequest();
    }

    @Override
    protected SplitPosition<SplitT> initializedState(SplitT split) {
        return new SplitPosition<>(split);
    }

    @Override
    protected SplitT toSplitType(String splitId, SplitPosition<SplitT> state) {
        return state.toSplit();
    }
}
