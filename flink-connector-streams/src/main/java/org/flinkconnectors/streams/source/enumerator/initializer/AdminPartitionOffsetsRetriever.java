package org.flinkconnectors.streams.source.enumerator.initializer;

import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PartitionOffsetsRetriever} over Kafka's admin client. End offsets honour the consumer's
 * isolation level, so with {@code read_committed} a bounded read stops at the last stable offset
 * the consumer can actually reach.
 */
@Internal
public final class AdminPartitionOffsetsRetriever implements PartitionOffsetsRetriever {

    private final RetryingAdmin admin;
    @Nullable private final String groupId;
    private final IsolationLevel isolationLevel;

    public AdminPartitionOffsetsRetriever(
            RetryingAdmin admin, @Nullable String groupId, IsolationLevel isolationLevel) {
        this.admin = admin;
        this.groupId = groupId;
        this.isolationLevel = isolationLevel;
    }

    @Override
    public Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> partitions)
            throws IOException {
        return listOffsets("earliest", partitions, OffsetSpec.earliest());
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions)
            throws IOException {
        return listOffsets("end", partitions, OffsetSpec.latest());
    }

    @Override
    public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions)
            throws IOException {
        if (groupId == null) {
            throw new IllegalStateException(
                    "Committed offsets were requested but no consumer group id is set.");
        }
        if (partitions.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.call(
                        "list the offsets committed by consumer group '" + groupId + "'",
                        a ->
                                RetryingAdmin.await(
                                        a.listConsumerGroupOffsets(
                                                        Map.of(
                                                                groupId,
                                                                new ListConsumerGroupOffsetsSpec()
                                                                        .topicPartitions(
                                                                                List.copyOf(
                                                                                        partitions))))
                                                .partitionsToOffsetAndMetadata(groupId)));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach(
                (partition, offset) -> {
                    // Kafka reports partitions without a commit with a null value.
                    if (offset != null && offset.offset() >= 0) {
                        offsets.put(partition, offset.offset());
                    }
                });
        return offsets;
    }

    @Override
    public Map<TopicPartition, Long> offsetsForTimestamps(Map<TopicPartition, Long> timestamps)
            throws IOException {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        timestamps.forEach((tp, ts) -> specs.put(tp, OffsetSpec.forTimestamp(ts)));
        return list("offsets by timestamp", specs);
    }

    private Map<TopicPartition, Long> listOffsets(
            String what, Collection<TopicPartition> partitions, OffsetSpec spec)
            throws IOException {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        return list(what + " offsets", specs);
    }

    private Map<TopicPartition, Long> list(String what, Map<TopicPartition, OffsetSpec> specs)
            throws IOException {
        if (specs.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, ListOffsetsResultInfo> result =
                admin.call(
                        "list the " + what + " of " + specs.keySet(),
                        a ->
                                RetryingAdmin.await(
                                        a.listOffsets(specs, new ListOffsetsOptions(isolationLevel))
                                                .all()));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        // A negative offset means "no such record" (e.g. no record at or after a timestamp).
        result.forEach(
                (tp, info) -> {
                    if (info.offset() >= 0) {
                        offsets.put(tp, info.offset());
                    }
                });
        return offsets;
    }
}
