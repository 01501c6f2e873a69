package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;

/**
 * Decides the offset at which a partition starts (or, given to {@code setBounded}, stops).
 *
 * <p>The enumerator resolves an initializer to concrete offsets when it discovers a partition,
 * right before the split is assigned, and stores the result in the split; a restored job never
 * re-resolves it. As a stopping initializer, {@link #latest()} therefore means "the end offset at
 * the time the partition was discovered", {@link #timestamp(long)} "the first offset whose record
 * timestamp is at or after the timestamp, or the end offset if there is none", {@link #earliest()}
 * "read nothing" and {@link #committedOffsets()} "the committed offset".
 *
 * <pre>{@code
 * OffsetsInitializer start = OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
 * OffsetsInitializer stop = OffsetsInitializer.latest();
 * }</pre>
 */
@PublicEvolving
public interface OffsetsInitializer extends Serializable {

    /** The offset of every partition in {@code partitions}; the result has all of them. */
    Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever)
            throws IOException;

    /**
     * What the reader's consumer does when a resolved offset is no longer in the log (deleted by
     * retention before the split was read); used as {@code auto.offset.reset} unless the user set
     * it.
     */
    default OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.EARLIEST;
    }

    /** Checks that the consumer properties allow this initializer, with a message for the user. */
    default void validate(Properties consumerProperties) {}

    /** The earliest offset still in the log. */
    static OffsetsInitializer earliest() {
        return new EarliestOffsetsInitializer();
    }

    /** The end of the log at the time the partition is discovered. */
    static OffsetsInitializer latest() {
        return new LatestOffsetsInitializer();
    }

    /** The consumer group's committed offsets; fails for partitions without one. */
    static OffsetsInitializer committedOffsets() {
        return committedOffsets(OffsetResetStrategy.NONE);
    }

    /** The consumer group's committed offsets; {@code reset} for partitions without one. */
    static OffsetsInitializer committedOffsets(OffsetResetStrategy reset) {
        return new CommittedOffsetsInitializer(reset);
    }

    /**
     * The first offset whose record timestamp is at or after {@code timestampMillis}; the end
     * offset for partitions without such a record.
     */
    static OffsetsInitializer timestamp(long timestampMillis) {
        return new TimestampOffsetsInitializer(timestampMillis);
    }

    /** The given offsets; partitions not in the map start from the earliest offset. */
    static OffsetsInitializer offsets(Map<TopicPartition, Long> offsets) {
        return offsets(offsets, OffsetResetStrategy.EARLIEST);
    }

    /** The given offsets; {@code reset} decides for partitions not in the map. */
    static OffsetsInitializer offsets(
            Map<TopicPartition, Long> offsets, OffsetResetStrategy reset) {
        return new SpecificOffsetsInitializer(offsets, reset);
    }

    /** Whether {@code properties} names a consumer group. */
    static boolean hasGroupId(Properties properties) {
        String groupId = properties.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
        return groupId != null && !groupId.isBlank();
    }
}
