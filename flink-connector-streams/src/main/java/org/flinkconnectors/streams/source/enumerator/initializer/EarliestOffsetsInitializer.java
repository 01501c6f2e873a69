package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/** Starts (or stops) every partition at the first offset still in the log. */
final class EarliestOffsetsInitializer implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever)
            throws IOException {
        return retriever.earliestOffsets(partitions);
    }

    @Override
    public String toString() {
        return "earliest";
    }
}
