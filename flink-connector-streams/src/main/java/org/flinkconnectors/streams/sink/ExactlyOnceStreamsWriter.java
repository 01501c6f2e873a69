package org.flinkconnectors.streams.sink;

import org.flinkconnectors.streams.sink.internal.ProducerPool;
import org.flinkconnectors.streams.sink.internal.TransactionHandoffs;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import org.apache.kafka.clients.producer.Producer;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The writer of {@link DeliveryGuarantee#EXACTLY_ONCE}: every checkpoint interval is one Kafka
 * transaction per subtask, on an id of its {@link ProducerPool}, handed to the {@link
 * StreamsCommitter} at the checkpoint through the subtask's transaction handoff.
 */
@Internal
class ExactlyOnceStreamsWriter<IN> extends AbstractStreamsWriter<IN> {

    /** Ids a writer cycles through when every checkpoint commits in time. */
    static final int WARM_POOL_SIZE = 3;

    private final ProducerPool pool;
    private final TransactionHandoffs.Lease handoff;
    @Nullable private TransactionalProducer transaction;
    private long lastCheckpointId;

    /** Takes ownership of {@code pool} and {@code handoff}: closing the writer closes both. */
    ExactlyOnceStreamsWriter(
            ProducerPool pool,
            TransactionHandoffs.Lease handoff,
            StreamsRecordSerializationSchema<IN> schema,
            SerializationSchema.InitializationContext schemaContext,
            SinkWriterMetricGroup metrics,
            int subtaskId,
            int parallelism,
            long lastCheckpointId)
            throws IOException {
        super(DeliveryGuarantee.EXACTLY_ONCE, schema, metrics, subtaskId, parallelism);
        this.pool = pool;
        this.handoff = handoff;
        this.lastCheckpointId = lastCheckpointId;
        pool.startAfter(lastCheckpointId);
        // Connect and fence the ids before records arrive; beginning a transaction costs no
        // broker round trip until the first send.
        pool.warmUp(WARM_POOL_SIZE);
        transaction = pool.beginTransaction();
        openSchema(schemaContext);
    }

    @Override
    Producer<byte[], byte[]> producer() {
        if (transaction == null) {
            transaction = pool.beginTransaction();
        }
        return transaction;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (transaction != null) {
            transaction.flush();
        }
        checkAsyncError();
    }

    @Override
    public Collection<StreamsCommittable> prepareCommit() throws IOException {
        if (transaction == null || !transaction.hasRecordsInTransaction()) {
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
        return List.of(pool.snapshot(checkpointId));
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            handoff.close();
        }
    }

    @VisibleForTesting
    int transactionalIdPoolSize() {
        return pool.size();
    }
}
