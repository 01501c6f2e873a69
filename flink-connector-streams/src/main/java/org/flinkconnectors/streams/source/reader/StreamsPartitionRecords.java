package org.flinkconnectors.streams.source.reader;

import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One poll's records, handed to the task thread without copying them into per-split lists: the
 * iteration walks the consumer's own per-partition lists and stops a partition at its stopping
 * offset.
 */
@Internal
final class StreamsPartitionRecords implements RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> {

    private static final StreamsPartitionRecords EMPTY =
            new StreamsPartitionRecords(ConsumerRecords.empty(), Map.of(), Set.of());

    private final ConsumerRecords<byte[], byte[]> records;
    private final Iterator<TopicPartition> partitions;
    private final Map<TopicPartition, Long> stoppingOffsets;
    private final Set<String> finishedSplits;

    @Nullable private Iterator<ConsumerRecord<byte[], byte[]>> current;
    private long currentStop = Long.MAX_VALUE;

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
            current = null;
            return null;
        }
        TopicPartition tp = partitions.next();
        List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
        current = list.iterator();
        Long stop = stoppingOffsets.get(tp);
        currentStop = stop == null ? Long.MAX_VALUE : stop;
        return StreamsPartitionSplit.splitIdOf(tp);
    }

    @Nullable
    @Override
    public ConsumerRecord<byte[], byte[]> nextRecordFromSplit() {
        if (current == null || !current.hasNext()) {
            return null;
        }
        ConsumerRecord<byte[], byte[]> record = current.next();
        if (record.offset() >= currentStop) {
            current = Collections.emptyIterator();
            return null;
        }
        return record;
    }

    @Override
    public Set<String> finishedSplits() {
        return finishedSplits;
    }
}
