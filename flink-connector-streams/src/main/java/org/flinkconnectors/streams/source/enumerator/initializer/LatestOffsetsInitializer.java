package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/** Starts (or stops) every partition at its end offset as of the moment it is discovered. */
final class LatestOffsetsInitializer implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever)
            throws IOException {
        return retriever.endOffsets(partitions);
    }

    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.LATEST;
    }

    @Override
    public String toString() {
        return "latest";
    }
}
