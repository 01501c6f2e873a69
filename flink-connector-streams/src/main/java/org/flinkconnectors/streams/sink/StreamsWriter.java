package org.flinkconnectors.streams.sink;

import org.flinkconnectors.streams.sink.internal.ProducerPool;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;

import javax.annotation.Nullable;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Sends records to Kafka. With {@link DeliveryGuarantee#EXACTLY_ONCE} every checkpoint interval is
 * one Kafka transaction per subtask, handed to the {@link StreamsCommitter} at the checkpoint; with
 * {@link DeliveryGuarantee#AT_LEAST_ONCE} the producer is flushed at every checkpoint; with {@link
 * DeliveryGuarantee#NONE} records are sent and forgotten.
 *
 * <p>A failed send fails the job at the next record or checkpoint, so a transaction with a hole is
 * never committed and an at-least-once checkpoint never completes past a lost record.
 */
@Internal
class StreamsWriter<IN>
        implements CommittingSinkWriter<IN, StreamsCommittable>,
                StatefulSinkWriter<IN, StreamsWriterState> {

    /** Ids a writer cycles through when every checkpoint commits in time. */
    static final int WARM_POOL_SIZE = 3;

    private final DeliveryGuarantee guarantee;
    private final StreamsRecordSerializationSchema<IN> schema;
    private final SinkContext sinkContext;
    private final Counter numRecordsSend;
    private final Counter numBytesSend;
    private final Counter numRecordsSendErrors;
    private final Callback callback;

    @Nullable private final ProducerPool pool;
    @Nullable private final KafkaProducer<byte[], byte[]> plainProducer;
    @Nullable private TransactionalProducer transaction;
    private long lastCheckpointId;
    private volatile Exception asyncError;

    StreamsWriter(
            DeliveryGuarantee guarantee,
            Properties producerProperties,
            @Nullable ProducerPool pool,
            StreamsRecordSerializationSchema<IN> schema,
            SerializationSchema.InitializationContext schemaContext,
            SinkWriterMetricGroup metrics,
            int subtaskId,
            int parallelism,
            long lastCheckpointId)
            throws IOException {
        this.guarantee = guarantee;
        this.lastCheckpointId = lastCheckpointId;
        this.schema = schema;
        this.pool = pool;
        this.plainProducer =
                guarantee == DeliveryGuarantee.EXACTLY_ONCE
                        ? null
                        : new KafkaProducer<>(producerProperties);
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
        try {
            schema.open(schemaContext, sinkContext);
        } catch (Exception e) {
            throw new IOException("Could not open the record serialization schema.", e);
        }
        if (pool != null) {
            // Connect and fence the ids before records arrive; beginning a transaction costs no
            // broker round trip until the first send.
            pool.warmUp(WARM_POOL_SIZE);
            transaction = pool.beginTransaction();
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

    private Producer<byte[], byte[]> producer() {
        if (plainProducer != null) {
            return plainProducer;
        }
        if (transaction == null) {
            transaction = pool.beginTransaction();
        }
        return transaction;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (guarantee != DeliveryGuarantee.NONE || endOfInput) {
            if (plainProducer != null) {
                plainProducer.flush();
            } else if (transaction != null) {
                transaction.flush();
            }
        }
        checkAsyncError();
    }

    @Override
    public Collection<StreamsCommittable> prepareCommit() throws IOException {
        if (pool == null || transaction == null || !transaction.hasRecordsInTransaction()) {
            return Collections.emptyList();
        }
        transaction.flush();
        checkAsyncError();
        // Flink prepares the commit of checkpoint n right after the snapshot of n - 1 (unless a
        // checkpoint was aborted before reaching this writer, then n is a lower bound).
        StreamsCommittable committable = pool.precommit(transaction, lastCheckpointId + 1);
        transaction = null;
        return List.of(committable);
    }

    @Override
    public List<StreamsWriterState> snapshotState(long checkpointId) {
        lastCheckpointId = checkpointId;
        return pool == null ? Collections.emptyList() : List.of(pool.snapshot());
    }

    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (plainProducer != null) {
            plainProducer.close(Duration.ofSeconds(5));
        }
    }

    int transactionalIdPoolSize() {
        return pool == null ? 0 : pool.size();
    }

    private void checkAsyncError() throws IOException {
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
