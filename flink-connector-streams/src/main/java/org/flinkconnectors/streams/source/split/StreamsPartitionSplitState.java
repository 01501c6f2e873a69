package org.flinkconnectors.streams.source.split;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

/**
 * The mutable reading position of a {@link StreamsPartitionSplit} inside a source reader. The
 * emitter advances it after every record, so a checkpoint captures the offset of the next record
 * that has not yet been handed downstream.
 */
@Internal
public final class StreamsPartitionSplitState {

    private final StreamsPartitionSplit split;
    private long currentOffset;

    public StreamsPartitionSplitState(StreamsPartitionSplit split) {
        this.split = split;
        this.currentOffset = split.getStartingOffset();
    }

    public TopicPartition getTopicPartition() {
        return split.getTopicPartition();
    }

    /** The offset of the next record to emit. */
    public long getCurrentOffset() {
        return currentOffset;
    }

    public void setCurrentOffset(long currentOffset) {
        this.currentOffset = currentOffset;
    }

    /** The split as it must be checkpointed: same partition and stop, starting at the position. */
    public StreamsPartitionSplit toSplit() {
        return split.withStartingOffset(currentOffset);
    }
}
