package org.flinkconnectors.e2e;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.e2e.SqlGatewayClient.Session;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded SQL jar on a real standalone Flink session cluster, used as the README tells users: a
 * SQL gateway session runs {@code ADD JAR} and then plain SQL. The cluster and the gateway run in
 * their own JVMs with a classpath that holds neither the suite's classes nor Kafka's, so the
 * 'streams' connector and its relocated Kafka client can only come from the SQL jar, shipped to the
 * cluster with the job. The broker is an embedded KRaft broker in the test JVM.
 */
class StandaloneClusterSqlJarITCase extends StandaloneClusterTestBase {

    private static final long ROWS = 20_000;

    private static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster();
    }

    @BeforeAll
    static void startKafka() throws Exception {
        KAFKA.startUp();
        progress("Kafka started at " + KAFKA.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() throws Exception {
        KAFKA.tearDown();
    }

    @Test
    void addedSqlJarWritesExactlyOnceAndReadsBack() throws Exception {
        String topic = name("sql-jar-exactly-once");
        KAFKA.createTopic(topic, 3);
        try (Session session = gateway.openSession()) {
            addSqlJar(session, sqlJar());
            assertThat(run(session, "SHOW JARS").rows())
                    .extracting(row -> row.get(0).asText())
                    .containsExactlyElementsOf(
                            sqlJarsInLib ? List.of() : List.of(deployed(sqlJar()).toString()));
            run(session, "SET 'execution.checkpointing.interval' = '1s'");
            // 5,000 rows/s spread the 20,000 rows over several checkpoints, i.e. transactions.
            run(
                    session,
                    "CREATE TABLE numbers (id BIGINT, payload STRING) WITH ("
                            + " 'connector' = 'datagen', 'rows-per-second' = '5000',"
                            + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                            + " 'fields.id.end' = '"
                            + ROWS
                            + "', 'fields.payload.length' = '32')");
            run(
                    session,
                    "CREATE TABLE sink (id BIGINT, payload STRING) WITH ("
                            + streamsOptions(topic)
                            + ", 'sink.delivery-guarantee' = 'exactly-once',"
                            + " 'sink.transactional-id-prefix' = 'sql-jar-e2e')");

            String jobId = run(session, "INSERT INTO sink SELECT id, payload FROM numbers").jobId();
            assertThat(jobId).as("job id of the INSERT").isNotBlank();
            String state = cluster.awaitJobTermination(jobId, JOB_TIMEOUT);
            progress("job " + jobId + " " + state);
            assertThat(state).as(() -> cluster.jobException(jobId)).isEqualTo("FINISHED");
            assertThat(
                            cluster.rest("/jobs/" + jobId + "/checkpoints")
                                    .at("/counts/completed")
                                    .asInt())
                    .as("completed checkpoints, each of which commits a transaction")
                    .isPositive();

            List<Long> ids = IndependentReaders.kafkaIds(KAFKA.clientProperties(), topic);
            progress("read " + ids.size() + " records with read_committed");
            Set<Long> distinct = new HashSet<>(ids);
            List<Long> missing =
                    LongStream.rangeClosed(1, ROWS)
                            .filter(id -> !distinct.contains(id))
                            .boxed()
                            .toList();
            assertThat(missing).as("ids missing in the topic").isEmpty();
            assertThat(ids.size() - distinct.size()).as("duplicate records in the topic").isZero();
            assertThat(distinct).as("ids in the topic").hasSize((int) ROWS);

            run(session, "SET 'execution.runtime-mode' = 'batch'");
            run(
                    session,
                    "CREATE TABLE readback (id BIGINT, payload STRING) WITH ("
                            + streamsOptions(topic)
                            + ", 'scan.startup.mode' = 'earliest-offset',"
                            + " 'scan.bounded.mode' = 'latest-offset',"
                            + " 'properties.isolation.level' = 'read_committed')");
            List<JsonNode> counts =
                    run(
                                    session,
                                    "SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id)"
                                            + " FROM readback")
                            .rows();
            assertThat(counts).hasSize(1);
            assertThat(counts.get(0))
                    .extracting(JsonNode::asLong)
                    .containsExactly(ROWS, ROWS, 1L, ROWS);
        }
        assertFinishedJobsLeaveNoClassLoader();
    }

    /** The negative control: only the SQL jar brings the 'streams' factory. */
    @Test
    void connectorIsKnownOnlyWithItsJar() throws Exception {
        assertConnectorKnownOnlyWithItsJar("streams", streamsOptions("never-read"));
    }

    private static String streamsOptions(String topic) {
        return " 'connector' = 'streams', 'topic' = '"
                + topic
                + "', 'properties.bootstrap.servers' = '"
                + KAFKA.bootstrapServers()
                + "', 'format' = 'json'";
    }

    private static Path sqlJar() {
        return sqlJar("streams.sql.jar");
    }
}
