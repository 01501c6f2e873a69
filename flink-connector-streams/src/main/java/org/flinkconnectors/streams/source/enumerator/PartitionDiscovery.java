package org.flinkconnectors.streams.source.enumerator;

import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.enumerator.initializer.PartitionOffsetsRetriever;
import org.flinkconnectors.streams.source.enumerator.subscriber.StreamsSubscriber;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds partitions the source has not seen yet and turns them into splits with resolved offsets.
 *
 * <p>Runs only in the enumerator's worker thread, which owns the set of seen partitions; keeping
 * that bookkeeping here (not in the coordinator thread) means a discovery that overlaps a slow
 * hand-over of the previous one can never resolve the same partition twice. Partitions found by the
 * first discovery start where the user asked; later ones are new and start from the earliest offset
 * so none of their records is missed.
 */
@Internal
final class PartitionDiscovery {

    private final StreamsSubscriber subscriber;
    private final OffsetsInitializer startingOffsets;
    @Nullable private final OffsetsInitializer stoppingOffsets;
    private final Set<TopicPartition> seen;
    private boolean initialDiscoveryFinished;

    PartitionDiscovery(
            StreamsSubscriber subscriber,
            OffsetsInitializer startingOffsets,
            @Nullable OffsetsInitializer stoppingOffsets,
            Collection<TopicPartition> alreadySeen,
            boolean initialDiscoveryFinished) {
        this.subscriber = subscriber;
        this.startingOffsets = startingOffsets;
        this.stoppingOffsets = stoppingOffsets;
        this.seen = new HashSet<>(alreadySeen);
        this.initialDiscoveryFinished = initialDiscoveryFinished;
    }

    /** The splits of partitions not seen before, ordered by topic and partition. */
    List<StreamsPartitionSplit> discoverNewSplits(
            RetryingAdmin admin, PartitionOffsetsRetriever retriever) throws IOException {
        Set<TopicPartition> fresh = new HashSet<>(subscriber.getSubscribedTopicPartitions(admin));
        fresh.removeAll(seen);
        List<StreamsPartitionSplit> splits = new ArrayList<>();
        if (!fresh.isEmpty()) {
            OffsetsInitializer start =
                    initialDiscoveryFinished ? OffsetsInitializer.earliest() : startingOffsets;
            Map<TopicPartition, Long> starts = start.getPartitionOffsets(fresh, retriever);
            Map<TopicPartition, Long> stops =
                    stoppingOffsets == null
                            ? Map.of()
                            : stoppingOffsets.getPartitionOffsets(fresh, retriever);
            for (TopicPartition tp : fresh) {
                splits.add(
                        new StreamsPartitionSplit(
                                tp,
                                required(starts, tp, start),
                                stoppingOffsets == null
                                        ? StreamsPartitionSplit.NO_STOPPING_OFFSET
                                        : required(stops, tp, stoppingOffsets)));
            }
            splits.sort(
                    Comparator.comparing(StreamsPartitionSplit::getTopic)
                            .thenComparingInt(StreamsPartitionSplit::getPartition));
        }
        // Only after everything resolved: a failed attempt must find the partitions again.
        seen.addAll(fresh);
        initialDiscoveryFinished = true;
        return splits;
    }

    private static long required(
            Map<TopicPartition, Long> offsets, TopicPartition tp, OffsetsInitializer initializer) {
        Long offset = offsets.get(tp);
        if (offset == null) {
            throw new IllegalStateException(
                    "The offsets initializer " + initializer + " returned no offset for " + tp);
        }
        return offset;
    }
}
