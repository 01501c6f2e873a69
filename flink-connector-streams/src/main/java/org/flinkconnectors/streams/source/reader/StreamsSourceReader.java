package org.flinkconnectors.streams.source.reader;

import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The source reader: Flink's single-fetcher reader base does the threading, split bookkeeping and
 * per-split outputs; this class adds committing offsets to Kafka.
 *
 * <p>At each checkpoint it remembers the offsets it snapshotted, and once that checkpoint is
 * complete it commits exactly those offsets (plus the final offsets of splits that finished) with
 * {@code commitAsync}. Committed offsets are for monitoring and for starting other jobs with {@code
 * committedOffsets()}; the source itself restores from Flink state. A failed commit is logged and
 * counted, never fatal: the next checkpoint commits newer offsets anyway.
 */
@Internal
public final class StreamsSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                StreamsRecordBatch, T, StreamsPartitionSplit, StreamsPartitionSplitState> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsSourceReader.class);

    private final StreamsSourceReaderMetrics metrics;
    private final boolean commitOffsetsOnCheckpoint;
    private final SortedMap<Long, Map<TopicPartition, Long>> offsetsByCheckpoint = new TreeMap<>();
    private final Map<TopicPartition, Long> finishedOffsets = new HashMap<>();

    public StreamsSourceReader(
            StreamsSourceFetcherManager fetcherManager,
            StreamsRecordEmitter<T> recordEmitter,
            Configuration config,
            SourceReaderContext context,
            StreamsSourceReaderMetrics metrics,
            boolean commitOffsetsOnCheckpoint) {
        super(fetcherManager, recordEmitter, config, context);
        this.metrics = metrics;
        this.commitOffsetsOnCheckpoint = commitOffsetsOnCheckpoint;
    }

    @Override
    protected void onSplitFinished(Map<String, StreamsPartitionSplitState> finishedSplitIds) {
        finishedSplitIds
                .values()
                .forEach(
                        state ->
                                finishedOffsets.put(
                                        state.getTopicPartition(), state.getCurrentOffset()));
    }

    @Override
    protected StreamsPartitionSplitState initializedState(StreamsPartitionSplit split) {
        metrics.registerPartition(split.getTopicPartition());
        return new StreamsPartitionSplitState(split);
    }

    @Override
    protected StreamsPartitionSplit toSplitType(String splitId, StreamsPartitionSplitState state) {
        return state.toSplit();
    }

    @Override
    public List<StreamsPartitionSplit> snapshotState(long checkpointId) {
        List<StreamsPartitionSplit> splits = super.snapshotState(checkpointId);
        if (commitOffsetsOnCheckpoint) {
            Map<TopicPartition, Long> offsets = new HashMap<>(finishedOffsets);
            splits.forEach(s -> offsets.put(s.getTopicPartition(), s.getStartingOffset()));
            if (!offsets.isEmpty()) {
                offsetsByCheckpoint.put(checkpointId, offsets);
            }
        }
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        if (!commitOffsetsOnCheckpoint) {
            return;
        }
        Map<TopicPartition, Long> offsets = offsetsByCheckpoint.get(checkpointId);
        // Older pending commits are superseded by this one (or were dropped with a checkpoint).
        offsetsByCheckpoint.headMap(checkpointId + 1).clear();
        if (offsets == null) {
            return;
        }
        offsets.keySet().forEach(finishedOffsets::remove);
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        offsets.forEach((tp, offset) -> toCommit.put(tp, new OffsetAndMetadata(offset)));
        ((StreamsSourceFetcherManager) splitFetcherManager)
                .commitOffsets(
                        toCommit,
                        (committed, error) -> {
                            if (error != null) {
                                metrics.recordCommitFailed();
                                LOG.warn(
                                        "Committing offsets of checkpoint {} to Kafka failed;"
                                                + " the next checkpoint will commit newer ones.",
                                        checkpointId,
                                        error);
                            } else {
                                metrics.recordCommitSucceeded(offsets);
                                LOG.debug(
                                        "Committed offsets of checkpoint {}: {}",
                                        checkpointId,
                                        offsets);
                            }
                        });
    }
}
