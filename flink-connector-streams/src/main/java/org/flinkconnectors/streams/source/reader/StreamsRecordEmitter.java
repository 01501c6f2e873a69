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
 * checkpoint taken between two records resumes after the last one emitted.
 */
@Internal
public final class StreamsRecordEmitter<T>
        implements RecordEmitter<ConsumerRecord<byte[], byte[]>, T, StreamsPartitionSplitState> {

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
            ConsumerRecord<byte[], byte[]> record,
            SourceOutput<T> output,
            StreamsPartitionSplitState state)
            throws Exception {
        collector.output = output;
        collector.timestamp = record.timestamp();
        try {
            deserializer.deserialize(record, collector);
        } catch (DownstreamException e) {
            // Not a deserialization problem: let the downstream operator's failure through as is.
            throw e.original;
        } catch (Exception e) {
            throw new IOException(
                    String.format(
                            "Failed to deserialize the record at offset %d of partition %d of"
                                    + " topic '%s': %s",
                            record.offset(), record.partition(), record.topic(), e.getMessage()),
                    e);
        }
        state.setCurrentOffset(record.offset() + 1);
        metrics.recordEmitted(
                state.getTopicPartition(),
                record.offset() + 1,
                Math.max(0, record.serializedKeySize())
                        + Math.max(0, record.serializedValueSize()));
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
