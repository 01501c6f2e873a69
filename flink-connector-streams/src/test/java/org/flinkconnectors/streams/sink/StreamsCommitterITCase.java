package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.sink.internal.ProducerPool;
import org.flinkconnectors.streams.sink.internal.TransactionHandoffs;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;
import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.apache.flink.util.function.FunctionUtils.uncheckedSupplier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The committer against a real broker (transaction protocol version 2, Kafka 4's default): a
 * transaction the broker aborted before its commit fails the commit or, if the user accepts the
 * loss, is logged and counted; a commit retried after the transaction committed succeeds, also when
 * the commit was notified late.
 */
class StreamsCommitterITCase {

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @Test
    void aTransactionTheBrokerTimedOutFailsTheCommitByDefault() throws Exception {
        String topic = "lost-fail";
        KAFKA.createTopic(topic, 1);
        StreamsCommittable lost = timedOutTransaction(topic, "lost-fail-1-0-0", 7L);
        StreamsCommitter committer = committer(OnLostTransaction.FAIL);
        TestCommitRequest request = new TestCommitRequest(lost);

        assertThatThrownBy(() -> committer.commit(List.of(request)))
                .isInstanceOf(FlinkRuntimeException.class)
                .hasMessageContaining("'lost-fail-1-0-0'")
                .hasMessageContaining("checkpoint 7")
                .hasMessageContaining("producer id " + lost.getProducerId())
                .hasMessageContaining("epoch " + lost.getEpoch())
                .hasMessageContaining("transaction.timeout.ms")
                .hasMessageContaining("'sink.on-lost-transaction' = 'log'");
        assertThat(CommittedReader.readCommitted(KAFKA, topic)).isEmpty();
    }

    @Test
    void aTransactionTheBrokerTimedOutIsCountedWhenTheUserAcceptsTheLoss() throws Exception {
        String topic = "lost-log";
        KAFKA.createTopic(topic, 1);
        StreamsCommittable lost = timedOutTransaction(topic, "lost-log-1-0-0", 3L);
        StreamsCommitter committer = committer(OnLostTransaction.LOG);
        TestCommitRequest request = new TestCommitRequest(lost);

        committer.commit(List.of(request));

        assertThat(committer.lostTransactionCount()).isEqualTo(1);
        assertThat(request.outcome).isEqualTo("failed-known");
        assertThat(CommittedReader.readCommitted(KAFKA, topic)).isEmpty();
    }

    @Test
    void aRetriedCommitOfACommittedTransactionSucceedsSilently() throws Exception {
        String topic = "recommit";
        KAFKA.createTopic(topic, 1);
        StreamsCommittable committable;
        // The writer's live producer commits: on protocol version 2 that bumps the epoch, so the
        // retried commit after a restore (resuming the old epoch) is refused as fenced.
        try (TransactionalProducer writer = producer("recommit-1-0-0", 60_000)) {
            writer.initTransactions();
            writer.beginTransaction();
            writer.send(new ProducerRecord<>(topic, bytes("once")));
            writer.flush();
            ProducerIdAndEpoch ids = writer.producerIdAndEpoch();
            committable = new StreamsCommittable("recommit-1-0-0", ids.producerId, ids.epoch, 5L);
            writer.commitTransaction();
        }
        StreamsCommitter committer = committer(OnLostTransaction.FAIL);
        TestCommitRequest retried = new TestCommitRequest(committable);

        committer.commit(List.of(retried));

        assertThat(retried.outcome).isEqualTo("already-committed");
        assertThat(committer.lostTransactionCount()).isZero();
        assertThat(values(topic)).containsExactly("once");
    }

    /**
     * Checkpoint 1's completion is notified after the writer's snapshot of checkpoint 2, so that
     * snapshot still holds checkpoint 1's committable; checkpoint 2 completes, then the job fails
     * before checkpoint 3 and is restored from checkpoint 2. Its id must not have been used again
     * meanwhile, or the retried commit finds it fenced (protocol 2 bumps the epoch at every
     * commit).
     */
    @Test
    void aCommitNotifiedAfterTheNextSnapshotKeepsItsIdUntilALaterCheckpointCompletes()
            throws Exception {
        String topic = "late-notification";
        KAFKA.createTopic(topic, 1);
        TransactionHandoffs.Key key =
                new TransactionHandoffs.Key(new JobID(), 0, 0, "late-notification");
        TransactionHandoffs.Lease writerSide =
                TransactionHandoffs.open(key, TransactionHandoffs.Side.WRITER);
        StreamsCommitter committer = committer(OnLostTransaction.FAIL, key);
        try (ProducerPool pool =
                new ProducerPool(producerProperties(60_000), writerSide.handoff(), topic, 1, 0)) {
            pool.startAfter(0);
            StreamsCommittable first = precommit(pool, topic, "a", 1);
            pool.snapshot(1);
            StreamsCommittable second = precommit(pool, topic, "b", 2);
            pool.snapshot(2);
            committer.commit(List.of(new TestCommitRequest(first)));
            committer.commit(List.of(new TestCommitRequest(second)));

            TransactionalProducer third = pool.beginTransaction();
            assertThat(third.transactionalId())
                    .as("checkpoint 2's state still holds the first transaction")
                    .isNotEqualTo(first.getTransactionalId());
            third.send(new ProducerRecord<>(topic, bytes("c")));
            third.flush();

            // Restored from checkpoint 2 in a new JVM: both commits are retried.
            TestCommitRequest retriedFirst = new TestCommitRequest(first);
            TestCommitRequest retriedSecond = new TestCommitRequest(second);
            committer(OnLostTransaction.FAIL).commit(List.of(retriedFirst, retriedSecond));
            assertThat(retriedFirst.outcome).isEqualTo("already-committed");
            assertThat(retriedSecond.outcome).isEqualTo("already-committed");

            // Once a checkpoint taken after the first commit completes, its id cycles again.
            StreamsCommittable thirdCommittable = pool.precommit(third, 3);
            pool.snapshot(3);
            committer.commit(List.of(new TestCommitRequest(thirdCommittable)));
            assertThat(pool.beginTransaction().transactionalId())
                    .isEqualTo(first.getTransactionalId());
        } finally {
            writerSide.close();
        }
        assertThat(values(topic)).containsExactly("a", "b", "c");
    }

    private static StreamsCommittable precommit(
            ProducerPool pool, String topic, String value, long checkpointId) {
        TransactionalProducer producer = pool.beginTransaction();
        producer.send(new ProducerRecord<>(topic, bytes(value)));
        producer.flush();
        return pool.precommit(producer, checkpointId);
    }

    /** A transaction with records whose writer died and that the broker then timed out. */
    private static StreamsCommittable timedOutTransaction(
            String topic, String transactionalId, long checkpointId) throws Exception {
        StreamsCommittable committable;
        try (TransactionalProducer writer = producer(transactionalId, 1_000)) {
            writer.initTransactions();
            writer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                writer.send(new ProducerRecord<>(topic, bytes("lost-" + i)));
            }
            writer.flush();
            ProducerIdAndEpoch ids = writer.producerIdAndEpoch();
            committable =
                    new StreamsCommittable(
                            transactionalId, ids.producerId, ids.epoch, checkpointId);
        }
        // The broker checks for timed-out transactions every 10 s by default.
        awaitState(transactionalId, TransactionState.COMPLETE_ABORT, Duration.ofSeconds(60));
        return committable;
    }

    private static void awaitState(String transactionalId, TransactionState state, Duration wait)
            throws Exception {
        try (Admin admin = KAFKA.admin()) {
            CommonTestUtils.waitUtil(
                    uncheckedSupplier(
                            () ->
                                    admin.describeTransactions(List.of(transactionalId))
                                                    .description(transactionalId)
                                                    .get(30, TimeUnit.SECONDS)
                                                    .state()
                                            == state),
                    wait,
                    Duration.ofMillis(200),
                    "waiting for " + transactionalId + " to reach " + state);
        }
    }

    /** Committers of the running test, closed after it so their handoffs end with the test. */
    private final List<StreamsCommitter> committers = new ArrayList<>();

    @AfterEach
    void closeCommitters() throws Exception {
        for (StreamsCommitter committer : committers) {
            committer.close();
        }
    }

    private StreamsCommitter committer(OnLostTransaction onLostTransaction) {
        return committer(
                onLostTransaction,
                new TransactionHandoffs.Key(new JobID(), 0, 0, "committer-test"));
    }

    private StreamsCommitter committer(
            OnLostTransaction onLostTransaction, TransactionHandoffs.Key handoff) {
        StreamsCommitter committer =
                new StreamsCommitter(
                        producerProperties(60_000),
                        onLostTransaction,
                        InternalSinkCommitterMetricGroup.wrap(
                                UnregisteredMetricsGroup.createOperatorMetricGroup()),
                        TransactionHandoffs.open(handoff, TransactionHandoffs.Side.COMMITTER));
        committers.add(committer);
        return committer;
    }

    private static TransactionalProducer producer(String transactionalId, int timeoutMs) {
        return new TransactionalProducer(producerProperties(timeoutMs), transactionalId);
    }

    private static Properties producerProperties(int transactionTimeoutMs) {
        Properties props = KAFKA.clientProperties();
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeoutMs);
        return props;
    }

    private static List<String> values(String topic) {
        return CommittedReader.readCommitted(KAFKA, topic).stream()
                .map(ConsumerRecord::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records how the committer settled one request, as Flink's commit request would. */
    private static final class TestCommitRequest
            implements Committer.CommitRequest<StreamsCommittable> {
        private final StreamsCommittable committable;
        private String outcome = "committed";
        private int retries;

        TestCommitRequest(StreamsCommittable committable) {
            this.committable = committable;
        }

        @Override
        public StreamsCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return retries;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failed-known";
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failed-unknown";
            throw new IllegalStateException("Failed to commit " + committable, t);
        }

        @Override
        public void retryLater() {
            outcome = "retry";
            retries++;
        }

        @Override
        public void updateAndRetryLater(StreamsCommittable committable) {
            retryLater();
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already-committed";
        }
    }
}
