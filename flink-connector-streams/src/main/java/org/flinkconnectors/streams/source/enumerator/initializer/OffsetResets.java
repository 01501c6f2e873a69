package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/** Applies an {@link OffsetResetStrategy} to partitions that have no offset of their own. */
final class OffsetResets {

    private OffsetResets() {}

    /**
     * The offsets {@code strategy} gives {@code partitions}.
     *
     * @param why completes "... has no offset because ...", for the NONE error
     */
    static Map<TopicPartition, Long> resolve(
            OffsetResetStrategy strategy,
            Collection<TopicPartition> partitions,
            PartitionOffsetsRetriever retriever,
            String why)
            throws IOException {
        switch (strategy) {
            case EARLIEST:
                return retriever.earliestOffsets(partitions);
            case LATEST:
                return retriever.endOffsets(partitions);
            case NONE:
                throw new IllegalStateException(
                        String.format(
                                "No starting offset for partition(s) %s: %s, and the offset reset"
                                        + " strategy is NONE. Use OffsetResetStrategy.EARLIEST or"
                                        + " LATEST to start such partitions anyway.",
                                partitions, why));
            default:
                throw new IllegalArgumentException("Unknown reset strategy " + strategy);
        }
    }
}
