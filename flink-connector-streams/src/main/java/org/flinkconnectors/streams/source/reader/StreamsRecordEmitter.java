package org.flinkconnectors.streams.source.reader;

import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.streams.source.reader.deserializer.StreamsRecordDeserializationSchema;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.RecordBatch;

import java.io.IOException;

/**
 * Deserializes fetched records, emits the results with the record's timestamp to the split's own
 * output (which is what gives per-partition watermarks) and then advances the split's offset, so a
 * checkpoint taken between two calls resumes after the last record emitted.
 *
 * <p>Each call emits a run of up to {@value #MAX_RECORDS_PER_CALL} records of one {@link
 * StreamsRecordBatch} (fewer once they reach {@value #MAX_BYTES_PER_CALL} bytes of keys and
 * values), and settles the split offset and the metrics once per run. The bounds keep what one call
 * pushes downstream small, so checkpoints, timers and backpressure are still served between runs as
 * promptly as between single records of a few KB.
 */
@Internal
public final class StreamsRecordEmitter<T>
        implements RecordEmitter<StreamsRecordBatch, T, StreamsPartitionSplitState> {

    static final int MAX_RECORDS_PER_CALL = 64;
    static final long MAX_BYTES_PER_CALL = 32 * 1024;

    private final StreamsRecordDeserializationSchema<T> deserializer;
    private final StreamsSourceReaderMetrics metrics;
    private final OutputCollector<T> collector;

    public StreamsRecordEmitter(
            StreamsRecordDeserializationSchema<T> deserializer,
            StreamsSourceReaderMetrics metrics) {
        this(deserializer, metrics, ReadLimit.none());
    }

    public StreamsRecordEmitter(
            StreamsRecordDeserializationSchema<T> deserializer,
            StreamsSourceReaderMetrics metrics,
            ReadLimit limit) {
        this.deserializer = deserializer;
        this.metrics = metrics;
        this.collector = new OutputCollector<>(limit);
    }

    @Override
    public void emitRecord(
            StreamsRecordBatch batch, SourceOutput<T> output, StreamsPartitionSplitState state)
            throws Exception {
        OutputCollector<T> collector = this.collector;
        collector.output = output;
        int first = batch.position();
        int last = Math.min(batch.end(), first + MAX_RECORDS_PER_CALL);
        int index = first;
        long bytes = 0;
        ConsumerRecord<byte[], byte[]> record;
        do {
            record = batch.get(index++);
            collector.timestamp = record.timestamp();
            try {
                deserializer.deserialize(record, collector);
            } catch (DownstreamException e) {
                // Not a deserialization problem: let the downstream operator's failure through.
                throw e.original;
            } catch (Exception e) {
                throw new IOException(
                        String.format(
                                "Failed to deserialize the record at offset %d of partition %d of"
                                        + " topic '%s': %s",
                                record.offset(),
                                record.partition(),
                                record.topic(),
                                e.getMessage()),
                        e);
            }
            bytes +=
                    Math.max(0, record.serializedKeySize())
                            + Math.max(0, record.serializedValueSize());
        } while (index < last && bytes < MAX_BYTES_PER_CALL);
        batch.advanceTo(index);
        long nextOffset = record.offset() + 1;
        state.setCurrentOffset(nextOffset);
        metrics.recordsEmitted(state.getTopicPartition(), nextOffset, index - first, bytes);
    }

    /** Forwards to the split output, stamping every element with its record's timestamp. */
    private static final class OutputCollector<T> implements Collector<T> {
        private final ReadLimit limit;
        private SourceOutput<T> output;
        private long timestamp;

        OutputCollector(ReadLimit limit) {
            this.limit = limit;
        }

        @Override
        public void collect(T element) {
            try {
                if (timestamp == RecordBatch.NO_TIMESTAMP) {
                    output.collect(element);
                } else {
                    output.collect(element, timestamp);
                }
                limit.produced(1);
            } catch (RuntimeException e) {
                throw new DownstreamException(e);
            }
        }

        @Override
        public void close() {}
    }

    /** Marks a failure of the operators after the source, thrown through the user's schema. */
    private static final class DownstreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final RuntimeException original;

        DownstreamException(RuntimeException original) {
            super(original);
            this.original = original;
        }
    }
}
