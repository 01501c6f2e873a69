package org.flinkconnectors.streams.source.reader;

import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One poll's records, handed to the task thread without copying them into per-split lists: each
 * split's element is a {@link StreamsRecordBatch} over the consumer's own per-partition list, cut
 * at the partition's stopping offset, that the emitter drains in bounded runs.
 */
@Internal
final class StreamsPartitionRecords implements RecordsWithSplitIds<StreamsRecordBatch> {

    private static final StreamsPartitionRecords EMPTY =
            new StreamsPartitionRecords(ConsumerRecords.empty(), Map.of(), Set.of());

    private final ConsumerRecords<byte[], byte[]> records;
    private final Iterator<TopicPartition> partitions;
    private final Map<TopicPartition, Long> stoppingOffsets;
    private final Set<String> finishedSplits;
    private final StreamsRecordBatch batch = new StreamsRecordBatch();

    StreamsPartitionRecords(
            ConsumerRecords<byte[], byte[]> records,
            Map<TopicPartition, Long> stoppingOffsets,
            Set<String> finishedSplits) {
        this.records = records;
        this.partitions = records.partitions().iterator();
        this.stoppingOffsets = stoppingOffsets;
        this.finishedSplits = finishedSplits;
    }

    static StreamsPartitionRecords finishedOnly(Set<String> finishedSplits) {
        return finishedSplits.isEmpty()
                ? EMPTY
                : new StreamsPartitionRecords(ConsumerRecords.empty(), Map.of(), finishedSplits);
    }

    @Nullable
    @Override
    public String nextSplit() {
        if (!partitions.hasNext()) {
            return null;
        }
        TopicPartition tp = partitions.next();
        Long stop = stoppingOffsets.get(tp);
        batch.reset(records.records(tp), stop == null ? Long.MAX_VALUE : stop);
        return StreamsPartitionSplit.splitIdOf(tp);
    }

    @Nullable
    @Override
    public StreamsRecordBatch nextRecordFromSplit() {
        return batch.hasRemaining() ? batch : null;
    }

    @Override
    public Set<String> finishedSplits() {
        return finishedSplits;
    }
}
