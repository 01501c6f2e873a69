package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Starts every partition at the offset its consumer group committed, falling back to a reset
 * strategy for partitions the group never committed.
 */
final class CommittedOffsetsInitializer implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    private final OffsetResetStrategy resetStrategy;

    CommittedOffsetsInitializer(OffsetResetStrategy resetStrategy) {
        this.resetStrategy = resetStrategy;
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever)
            throws IOException {
        Map<TopicPartition, Long> offsets = new HashMap<>(retriever.committedOffsets(partitions));
        List<TopicPartition> missing =
                partitions.stream()
                        .filter(tp -> !offsets.containsKey(tp))
                        .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            offsets.putAll(
                    OffsetResets.resolve(
                            resetStrategy,
                            missing,
                            retriever,
                            "the consumer group has not committed an offset for them"));
        }
        return offsets;
    }

    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return resetStrategy;
    }

    @Override
    public void validate(Properties consumerProperties) {
        if (!OffsetsInitializer.hasGroupId(consumerProperties)) {
            throw new IllegalArgumentException(
                    "Offsets from committed offsets need a consumer group: set one with"
                            + " setGroupId(...) or the property '"
                            + ConsumerConfig.GROUP_ID_CONFIG
                            + "'.");
        }
    }

    @Override
    public String toString() {
        return "committed-offsets(reset=" + resetStrategy + ")";
    }
}
