package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts (or stops) every partition at the first record whose timestamp is at or after a given
 * time; a partition without such a record gets its end offset, so nothing older is read.
 */
final class TimestampOffsetsInitializer implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    private final long timestampMillis;

    TimestampOffsetsInitializer(long timestampMillis) {
        if (timestampMillis < 0) {
            throw new IllegalArgumentException(
                    "The timestamp must be >= 0 milliseconds since the epoch: " + timestampMillis);
        }
        this.timestampMillis = timestampMillis;
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever)
            throws IOException {
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        partitions.forEach(tp -> timestamps.put(tp, timestampMillis));
        Map<TopicPartition, Long> offsets =
                new HashMap<>(retriever.offsetsForTimestamps(timestamps));
        List<TopicPartition> noneAfter =
                partitions.stream()
                        .filter(tp -> !offsets.containsKey(tp))
                        .collect(Collectors.toList());
        if (!noneAfter.isEmpty()) {
            offsets.putAll(retriever.endOffsets(noneAfter));
        }
        return offsets;
    }

    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.LATEST;
    }

    @Override
    public String toString() {
        return "timestamp(" + timestampMillis + ")";
    }
}
