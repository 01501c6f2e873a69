package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;
import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.streams.sink.internal.LingeringTransactionAborter;
import org.flinkconnectors.streams.sink.internal.ProducerPool;
import org.flinkconnectors.streams.sink.internal.TransactionHandoffs;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.InitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * A Sink V2 sink that writes to Kafka-protocol brokers with a configurable {@link
 * DeliveryGuarantee}. Exactly-once uses Kafka transactions that commit when the checkpoint
 * completes; see {@link StreamsSinkBuilder} for the options.
 *
 * <pre>{@code
 * StreamsSink<String> sink = StreamsSink.<String>builder()
 *     .setBootstrapServers("localhost:9092")
 *     .setRecordSerializer(StreamsRecordSerializationSchema.<String>builder()
 *         .setTopic("orders")
 *         .setValueSerializationSchema(new SimpleStringSchema())
 *         .build())
 *     .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
 *     .setTransactionalIdPrefix("orders-job")
 *     .build();
 * }</pre>
 */
@PublicEvolving
public class StreamsSink<IN>
        implements Sink<IN>,
                SupportsWriterState<IN, StreamsWriterState>,
                SupportsCommitter<StreamsCommittable> {

    private static final long serialVersionUID = 1L;

    private final DeliveryGuarantee deliveryGuarantee;
    private final Properties producerProperties;
    private final String transactionalIdPrefix;
    private final StreamsRecordSerializationSchema<IN> recordSerializer;
    private final OnLostTransaction onLostTransaction;

    StreamsSink(
            DeliveryGuarantee deliveryGuarantee,
            Properties producerProperties,
            String transactionalIdPrefix,
            StreamsRecordSerializationSchema<IN> recordSerializer,
            OnLostTransaction onLostTransaction) {
        this.deliveryGuarantee = deliveryGuarantee;
        this.producerProperties = producerProperties;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.recordSerializer = recordSerializer;
        this.onLostTransaction = onLostTransaction;
    }

    public static <IN> StreamsSinkBuilder<IN> builder() {
        return new StreamsSinkBuilder<>();
    }

    @Override
    public StatefulSinkWriter<IN, StreamsWriterState> createWriter(WriterInitContext context)
            throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<IN, StreamsWriterState> restoreWriter(
            WriterInitContext context, Collection<StreamsWriterState> restored) throws IOException {
        JobClassLoaderRelease.register(context.getUserCodeClassLoader(), "streams", () -> {});
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        if (deliveryGuarantee != DeliveryGuarantee.EXACTLY_ONCE) {
            return new StreamsWriter<>(
                    deliveryGuarantee,
                    producerProperties,
                    recordSerializer,
                    context.asSerializationSchemaInitializationContext(),
                    context.metricGroup(),
                    subtask,
                    parallelism);
        }
        new LingeringTransactionAborter(producerProperties, transactionalIdPrefix)
                .abortLingering(
                        restored,
                        context.getRestoredCheckpointId().isPresent(),
                        parallelism,
                        subtask);
        TransactionHandoffs.Lease handoff =
                TransactionHandoffs.open(handoffKey(context), TransactionHandoffs.Side.WRITER);
        ProducerPool pool =
                new ProducerPool(
                        producerProperties,
                        handoff.handoff(),
                        transactionalIdPrefix,
                        parallelism,
                        subtask);
        try {
            for (StreamsWriterState state : ownStates(restored, parallelism, subtask)) {
                pool.restore(state);
            }
            return new ExactlyOnceStreamsWriter<>(
                    pool,
                    handoff,
                    recordSerializer,
                    context.asSerializationSchemaInitializationContext(),
                    context.metricGroup(),
                    subtask,
                    parallelism,
                    context.getRestoredCheckpointId()
                            .orElse(WriterInitContext.INITIAL_CHECKPOINT_ID - 1));
        } catch (IOException | RuntimeException e) {
            // No writer to close: release what it would have owned.
            pool.close();
            handoff.close();
            throw e;
        }
    }

    private TransactionHandoffs.Key handoffKey(InitContext context) {
        return new TransactionHandoffs.Key(
                context.getJobInfo().getJobId(),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getAttemptNumber(),
                transactionalIdPrefix);
    }

    private List<StreamsWriterState> ownStates(
            Collection<StreamsWriterState> restored, int parallelism, int subtask) {
        List<StreamsWriterState> own = new ArrayList<>();
        for (StreamsWriterState state : restored) {
            if (state.getTransactionalIdPrefix().equals(transactionalIdPrefix)
                    && state.getParallelism() == parallelism
                    && state.getSubtaskId() == subtask) {
                own.add(state);
            }
        }
        return own;
    }

    @Override
    public SimpleVersionedSerializer<StreamsWriterState> getWriterStateSerializer() {
        return new StreamsWriterStateSerializer();
    }

    @Override
    public Committer<StreamsCommittable> createCommitter(CommitterInitContext context) {
        return new StreamsCommitter(
                producerProperties,
                onLostTransaction,
                context.metricGroup(),
                deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
                        ? TransactionHandoffs.open(
                                handoffKey(context), TransactionHandoffs.Side.COMMITTER)
                        : TransactionHandoffs.unshared());
    }

    @Override
    public SimpleVersionedSerializer<StreamsCommittable> getCommittableSerializer() {
        return new StreamsCommittableSerializer();
    }

    public DeliveryGuarantee getDeliveryGuarantee() {
        return deliveryGuarantee;
    }

    @Override
    public String toString() {
        return "StreamsSink{deliveryGuarantee="
                + deliveryGuarantee
                + ", transactionalIdPrefix='"
                + transactionalIdPrefix
                + "', onLostTransaction="
                + onLostTransaction
                + ", properties="
                + SecretMasking.mask(producerProperties)
                + '}';
    }
}
