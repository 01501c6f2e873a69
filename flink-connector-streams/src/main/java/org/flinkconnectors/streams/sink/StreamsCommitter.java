package org.flinkconnectors.streams.sink;

import org.flinkconnectors.streams.sink.internal.TransactionRegistry;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Commits the Kafka transactions of completed checkpoints. It commits on the writer's own producer
 * when it is still alive in this JVM, and otherwise (after a failover) resumes the transaction by
 * producer id and epoch. Committing a transaction that is already committed succeeds, so a commit
 * retried after a restore never duplicates data.
 */
@Internal
class StreamsCommitter implements Committer<StreamsCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsCommitter.class);

    /** Transient errors are retried this often before the job fails. */
    static final int MAX_RETRIES = 10;

    private final Properties producerProperties;
    private List<StreamsCommittable> committedInLastRound = new ArrayList<>();

    StreamsCommitter(Properties producerProperties) {
        this.producerProperties = producerProperties;
    }

    @Override
    public void commit(Collection<CommitRequest<StreamsCommittable>> requests) {
        // A commit round means a checkpoint completed after the previous round's commits, so no
        // restore can bring those committables back: their ids may be used again.
        committedInLastRound.forEach(TransactionRegistry::reusable);
        committedInLastRound = new ArrayList<>();
        for (CommitRequest<StreamsCommittable> request : requests) {
            commit(request);
        }
    }

    private void commit(CommitRequest<StreamsCommittable> request) {
        StreamsCommittable committable = request.getCommittable();
        Optional<TransactionalProducer> live = TransactionRegistry.liveProducer(committable);
        TransactionalProducer producer =
                live.orElseGet(
                        () ->
                                new TransactionalProducer(
                                        producerProperties, committable.getTransactionalId()));
        try {
            if (live.isEmpty()) {
                producer.resumeTransaction(committable.getProducerId(), committable.getEpoch());
            }
            producer.commitTransaction();
            TransactionRegistry.committed(committable);
            committedInLastRound.add(committable);
        } catch (RetriableException e) {
            if (request.getNumberOfRetries() < MAX_RETRIES) {
                LOG.warn(
                        "Transient failure committing {}, retrying: {}", committable, e.toString());
                request.retryLater();
            } else {
                request.signalFailedWithUnknownReason(e);
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            request.signalFailedWithKnownReason(lost(committable, "was fenced", e));
        } catch (InvalidTxnStateException e) {
            request.signalFailedWithKnownReason(lost(committable, "is no longer open", e));
        } catch (RuntimeException e) {
            request.signalFailedWithUnknownReason(e);
        } finally {
            if (live.isEmpty()) {
                producer.close(Duration.ZERO);
            }
        }
    }

    private static FlinkRuntimeException lost(
            StreamsCommittable committable, String what, Exception cause) {
        return new FlinkRuntimeException(
                String.format(
                        "Kafka transaction %s %s before Flink could commit it, so the records of"
                                + " that checkpoint are lost. Most likely the broker aborted it"
                                + " after transaction.timeout.ms; set it above the longest"
                                + " checkpoint interval plus restart time (and raise the broker's"
                                + " transaction.max.timeout.ms), or another job uses the same"
                                + " transactional id prefix.",
                        committable, what),
                cause);
    }

    @Override
    public void close() {}
}
