package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka broker process killed with SIGKILL while an exactly-once 'streams' job writes and
 * commits (two checkpoints may be in flight at once), then started again on the same storage: the
 * job fails over while the broker is gone, resumes the transactions of its restored checkpoint once
 * it is back, and finishes. A plain read_committed consumer then sees ids 1..N exactly once. Runs
 * against a broker on the pre-KIP-890 transaction protocol ({@code transaction.version=1}) and on
 * the current one ({@code 2}).
 */
class KafkaBrokerRestartITCase extends StandaloneClusterTestBase {

    private static final long IDS = 100_000;
    private static final Duration BROKER_DOWNTIME = Duration.ofSeconds(8);

    @BeforeAll
    static void startFlink() throws Exception {
        // 30 restarts 2 s apart outlast the broker's downtime (BROKER_DOWNTIME) and start-up.
        Map<String, String> settings = checkpointsAndRestarts("1s", 30, "2s");
        // Two checkpoints in flight at once: the kill can meet transactions of both.
        settings.put("execution.checkpointing.max-concurrent-checkpoints", "2");
        startFaultCluster(settings);
    }

    @ParameterizedTest(name = "transaction.version={0}")
    @ValueSource(ints = {1, 2})
    void aBrokerKilledAndRestartedMidCommitLosesAndDuplicatesNothing(int transactionVersion)
            throws Exception {
        Path dir = workDir.resolve("kafka-tv" + transactionVersion);
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir, transactionVersion)) {
            String topic = "broker-restart-tv" + transactionVersion;
            String jobId;
            try (Session session = gateway.openSession()) {
                addSqlJar(session, sqlJar("streams.sql.jar"));
                declareIdSequence(session, IDS, 6000);
                run(
                        session,
                        "CREATE TABLE ids (id BIGINT) WITH ('connector' = 'streams', 'topic' = '"
                                + topic
                                + "', 'properties.bootstrap.servers' = '"
                                + broker.bootstrapServers()
                                + "', 'format' = 'json',"
                                + " 'sink.delivery-guarantee' = 'exactly-once',"
                                + " 'sink.transactional-id-prefix' = '"
                                + topic
                                + "', 'properties.delivery.timeout.ms' = '10000',"
                                + " 'properties.request.timeout.ms' = '5000',"
                                + " 'properties.max.block.ms' = '10000')");
                jobId = run(session, "INSERT INTO ids SELECT id FROM gen").jobId();
            }
            cluster.awaitCompletedCheckpoints(jobId, 3);
            broker.kill();
            progress("killed the Kafka broker (transaction.version=" + transactionVersion + ")");
            // The outage itself, not a wait for a condition: a broker restart takes seconds.
            Thread.sleep(BROKER_DOWNTIME.toMillis());
            broker.restart();
            progress("restarted the Kafka broker");

            String state = cluster.awaitJobTermination(jobId, Duration.ofMinutes(4));
            assertThat(state).as(() -> cluster.jobException(jobId)).isEqualTo("FINISHED");
            progress(
                    "failovers while the broker was away: "
                            + cluster.rest("/jobs/" + jobId + "/exceptions")
                                    .path("exceptionHistory")
                                    .path("entries")
                                    .size());
            IdCount count =
                    IdCount.of(
                            "streams tv" + transactionVersion,
                            IDS,
                            IndependentReaders.kafkaIds(broker.clientProperties(), topic));
            progress("Kafka broker restart: " + count);
            assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
        }
    }
}
