package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * The offset look-ups an {@link OffsetsInitializer} may need. The enumerator implements it with
 * Kafka's admin client ({@link AdminPartitionOffsetsRetriever}); keeping it this small lets the
 * initializers be tested against a real broker or against fixed offsets.
 */
@PublicEvolving
public interface PartitionOffsetsRetriever {

    /** The first offset still in the log of every partition. */
    Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> partitions)
            throws IOException;

    /** The end offset (the offset the next record will get) of every partition. */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) throws IOException;

    /**
     * The offsets committed by the source's consumer group; partitions without a committed offset
     * are absent from the result.
     */
    Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions)
            throws IOException;

    /**
     * For every partition the first offset whose record timestamp is at or after the given
     * timestamp; partitions without such a record are absent from the result.
     */
    Map<TopicPartition, Long> offsetsForTimestamps(Map<TopicPartition, Long> timestamps)
            throws IOException;
}
