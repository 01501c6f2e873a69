package org.flinkconnectors.streams.source.reader;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * The records of one partition from one poll that are still to be emitted, as the element that
 * travels from the fetcher thread to the {@link StreamsRecordEmitter}: the emitter takes a bounded
 * run of records per call instead of one, which spares Flink's per-element work in the reader loop
 * (the queue poll, the counter, the status checks between elements) for all but the first record of
 * each run.
 *
 * <p>One instance per fetch is reused for each of its partitions in turn; it holds no copy of the
 * records, only the consumer's list and a cursor, and ends before the partition's stopping offset.
 */
@Internal
public final class StreamsRecordBatch {

    private List<ConsumerRecord<byte[], byte[]>> records = List.of();
    private int next;
    private int end;

    /** Points the batch at {@code partitionRecords}, without those at or after {@code stop}. */
    void reset(List<ConsumerRecord<byte[], byte[]>> partitionRecords, long stop) {
        int size = partitionRecords.size();
        // Offsets ascend, so only the last records of the last poll before a stop are cut.
        while (size > 0 && partitionRecords.get(size - 1).offset() >= stop) {
            size--;
        }
        this.records = partitionRecords;
        this.next = 0;
        this.end = size;
    }

    boolean hasRemaining() {
        return next < end;
    }

    /** The index of the next record to emit. */
    int position() {
        return next;
    }

    /** The index after the last record to emit. */
    int end() {
        return end;
    }

    ConsumerRecord<byte[], byte[]> get(int index) {
        return records.get(index);
    }

    /** The records before {@code index} are emitted. */
    void advanceTo(int index) {
        this.next = index;
    }
}
