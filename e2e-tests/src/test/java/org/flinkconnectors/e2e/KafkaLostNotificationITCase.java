package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoint notifications that come late or never reach an exactly-once 'streams' sink, on brokers
 * of both transaction protocols. An intermediate savepoint makes them on a real cluster: Flink
 * notifies no sink of it, so the transactions it pre-committed stay open. They are committed by a
 * later checkpoint's notification (late), by the job restored from the savepoint (lost, restored
 * within {@code transaction.timeout.ms}), or not at all because the broker aborted them meanwhile
 * (lost, restored after the timeout): then the restored job fails naming the transaction, or, with
 * {@code sink.on-lost-transaction = 'log'}, runs on and logs the loss. A plain read_committed
 * consumer counts ids 1..N each time.
 */
class KafkaLostNotificationITCase extends StandaloneClusterTestBase {

    private static final long IDS = 100_000;
    private static final int ROWS_PER_SECOND = 10_000;

    /** Ids in Kafka (uncommitted) before the savepoint, so that it holds open transactions. */
    private static final long WRITTEN_BEFORE_SAVEPOINT = 10_000;

    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LONG_TIMEOUT = Duration.ofMinutes(5);

    private static final Set<TransactionState> OPEN =
            Set.of(
                    TransactionState.ONGOING,
                    TransactionState.PREPARE_COMMIT,
                    TransactionState.PREPARE_ABORT);

    private static final Map<Integer, KafkaBrokerProcess> BROKERS = new HashMap<>();

    @BeforeAll
    static void startFlink() throws Exception {
        // No cluster-wide checkpointing: each job sets its own interval (Run.start, Run.restore).
        startFaultCluster(Map.of());
    }

    @AfterAll
    static void stopBrokers() {
        BROKERS.values().forEach(KafkaBrokerProcess::close);
    }

    /** The savepoint's transactions are committed by the notification of a later checkpoint. */
    @ParameterizedTest(name = "transaction.version={0}")
    @ValueSource(ints = {1, 2})
    void transactionsOfASavepointAreCommittedByTheNextCheckpoint(int transactionVersion)
            throws Exception {
        Run run = new Run("late", transactionVersion, LONG_TIMEOUT);
        String jobId = run.start("");
        run.savepointWhileWriting(jobId);
        assertThat(run.committedIds()).as("committed before any notification").isEmpty();

        // Checkpoints on request only, until the job has finished its input and its last commit.
        Polling.poll(
                "job " + jobId + " to finish",
                Duration.ofMinutes(2),
                () -> {
                    if (cluster.rest("/jobs/" + jobId).path("state").asText().equals("FINISHED")) {
                        return Optional.of(true);
                    }
                    triggerCheckpointIfRunning(jobId);
                    return Optional.empty();
                });
        run.assertExactlyOnce();
    }

    /** The job is cancelled after the savepoint and restored from it within the timeout. */
    @ParameterizedTest(name = "transaction.version={0}")
    @ValueSource(ints = {1, 2})
    void transactionsOfASavepointAreCommittedByTheJobRestoredFromIt(int transactionVersion)
            throws Exception {
        Run run = new Run("lost", transactionVersion, LONG_TIMEOUT);
        String savepoint = run.savepointWhileWriting(run.start(""));
        cluster.cancelJob(run.firstJob);
        assertThat(run.committedIds()).as("committed before the restore").isEmpty();

        String restored = run.restore(savepoint, "");
        assertThat(cluster.awaitJobTermination(restored, Duration.ofMinutes(2)))
                .as(() -> cluster.jobException(restored))
                .isEqualTo("FINISHED");
        run.assertExactlyOnce();
    }

    /**
     * The broker aborts the savepoint's transactions before the job is restored from it: the
     * restored job fails and says which transaction and checkpoint were lost; restored again with
     * {@code sink.on-lost-transaction = 'log'} it finishes, logs the loss, and Kafka holds every id
     * but those of the lost transactions, none twice.
     */
    @ParameterizedTest(name = "transaction.version={0}")
    @ValueSource(ints = {1, 2})
    void restoringTransactionsTheBrokerAbortedFailsLoudlyOrLogsTheLoss(int transactionVersion)
            throws Exception {
        Run run = new Run("expired", transactionVersion, SHORT_TIMEOUT);
        String savepoint = run.savepointWhileWriting(run.start(""));
        cluster.cancelJob(run.firstJob);
        run.awaitNoOpenTransactions();

        String failing = run.restore(savepoint, "");
        assertThat(cluster.awaitJobTermination(failing, Duration.ofMinutes(2))).isEqualTo("FAILED");
        String error = cluster.jobException(failing);
        progress("restore after the transaction timeout failed with: " + firstLine(error));
        assertThat(error)
                .contains("Kafka transaction '" + run.prefix)
                .contains("could not be committed")
                .contains("The broker aborted it")
                .contains("sink.on-lost-transaction");
        assertThat(run.committedIds()).as("committed by the failed restore").isEmpty();

        String logging = run.restore(savepoint, "'sink.on-lost-transaction' = 'log'");
        assertThat(cluster.awaitJobTermination(logging, Duration.ofMinutes(2)))
                .as(() -> cluster.jobException(logging))
                .isEqualTo("FINISHED");
        IdCount count = IdCount.of(run.name(), IDS, run.committedIds());
        progress("restore after the transaction timeout, 'log': " + count);
        assertThat(count.duplicated()).as(count.toString()).isZero();
        assertThat(count.missing()).as("the ids of the aborted transactions").isPositive();
        assertThat(cluster.logLines("could not be committed"))
                .as("ERROR lines naming the lost transactions")
                .anyMatch(line -> line.contains("ERROR") && line.contains(run.prefix));
    }

    private static void triggerCheckpointIfRunning(String jobId) throws Exception {
        try {
            cluster.triggerCheckpoint(jobId);
        } catch (java.io.IOException finishedMeanwhile) {
            if (cluster.rest("/jobs/" + jobId).path("state").asText().equals("RUNNING")) {
                throw finishedMeanwhile;
            }
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    private static KafkaBrokerProcess broker(int transactionVersion) throws Exception {
        KafkaBrokerProcess broker = BROKERS.get(transactionVersion);
        if (broker == null) {
            broker =
                    KafkaBrokerProcess.start(
                            workDir.resolve("kafka-tv" + transactionVersion), transactionVersion);
            BROKERS.put(transactionVersion, broker);
        }
        return broker;
    }

    /** One topic written by a job that checkpoints only on request, and its restores. */
    private static final class Run {
        final String prefix;
        final KafkaBrokerProcess broker;
        final Duration transactionTimeout;
        String firstJob;

        Run(String scenario, int transactionVersion, Duration transactionTimeout) throws Exception {
            this.prefix = "notification-" + scenario + "-tv" + transactionVersion;
            this.broker = broker(transactionVersion);
            this.transactionTimeout = transactionTimeout;
            try (Admin admin = Admin.create(broker.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(prefix, 2, (short) 1))).all().get();
            }
        }

        String name() {
            return prefix;
        }

        /** Starts the copy of ids 1..N; no periodic checkpoint comes in its first hour. */
        String start(String hints) throws Exception {
            firstJob = submit(Map.of("execution.checkpointing.interval", "1h"), hints);
            return firstJob;
        }

        /** Restores the savepoint as a new job that checkpoints every second. */
        String restore(String savepoint, String hints) throws Exception {
            return submit(
                    Map.of(
                            "execution.state-recovery.path", savepoint,
                            "execution.checkpointing.interval", "1s",
                            "execution.checkpointing.max-concurrent-checkpoints", "2"),
                    hints);
        }

        private String submit(Map<String, String> settings, String hints) throws Exception {
            try (Session session = gateway.openSession()) {
                addSqlJar(session, sqlJar("streams.sql.jar"));
                for (Map.Entry<String, String> setting : settings.entrySet()) {
                    run(session, "SET '" + setting.getKey() + "' = '" + setting.getValue() + "'");
                }
                declareIdSequence(session, IDS, ROWS_PER_SECOND);
                run(
                        session,
                        "CREATE TABLE ids (id BIGINT) WITH ('connector' = 'streams', 'topic' = '"
                                + prefix
                                + "', 'properties.bootstrap.servers' = '"
                                + broker.bootstrapServers()
                                + "', 'format' = 'json',"
                                + " 'sink.delivery-guarantee' = 'exactly-once',"
                                + " 'sink.transactional-id-prefix' = '"
                                + prefix
                                + "', 'properties.transaction.timeout.ms' = '"
                                + transactionTimeout.toMillis()
                                + "')");
                String target = hints.isEmpty() ? "ids" : "ids /*+ OPTIONS(" + hints + ") */";
                return run(session, "INSERT INTO " + target + " SELECT id FROM gen").jobId();
            }
        }

        /**
         * Waits until the job has written (uncommitted) rows, then takes a savepoint, so that the
         * savepoint holds open transactions with data.
         */
        String savepointWhileWriting(String jobId) throws Exception {
            Polling.poll(
                    WRITTEN_BEFORE_SAVEPOINT + " uncommitted records in " + prefix,
                    Duration.ofSeconds(60),
                    () ->
                            uncommittedRecords() >= WRITTEN_BEFORE_SAVEPOINT
                                    ? Optional.of(true)
                                    : Optional.empty());
            Path directory = Files.createTempDirectory(workDir, "savepoints");
            String savepoint = cluster.triggerSavepoint(jobId, directory);
            progress(prefix + ": savepoint " + savepoint);
            return savepoint;
        }

        private long uncommittedRecords() throws Exception {
            try (Admin admin = Admin.create(broker.clientProperties())) {
                Map<TopicPartition, OffsetSpec> latest =
                        Map.of(
                                new TopicPartition(prefix, 0), OffsetSpec.latest(),
                                new TopicPartition(prefix, 1), OffsetSpec.latest());
                return admin.listOffsets(latest).all().get().values().stream()
                        .mapToLong(info -> info.offset())
                        .sum();
            }
        }

        /** Waits until the broker has ended every transaction of this prefix (by its timeout). */
        void awaitNoOpenTransactions() throws Exception {
            Polling.poll(
                    "the broker to abort the open transactions of " + prefix,
                    transactionTimeout.plusSeconds(30),
                    () -> {
                        try (Admin admin = Admin.create(broker.clientProperties())) {
                            Set<String> open =
                                    admin.listTransactions().all().get().stream()
                                            .filter(t -> t.transactionalId().startsWith(prefix))
                                            .filter(t -> OPEN.contains(t.state()))
                                            .map(TransactionListing::transactionalId)
                                            .collect(Collectors.toSet());
                            return open.isEmpty() ? Optional.of(true) : Optional.empty();
                        }
                    });
        }

        List<Long> committedIds() throws Exception {
            return IndependentReaders.kafkaIds(broker.clientProperties(), prefix);
        }

        void assertExactlyOnce() throws Exception {
            IdCount count = IdCount.of(prefix, IDS, committedIds());
            progress("lost/late notification: " + count);
            assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
        }
    }
}
