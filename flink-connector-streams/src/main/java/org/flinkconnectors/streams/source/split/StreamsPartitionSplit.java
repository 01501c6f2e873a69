package org.flinkconnectors.streams.source.split;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.SourceSplit;

import org.apache.kafka.common.TopicPartition;

import java.util.Objects;
import java.util.Optional;

/**
 * One Kafka topic partition as a FLIP-27 split: the partition, the offset of the next record to
 * read and, for bounded reads, the offset at which reading stops (exclusive).
 *
 * <p>Offsets are always concrete: the enumerator resolves every {@code OffsetsInitializer} before
 * it creates a split, so a restored split reads exactly where the checkpointed one stopped.
 */
@PublicEvolving
public final class StreamsPartitionSplit implements SourceSplit {

    /** Marker for "no stopping offset": the split is read for as long as the job runs. */
    public static final long NO_STOPPING_OFFSET = Long.MIN_VALUE;

    private final TopicPartition topicPartition;
    private final long startingOffset;
    private final long stoppingOffset;

    public StreamsPartitionSplit(TopicPartition topicPartition, long startingOffset) {
        this(topicPartition, startingOffset, NO_STOPPING_OFFSET);
    }

    public StreamsPartitionSplit(
            TopicPartition topicPartition, long startingOffset, long stoppingOffset) {
        if (startingOffset < 0) {
            throw new IllegalArgumentException(
                    "Starting offset of " + topicPartition + " must be >= 0: " + startingOffset);
        }
        if (stoppingOffset != NO_STOPPING_OFFSET && stoppingOffset < 0) {
            throw new IllegalArgumentException(
                    "Stopping offset of " + topicPartition + " must be >= 0: " + stoppingOffset);
        }
        this.topicPartition = Objects.requireNonNull(topicPartition, "topicPartition");
        this.startingOffset = startingOffset;
        this.stoppingOffset = stoppingOffset;
    }

    /** The split id used by Flink: {@code <topic>-<partition>}, like Kafka's own naming. */
    public static String splitIdOf(TopicPartition topicPartition) {
        return topicPartition.topic() + "-" + topicPartition.partition();
    }

    @Override
    public String splitId() {
        return splitIdOf(topicPartition);
    }

    public TopicPartition getTopicPartition() {
        return topicPartition;
    }

    public String getTopic() {
        return topicPartition.topic();
    }

    public int getPartition() {
        return topicPartition.partition();
    }

    /** The offset of the next record to read. */
    public long getStartingOffset() {
        return startingOffset;
    }

    /** The exclusive offset at which reading stops, empty for unbounded reading. */
    public Optional<Long> getStoppingOffset() {
        return stoppingOffset == NO_STOPPING_OFFSET
                ? Optional.empty()
                : Optional.of(stoppingOffset);
    }

    /** A copy of this split that starts at {@code offset}. */
    public StreamsPartitionSplit withStartingOffset(long offset) {
        return new StreamsPartitionSplit(topicPartition, offset, stoppingOffset);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamsPartitionSplit)) {
            return false;
        }
        StreamsPartitionSplit that = (StreamsPartitionSplit) o;
        return startingOffset == that.startingOffset
                && stoppingOffset == that.stoppingOffset
                && topicPartition.equals(that.topicPartition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topicPartition, startingOffset, stoppingOffset);
    }

    @Override
    public String toString() {
        return "StreamsPartitionSplit{"
                + topicPartition
                + ", start="
                + startingOffset
                + ", stop="
                + (stoppingOffset == NO_STOPPING_OFFSET ? "none" : stoppingOffset)
                + '}';
    }
}
