package org.flinkconnectors.e2e;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.e2e.SqlGatewayClient.Session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    private static final ObjectMapper JSON = new ObjectMapper();

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
        String topic = "sql-jar-exactly-once";
        KAFKA.createTopic(topic, 3);
        try (Session session = gateway.openSession()) {
            run(session, "ADD JAR '" + sqlJar() + "'");
            assertThat(run(session, "SHOW JARS").rows())
                    .extracting(row -> row.get(0).asText())
                    .containsExactly(sqlJar().toString());
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

            List<Long> ids = readCommittedIds(topic);
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
    }

    /** The negative control: without ADD JAR the cluster's classpath has no 'streams' factory. */
    @Test
    void withoutAddJarTheConnectorIsUnknown() throws Exception {
        try (Session session = gateway.openSession()) {
            run(
                    session,
                    "CREATE TABLE plain (id BIGINT) WITH (" + streamsOptions("never-read") + ")");
            assertThatThrownBy(() -> run(session, "EXPLAIN SELECT * FROM plain"))
                    .hasMessageContaining("Could not find any factory for identifier 'streams'");
        }
    }

    private static String streamsOptions(String topic) {
        return " 'connector' = 'streams', 'topic' = '"
                + topic
                + "', 'properties.bootstrap.servers' = '"
                + KAFKA.bootstrapServers()
                + "', 'format' = 'json'";
    }

    /** All ids in the topic as a read_committed consumer sees them, up to the end offsets. */
    private static List<Long> readCommittedIds(String topic) throws Exception {
        Properties props = KAFKA.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<Long> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Polling.poll(
                    "a read_committed consumer to reach the end offsets " + end,
                    Duration.ofSeconds(30),
                    () -> {
                        // Drain what is there before checking: a poll returns max.poll.records.
                        ConsumerRecords<byte[], byte[]> records;
                        do {
                            records = consumer.poll(Duration.ofMillis(200));
                            for (ConsumerRecord<byte[], byte[]> record : records) {
                                ids.add(JSON.readTree(record.value()).get("id").asLong());
                            }
                        } while (!records.isEmpty());
                        Set<TopicPartition> behind = new HashSet<>();
                        for (TopicPartition tp : partitions) {
                            if (consumer.position(tp) < end.get(tp)) {
                                behind.add(tp);
                            }
                        }
                        return behind.isEmpty() ? Optional.of(true) : Optional.empty();
                    });
        }
        return ids;
    }

    private static Path sqlJar() {
        return sqlJar("streams.sql.jar");
    }
}
