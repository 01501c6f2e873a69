package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * What every delivery mode's writer shares: serializing records, sending them on the mode's
 * producer, the send metrics, and turning a failed send into a failure at the next record or
 * checkpoint, so that neither a transaction with a hole is committed nor an at-least-once
 * checkpoint completes past a lost record.
 */
@Internal
abstract class AbstractStreamsWriter<IN>
        implements CommittingSinkWriter<IN, StreamsCommittable>,
                StatefulSinkWriter<IN, StreamsWriterState> {

    private final DeliveryGuarantee guarantee;
    private final StreamsRecordSerializationSchema<IN> schema;
    private final SinkContext sinkContext;
    private final Counter numRecordsSend;
    private final Counter numBytesSend;
    private final Counter numRecordsSendErrors;
    private final Callback callback;
    private volatile Exception asyncError;

    AbstractStreamsWriter(
            DeliveryGuarantee guarantee,
            StreamsRecordSerializationSchema<IN> schema,
            SinkWriterMetricGroup metrics,
            int subtaskId,
            int parallelism) {
        this.guarantee = guarantee;
        this.schema = schema;
        this.sinkContext = new SinkContext(subtaskId, parallelism);
        this.numRecordsSend = metrics.getNumRecordsSendCounter();
        this.numBytesSend = metrics.getNumBytesSendCounter();
        this.numRecordsSendErrors = metrics.getNumRecordsSendErrorsCounter();
        this.callback =
                (metadata, exception) -> {
                    if (exception != null) {
                        numRecordsSendErrors.inc();
                        if (asyncError == null) {
                            asyncError = exception;
                        }
                    }
                };
    }

    /** The producer the next record goes to. */
    abstract Producer<byte[], byte[]> producer();

    /** Opens the schema; subclasses call it once their producer is ready. */
    final void openSchema(SerializationSchema.InitializationContext schemaContext)
            throws IOException {
        try {
            schema.open(schemaContext, sinkContext);
        } catch (Exception e) {
            throw new IOException("Could not open the record serialization schema.", e);
        }
    }

    @Override
    public void write(IN element, Context context) throws IOException {
        checkAsyncError();
        ProducerRecord<byte[], byte[]> record =
                schema.serialize(element, sinkContext, context.timestamp());
        if (record == null) {
            return;
        }
        producer().send(record, callback);
        numRecordsSend.inc();
        numBytesSend.inc(size(record.key()) + size(record.value()));
    }

    final void checkAsyncError() throws IOException {
        Exception error = asyncError;
        if (error != null) {
            asyncError = null;
            throw new IOException(
                    "Failed to send a record to Kafka (delivery guarantee "
                            + guarantee
                            + "): "
                            + error.getMessage(),
                    error);
        }
    }

    private static int size(@Nullable byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** Exposes the subtask and topic layout to the serialization schema. */
    private final class SinkContext implements StreamsRecordSerializationSchema.StreamsSinkContext {
        private final int subtaskId;
        private final int parallelism;

        SinkContext(int subtaskId, int parallelism) {
            this.subtaskId = subtaskId;
            this.parallelism = parallelism;
        }

        @Override
        public int getParallelInstanceId() {
            return subtaskId;
        }

        @Override
        public int getNumberOfParallelInstances() {
            return parallelism;
        }

        @Override
        public int[] getPartitionsForTopic(String topic) {
            return producer().partitionsFor(topic).stream()
                    .mapToInt(PartitionInfo::partition)
                    .sorted()
                    .toArray();
        }
    }
}
