package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.streams.sink.internal.TransactionFate;
import org.flinkconnectors.streams.sink.internal.TransactionHandoff;
import org.flinkconnectors.streams.sink.internal.TransactionHandoffs;
import org.flinkconnectors.streams.sink.internal.TransactionInspector;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;

/**
 * Commits the Kafka transactions of completed checkpoints. It commits on the writer's own producer
 * when it is still alive in this JVM, and otherwise (after a failover) resumes the transaction by
 * producer id and epoch.
 *
 * <p>When the broker refuses a commit as fenced or in a wrong state, the committer asks the
 * coordinator what became of the transaction: one that is already committed (a commit retried after
 * a restore) counts as success; any other is lost, which fails the job or, with {@link
 * OnLostTransaction#LOG}, is logged and counted in {@value #LOST_TRANSACTIONS_METRIC}.
 *
 * <p>Each transaction it commits counts as one commit in its {@link CommitMetrics}, with the
 * records and bytes the writer sent in it; a transaction found committed before is not counted
 * again.
 */
@Internal
class StreamsCommitter implements Committer<StreamsCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsCommitter.class);

    /** Transient errors are retried this often before the job fails. */
    static final int MAX_RETRIES = 10;

    static final String LOST_TRANSACTIONS_METRIC = "numLostTransactions";

    private final Properties producerProperties;
    private final OnLostTransaction onLostTransaction;
    private final TransactionInspector inspector;
    private final Counter lostTransactions;
    private final CommitMetrics commitMetrics;
    private final TransactionHandoffs.Lease lease;
    private final TransactionHandoff handoff;

    StreamsCommitter(
            Properties producerProperties,
            OnLostTransaction onLostTransaction,
            SinkCommitterMetricGroup metrics,
            TransactionHandoffs.Lease lease) {
        this.producerProperties = producerProperties;
        this.onLostTransaction = onLostTransaction;
        this.inspector = new TransactionInspector(producerProperties);
        this.lostTransactions = metrics.counter(LOST_TRANSACTIONS_METRIC);
        this.commitMetrics = new CommitMetrics(metrics);
        this.lease = lease;
        this.handoff = lease.handoff();
    }

    @Override
    public void commit(Collection<CommitRequest<StreamsCommittable>> requests) {
        // Flink commits a checkpoint's committables once it completed, and a committable's
        // checkpoint id is at most its checkpoint's: that checkpoint or a later one completed.
        requests.stream()
                .mapToLong(request -> request.getCommittable().getCheckpointId())
                .max()
                .ifPresent(handoff::checkpointCompleted);
        FlinkRuntimeException lost = null;
        for (CommitRequest<StreamsCommittable> request : requests) {
            // Commit every other request before failing, so one loss loses nothing more.
            FlinkRuntimeException error = commit(request);
            if (lost == null) {
                lost = error;
            } else if (error != null) {
                lost.addSuppressed(error);
            }
        }
        if (lost != null) {
            throw lost;
        }
    }

    /** Returns the error to fail the job with when the transaction is lost, else null. */
    @Nullable
    private FlinkRuntimeException commit(CommitRequest<StreamsCommittable> request) {
        StreamsCommittable committable = request.getCommittable();
        Optional<TransactionalProducer> live = handoff.liveProducer(committable);
        TransactionalProducer producer =
                live.orElseGet(
                        () ->
                                new TransactionalProducer(
                                        producerProperties, committable.getTransactionalId()));
        long started = CommitMetrics.start();
        try {
            if (live.isEmpty()) {
                producer.resumeTransaction(committable.getProducerId(), committable.getEpoch());
            }
            producer.commitTransaction();
            commitMetrics.committed(
                    started, committable.getRecordCount(), committable.getByteCount());
            done(committable);
        } catch (RetriableException e) {
            if (request.getNumberOfRetries() < MAX_RETRIES) {
                LOG.warn(
                        "Transient failure committing {}, retrying: {}", committable, e.toString());
                request.retryLater();
            } else {
                request.signalFailedWithUnknownReason(e);
            }
        } catch (RuntimeException e) {
            Optional<KafkaException> refusal = refusal(e);
            if (refusal.isEmpty()) {
                request.signalFailedWithUnknownReason(e);
                return null;
            }
            // The live producer cannot go on after this; the pool initializes the id afresh.
            producer.close(Duration.ZERO);
            return refused(request, refusal.get());
        } finally {
            if (live.isEmpty()) {
                producer.close(Duration.ZERO);
            }
        }
        return null;
    }

    /**
     * The broker's refusal to end the transaction, also when the producer wraps it because it went
     * into an error state earlier.
     */
    private static Optional<KafkaException> refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException
                    || t instanceof InvalidPidMappingException
                    || t instanceof TransactionAbortedException) {
                return Optional.of((KafkaException) t);
            }
        }
        return Optional.empty();
    }

    @Nullable
    private FlinkRuntimeException refused(
            CommitRequest<StreamsCommittable> request, KafkaException error) {
        StreamsCommittable committable = request.getCommittable();
        TransactionFate fate = inspector.inspect(committable);
        if (fate.isCommitted()) {
            LOG.info(
                    "Transaction {} was committed before ({}); its commit was retried after a"
                            + " restore.",
                    committable,
                    fate.brokerView());
            request.signalAlreadyCommitted();
            done(committable);
            return null;
        }
        lostTransactions.inc();
        String message = LostTransaction.describe(committable, fate, error, onLostTransaction);
        // Its id is free again either way: the broker has ended the transaction.
        done(committable);
        if (onLostTransaction == OnLostTransaction.LOG) {
            LOG.error(message, error);
            request.signalFailedWithKnownReason(error);
            return null;
        }
        return new FlinkRuntimeException(message, error);
    }

    private void done(StreamsCommittable committable) {
        handoff.committed(committable);
    }

    @VisibleForTesting
    long lostTransactionCount() {
        return lostTransactions.getCount();
    }

    @Override
    public void close() {
        lease.close();
    }
}
