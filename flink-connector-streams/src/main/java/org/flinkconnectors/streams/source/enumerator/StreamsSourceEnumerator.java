package org.flinkconnectors.streams.source.enumerator;

import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;
import org.flinkconnectors.streams.source.enumerator.initializer.AdminPartitionOffsetsRetriever;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.enumerator.subscriber.StreamsSubscriber;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Discovers the subscribed partitions through Kafka's admin client and assigns each, as one split,
 * to a fixed reader.
 *
 * <p>Discovery runs in the coordinator's worker thread ({@link SplitEnumeratorContext#callAsync}),
 * once for bounded reads and periodically for unbounded reads with a positive interval; all split
 * bookkeeping happens in the coordinator thread. A partition always goes to the same reader ({@link
 * #ownerOf}), splits for readers that are not registered yet (or that failed and gave their splits
 * back) wait in the unassigned set, and a bounded source tells every reader that no more splits
 * will come once discovery finished and the reader has all of its splits.
 */
@Internal
public final class StreamsSourceEnumerator
        implements SplitEnumerator<StreamsPartitionSplit, StreamsEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsSourceEnumerator.class);

    private final SplitEnumeratorContext<StreamsPartitionSplit> context;
    private final Properties properties;
    private final String clientIdPrefix;
    private final long discoveryIntervalMs;
    private final Boundedness boundedness;
    private final PartitionDiscovery discovery;

    private final Map<TopicPartition, StreamsPartitionSplit> assigned = new HashMap<>();
    private final Map<TopicPartition, StreamsPartitionSplit> unassigned = new LinkedHashMap<>();
    private boolean initialDiscoveryFinished;

    /** Whether a discovery completed since this enumerator started; bounded reads wait for it. */
    private boolean discoveredSinceStart;

    @Nullable private RetryingAdmin admin;

    public StreamsSourceEnumerator(
            StreamsSubscriber subscriber,
            OffsetsInitializer startingOffsets,
            @Nullable OffsetsInitializer stoppingOffsets,
            Properties properties,
            String clientIdPrefix,
            long discoveryIntervalMs,
            Boundedness boundedness,
            SplitEnumeratorContext<StreamsPartitionSplit> context,
            StreamsEnumState state) {
        this.context = context;
        this.properties = properties;
        this.clientIdPrefix = clientIdPrefix;
        this.discoveryIntervalMs = discoveryIntervalMs;
        this.boundedness = boundedness;
        state.getAssignedSplits().forEach(s -> assigned.put(s.getTopicPartition(), s));
        state.getUnassignedSplits().forEach(s -> unassigned.put(s.getTopicPartition(), s));
        this.initialDiscoveryFinished = state.isInitialDiscoveryFinished();
        List<TopicPartition> seen = new ArrayList<>(assigned.keySet());
        seen.addAll(unassigned.keySet());
        this.discovery =
                new PartitionDiscovery(
                        subscriber,
                        startingOffsets,
                        stoppingOffsets,
                        seen,
                        state.isInitialDiscoveryFinished());
    }

    /**
     * The reader that owns {@code partition}: partitions of one topic go round-robin from a
     * topic-dependent start, so a topic's partitions spread evenly and the owner never changes
     * while the parallelism stays the same.
     */
    public static int ownerOf(TopicPartition partition, int parallelism) {
        long start = (partition.topic().hashCode() * 31) & 0x7FFFFFFF;
        return (int) ((start + partition.partition()) % parallelism);
    }

    @Override
    public void start() {
        admin = RetryingAdmin.create(properties, clientIdPrefix + "-enumerator");
        String groupId = properties.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
        IsolationLevel isolation =
                IsolationLevel.valueOf(
                        properties
                                .getProperty(
                                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                        ConsumerConfig.DEFAULT_ISOLATION_LEVEL)
                                .toUpperCase(Locale.ROOT));
        AdminPartitionOffsetsRetriever retriever =
                new AdminPartitionOffsetsRetriever(admin, groupId, isolation);
        RetryingAdmin discoveryAdmin = admin;
        if (boundedness == Boundedness.CONTINUOUS_UNBOUNDED && discoveryIntervalMs > 0) {
            LOG.info(
                    "Discovering partitions of the brokers at {} every {} ms.",
                    admin.bootstrapServers(),
                    discoveryIntervalMs);
            context.callAsync(
                    () -> discovery.discoverNewSplits(discoveryAdmin, retriever),
                    this::onDiscovered,
                    0,
                    discoveryIntervalMs);
        } else {
            LOG.info("Discovering partitions of the brokers at {} once.", admin.bootstrapServers());
            context.callAsync(
                    () -> discovery.discoverNewSplits(discoveryAdmin, retriever),
                    this::onDiscovered);
        }
    }

    private void onDiscovered(List<StreamsPartitionSplit> splits, @Nullable Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(
                    "Partition discovery of the streams source failed: " + error.getMessage(),
                    error);
        }
        for (StreamsPartitionSplit split : splits) {
            TopicPartition tp = split.getTopicPartition();
            if (!assigned.containsKey(tp) && !unassigned.containsKey(tp)) {
                unassigned.put(tp, split);
            }
        }
        if (!splits.isEmpty()) {
            LOG.info("Discovered {} new partition(s): {}", splits.size(), splits);
        }
        initialDiscoveryFinished = true;
        discoveredSinceStart = true;
        assignPendingSplits(context.registeredReaders().keySet());
    }

    private void assignPendingSplits(Collection<Integer> readers) {
        int parallelism = context.currentParallelism();
        Map<Integer, List<StreamsPartitionSplit>> assignment = new HashMap<>();
        for (Iterator<StreamsPartitionSplit> it = unassigned.values().iterator(); it.hasNext(); ) {
            StreamsPartitionSplit split = it.next();
            int owner = ownerOf(split.getTopicPartition(), parallelism);
            if (readers.contains(owner)) {
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
                assigned.put(split.getTopicPartition(), split);
                it.remove();
            }
        }
        if (!assignment.isEmpty()) {
            LOG.info("Assigning splits to readers: {}", assignment);
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        // Bounded reads discover once, so after it these readers have every split they will get.
        if (boundedness == Boundedness.BOUNDED && discoveredSinceStart) {
            readers.forEach(context::signalNoMoreSplits);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // Splits are pushed to their owners; readers never ask.
    }

    @Override
    public void addSplitsBack(List<StreamsPartitionSplit> splits, int subtaskId) {
        LOG.info("Reader {} gave back splits {}", subtaskId, splits);
        for (StreamsPartitionSplit split : splits) {
            assigned.remove(split.getTopicPartition());
            unassigned.put(split.getTopicPartition(), split);
        }
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignPendingSplits(List.of(subtaskId));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignPendingSplits(List.of(subtaskId));
    }

    @Override
    public StreamsEnumState snapshotState(long checkpointId) {
        return new StreamsEnumState(
                assigned.values(), unassigned.values(), initialDiscoveryFinished);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
