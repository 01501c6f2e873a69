package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * The writer of {@link DeliveryGuarantee#AT_LEAST_ONCE} (the producer is flushed at every
 * checkpoint) and {@link DeliveryGuarantee#NONE} (records are sent and forgotten) on one plain
 * producer. It has neither committables nor state; exactly-once is {@link
 * ExactlyOnceStreamsWriter}.
 */
@Internal
class StreamsWriter<IN> extends AbstractStreamsWriter<IN> {

    private final DeliveryGuarantee guarantee;
    private final KafkaProducer<byte[], byte[]> producer;

    StreamsWriter(
            DeliveryGuarantee guarantee,
            Properties producerProperties,
            StreamsRecordSerializationSchema<IN> schema,
            SerializationSchema.InitializationContext schemaContext,
            SinkWriterMetricGroup metrics,
            int subtaskId,
            int parallelism)
            throws IOException {
        super(guarantee, schema, metrics, subtaskId, parallelism);
        this.guarantee = guarantee;
        this.producer = new KafkaProducer<>(producerProperties);
        try {
            openSchema(schemaContext);
        } catch (IOException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    @Override
    Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (guarantee != DeliveryGuarantee.NONE || endOfInput) {
            producer.flush();
        }
        checkAsyncError();
    }

    @Override
    public Collection<StreamsCommittable> prepareCommit() {
        return Collections.emptyList();
    }

    @Override
    public List<StreamsWriterState> snapshotState(long checkpointId) {
        return Collections.emptyList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
