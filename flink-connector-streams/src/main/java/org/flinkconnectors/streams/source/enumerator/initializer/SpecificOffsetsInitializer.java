package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts (or stops) partitions at offsets the user gave; a reset strategy decides for partitions
 * the map does not mention, e.g. ones created after the job was written.
 */
final class SpecificOffsetsInitializer implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    private final HashMap<TopicPartition, Long> offsets;
    private final OffsetResetStrategy resetStrategy;

    SpecificOffsetsInitializer(Map<TopicPartition, Long> offsets, OffsetResetStrategy reset) {
        offsets.forEach(
                (tp, offset) -> {
                    if (offset == null || offset < 0) {
                        throw new IllegalArgumentException(
                                "The offset for " + tp + " must be >= 0: " + offset);
                    }
                });
        this.offsets = new HashMap<>(offsets);
        this.resetStrategy = reset;
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever)
            throws IOException {
        Map<TopicPartition, Long> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (offsets.containsKey(tp)) {
                result.put(tp, offsets.get(tp));
            }
        }
        List<TopicPartition> unspecified =
                partitions.stream()
                        .filter(tp -> !result.containsKey(tp))
                        .collect(Collectors.toList());
        if (!unspecified.isEmpty()) {
            result.putAll(
                    OffsetResets.resolve(
                            resetStrategy,
                            unspecified,
                            retriever,
                            "they are not in the map of specific offsets"));
        }
        return result;
    }

    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return resetStrategy;
    }

    @Override
    public String toString() {
        return "specific-offsets(" + offsets + ", reset=" + resetStrategy + ")";
    }
}
