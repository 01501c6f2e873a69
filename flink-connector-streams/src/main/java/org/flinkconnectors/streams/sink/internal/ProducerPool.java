package org.flinkconnectors.streams.sink.internal;

import org.flinkconnectors.streams.sink.StreamsCommittable;
import org.flinkconnectors.streams.sink.StreamsWriterState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The transactional producers of one exactly-once writer subtask. Transactional ids come from a
 * bounded pool {@code <prefix>-<parallelism>-<subtask>-<n>}: a new transaction takes the lowest
 * {@code n} that is free (never used in this run, or committed and released by the committer), so
 * the number of ids the broker keeps state for stays small instead of growing with every
 * checkpoint. The parallelism in the id keeps a rescaled job from touching ids that a restored
 * committable still needs.
 */
@Internal
public final class ProducerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerPool.class);

    /** Far above what a healthy job needs (in-flight checkpoints + 2). */
    static final int MAX_POOL_SIZE = 64;

    private final Properties producerProperties;
    private final TransactionHandoff handoff;
    private final String prefix;
    private final int parallelism;
    private final int subtaskId;
    private final Map<Integer, TransactionalProducer> producers = new HashMap<>();
    private final List<StreamsCommittable> pending = new ArrayList<>();
    private int poolSize;

    public ProducerPool(
            Properties producerProperties,
            TransactionHandoff handoff,
            String prefix,
            int parallelism,
            int subtaskId) {
        this.producerProperties = producerProperties;
        this.handoff = handoff;
        this.prefix = prefix;
        this.parallelism = parallelism;
        this.subtaskId = subtaskId;
    }

    /** Takes over the pending transactions of this subtask's restored state. */
    public void restore(StreamsWriterState state) {
        poolSize = Math.max(poolSize, state.getPoolSize());
        for (StreamsCommittable committable : state.getPending()) {
            handoff.restoredPending(committable);
            pending.add(committable);
        }
    }

    /**
     * Initializes producers for the first {@code size} ids up front. A steady exactly-once writer
     * cycles through three ids (one being written, one waiting for its commit, one committed but
     * not yet safe to reuse); creating them at start keeps producer creation out of the first
     * checkpoints.
     */
    public void warmUp(int size) {
        for (int index = 0; index < size; index++) {
            String id = TransactionalIds.of(prefix, parallelism, subtaskId, index);
            if (handoff.status(id) == null && !producers.containsKey(index)) {
                TransactionalProducer producer = initialized(id);
                producers.put(index, producer);
                handoff.idle(id, producer);
            }
        }
        poolSize = Math.max(poolSize, size);
    }

    /** A producer with a freshly begun transaction on a free transactional id. */
    public TransactionalProducer beginTransaction() {
        for (int index = 0; index < poolSize; index++) {
            String id = TransactionalIds.of(prefix, parallelism, subtaskId, index);
            TransactionHandoff.Status status = handoff.status(id);
            if (status == null || status == TransactionHandoff.Status.REUSABLE) {
                return begin(index, id);
            }
        }
        if (poolSize >= MAX_POOL_SIZE) {
            throw new IllegalStateException(
                    String.format(
                            "All %d transactional ids of prefix '%s' (subtask %d) wait for their"
                                    + " commit. The committer is not releasing them: checkpoints"
                                    + " keep failing, or the sink's committer runs in another JVM"
                                    + " than its writer.",
                            MAX_POOL_SIZE, prefix, subtaskId));
        }
        int index = poolSize++;
        return begin(index, TransactionalIds.of(prefix, parallelism, subtaskId, index));
    }

    private TransactionalProducer begin(int index, String id) {
        TransactionalProducer producer = producers.get(index);
        boolean reusable =
                producer != null
                        && !producer.isClosed()
                        && handoff.reusableProducer(id) == producer;
        if (!reusable) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            producer = initialized(id);
            producers.put(index, producer);
            LOG.debug("Initialized transactional producer {}", id);
        }
        producer.beginTransaction();
        handoff.opened(id, producer);
        return producer;
    }

    /**
     * A new producer for {@code id}, initialized: that fences every earlier producer of the id and
     * aborts its open transaction.
     */
    private TransactionalProducer initialized(String id) {
        TransactionalProducer producer = new TransactionalProducer(producerProperties, id);
        try {
            producer.initTransactions();
            return producer;
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new FlinkRuntimeException(
                    String.format(
                            "Could not initialize Kafka transactions for transactional id '%s' at"
                                    + " bootstrap servers '%s': %s Check that the brokers are"
                                    + " reachable and allow transactions for this id.",
                            id,
                            producerProperties.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                            e.getMessage()),
                    e);
        }
    }

    /** Hands the producer's transaction, prepared for {@code checkpointId}, to the committer. */
    public StreamsCommittable precommit(TransactionalProducer producer, long checkpointId) {
        var ids = producer.producerIdAndEpoch();
        StreamsCommittable committable =
                new StreamsCommittable(
                        producer.transactionalId(),
                        ids.producerId,
                        ids.epoch,
                        checkpointId,
                        producer.recordsInTransaction(),
                        producer.bytesInTransaction());
        handoff.precommitted(committable, producer);
        pending.add(committable);
        return committable;
    }

    /**
     * Notes the checkpoint the writer starts after (the restored one): a restored committable the
     * committer commits before the writer starts is in that checkpoint's state.
     */
    public void startAfter(long checkpointId) {
        handoff.snapshotTaken(checkpointId);
    }

    /** The state to checkpoint: ids in use and the transactions not yet known to be committed. */
    public StreamsWriterState snapshot(long checkpointId) {
        handoff.snapshotTaken(checkpointId);
        pending.removeIf(handoff::isCommitted);
        return new StreamsWriterState(prefix, parallelism, subtaskId, poolSize, pending);
    }

    public int size() {
        return poolSize;
    }

    /** Closes every producer; transactions not handed to the committer are aborted. */
    @Override
    public void close() {
        for (TransactionalProducer producer : producers.values()) {
            String id = producer.transactionalId();
            if (handoff.status(id) == TransactionHandoff.Status.OPEN
                    && producer.isInTransaction()) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException e) {
                    LOG.info("Could not abort open transaction {} on close: {}", id, e.toString());
                }
                handoff.forget(id);
            }
            handoff.detach(id);
            producer.close(Duration.ZERO);
        }
        producers.clear();
    }
}
