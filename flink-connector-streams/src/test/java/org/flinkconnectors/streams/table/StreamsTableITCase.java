package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.CollectionUtil;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SQL round trips through the 'streams' connector on a real broker. */
class StreamsTableITCase extends StreamsTableTestBase {

    @Test
    void jsonRoundTripExactlyOnce() throws Exception {
        String topic = newTopic(3);
        tEnv.executeSql(
                "CREATE TABLE orders (id BIGINT, product STRING, price DECIMAL(10, 2), ts"
                        + " TIMESTAMP(3)) WITH ("
                        + with(
                                topic,
                                "'format' = 'json'",
                                "'sink.delivery-guarantee' = 'exactly-once'",
                                "'sink.transactional-id-prefix' = 'orders-tx'",
                                BOUNDED)
                        + ")");
        tEnv.executeSql(
                        "INSERT INTO orders VALUES (1, 'apple', 1.25, TIMESTAMP '2026-11-21"
                                + " 10:00:00'), (2, 'pear', 2.50, TIMESTAMP '2026-11-21"
                                + " 10:00:01'), (3, CAST(NULL AS STRING), 0.99, TIMESTAMP"
                                + " '2026-11-21 10:00:02')")
                .await(2, TimeUnit.MINUTES);

        List<String> rows = collect("SELECT id, product, price, ts FROM orders");
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        "+I[1, apple, 1.25, 2026-11-21T10:00]",
                        "+I[2, pear, 2.50, 2026-11-21T10:00:01]",
                        "+I[3, null, 0.99, 2026-11-21T10:00:02]");
        // A plain read_committed consumer sees the same three records, once.
        assertThat(CommittedReader.readCommitted(KAFKA, topic)).hasSize(3);
    }

    @Test
    void keyAndValueFormatsWithPrefix() throws Exception {
        String topic = newTopic(2);
        tEnv.executeSql(
                "CREATE TABLE users (k_id INT, name STRING, age INT) WITH ("
                        + with(
                                topic,
                                "'key.format' = 'json'",
                                "'key.fields' = 'k_id'",
                                "'key.fields-prefix' = 'k_'",
                                "'value.format' = 'json'",
                                "'value.fields-include' = 'EXCEPT_KEY'",
                                BOUNDED)
                        + ")");
        tEnv.executeSql("INSERT INTO users VALUES (7, 'ann', 31), (8, 'bob', 42)")
                .await(2, TimeUnit.MINUTES);

        Map<String, String> keyToValue = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedReader.readCommitted(KAFKA, topic)) {
            keyToValue.put(text(r.key()), text(r.value()));
        }
        assertThat(keyToValue)
                .containsEntry("{\"id\":7}", "{\"name\":\"ann\",\"age\":31}")
                .containsEntry("{\"id\":8}", "{\"name\":\"bob\",\"age\":42}");
        assertThat(collect("SELECT * FROM users"))
                .containsExactlyInAnyOrder("+I[7, ann, 31]", "+I[8, bob, 42]");
    }

    @Test
    void metadataColumnsAreReadAndWritten() throws Exception {
        String topic = newTopic(1);
        tEnv.executeSql(
                "CREATE TABLE events (id INT, "
                        + " `topic` STRING METADATA VIRTUAL,"
                        + " `partition` INT METADATA VIRTUAL,"
                        + " `offset` BIGINT METADATA VIRTUAL,"
                        + " `ts` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                        + " `ts_type` STRING METADATA FROM 'timestamp-type' VIRTUAL,"
                        + " `headers` MAP<STRING, BYTES> METADATA,"
                        + " `epoch` INT METADATA FROM 'leader-epoch' VIRTUAL"
                        + ") WITH ("
                        + with(topic, "'format' = 'json'", BOUNDED)
                        + ")");
        tEnv.executeSql(
                        "INSERT INTO events (id, ts, headers) VALUES (1, TO_TIMESTAMP_LTZ("
                                + "1700000000000, 3), MAP['trace', ENCODE('abc', 'UTF-8')])")
                .await(2, TimeUnit.MINUTES);

        List<Row> rows =
                CollectionUtil.iteratorToList(
                        tEnv.executeSql(
                                        "SELECT id, `topic`, `partition`, `offset`, ts, ts_type,"
                                                + " headers['trace'], `epoch` FROM events")
                                .collect());
        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(row.getField(0)).isEqualTo(1);
        assertThat(row.getField(1)).isEqualTo(topic);
        assertThat(row.getField(2)).isEqualTo(0);
        assertThat(row.getField(3)).isEqualTo(0L);
        assertThat(row.getField(4)).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(row.getField(5)).isEqualTo("CreateTime");
        assertThat((byte[]) row.getField(6)).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(row.getField(7)).isNotNull();
    }

    @Test
    void valueFormatMetadataIsReadableBesideConnectorMetadata() throws Exception {
        String topic = newTopic(1);
        try (KafkaProducer<String, String> producer = stringProducer()) {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    "{\"before\":null,\"after\":{\"id\":1,\"name\":\"apple\"},"
                                            + "\"source\":{\"db\":\"shop\",\"table\":\"products\","
                                            + "\"ts_ms\":1700000000000},\"op\":\"c\","
                                            + "\"ts_ms\":1700000000500}"))
                    .get();
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    "{\"before\":{\"id\":1,\"name\":\"apple\"},\"after\":{\"id\":1,"
                                            + "\"name\":\"pear\"},\"source\":{\"db\":\"shop\","
                                            + "\"table\":\"products\",\"ts_ms\":1700000001000},"
                                            + "\"op\":\"u\",\"ts_ms\":1700000001500}"))
                    .get();
        }
        tEnv.executeSql(
                "CREATE TABLE products (id INT, name STRING,"
                        + " origin STRING METADATA FROM 'value.source.table' VIRTUAL,"
                        + " ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp'"
                        + " VIRTUAL,"
                        + " `offset` BIGINT METADATA VIRTUAL) WITH ("
                        + with(topic, "'format' = 'debezium-json'", BOUNDED)
                        + ")");

        assertThat(collect("SELECT id, name, origin, ingested, `offset` FROM products"))
                .containsExactly(
                        "+I[1, apple, products, 2023-11-14T22:13:20.500Z, 0]",
                        "-U[1, apple, products, 2023-11-14T22:13:21.500Z, 1]",
                        "+U[1, pear, products, 2023-11-14T22:13:21.500Z, 1]");
    }

    @Test
    void topicMetadataRoutesRowsAndPartitionersPlaceThem() throws Exception {
        String left = newTopic(3);
        String right = newTopic(3);
        tEnv.getConfig().set("parallelism.default", "1");
        tEnv.executeSql(
                "CREATE TABLE routed (id INT, `topic` STRING METADATA) WITH ("
                        + with(
                                left + ";" + right,
                                "'format' = 'json'",
                                "'sink.partitioner' = 'round-robin'")
                        + ")");
        tEnv.executeSql(
                        "INSERT INTO routed VALUES (1, '"
                                + left
                                + "'), (2, '"
                                + right
                                + "'), (3, '"
                                + left
                                + "'), (4, '"
                                + left
                                + "')")
                .await(2, TimeUnit.MINUTES);

        List<ConsumerRecord<byte[], byte[]>> leftRecords =
                CommittedReader.readCommitted(KAFKA, left);
        assertThat(leftRecords).hasSize(3);
        // Round-robin spreads the three rows over the three partitions.
        assertThat(leftRecords.stream().map(ConsumerRecord::partition).distinct().count())
                .isEqualTo(3);
        assertThat(CommittedReader.readCommitted(KAFKA, right)).hasSize(1);

        String fixed = newTopic(3);
        tEnv.executeSql(
                "CREATE TABLE pinned (id INT) WITH ("
                        + with(fixed, "'format' = 'json'", "'sink.partitioner' = 'fixed'")
                        + ")");
        tEnv.executeSql("INSERT INTO pinned VALUES (1), (2), (3), (4)").await(2, TimeUnit.MINUTES);
        // One writer subtask: 'fixed' puts everything into its partition, partition 0.
        assertThat(CommittedReader.readCommitted(KAFKA, fixed))
                .hasSize(4)
                .allSatisfy(r -> assertThat(r.partition()).isZero());

        assertThatThrownBy(
                        () ->
                                tEnv.executeSql("INSERT INTO routed VALUES (5, 'elsewhere')")
                                        .await(2, TimeUnit.MINUTES))
                .satisfies(e -> assertThat(rootMessages(e)).contains("'elsewhere'"));
    }

    @Test
    void projectionLimitAndWatermarkArePushedIntoTheSource() throws Exception {
        String topic = newTopic(2);
        tEnv.executeSql(
                "CREATE TABLE clicks (user_id INT, url STRING, ts TIMESTAMP(3), WATERMARK FOR ts"
                        + " AS ts - INTERVAL '1' SECOND) WITH ("
                        + with(topic, "'format' = 'json'", BOUNDED)
                        + ")");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            values.append(i == 0 ? "" : ", ")
                    .append("(")
                    .append(i)
                    .append(", 'u")
                    .append(i)
                    .append("', TIMESTAMP '2026-11-21 10:00:00')");
        }
        tEnv.executeSql("INSERT INTO clicks VALUES " + values).await(2, TimeUnit.MINUTES);

        // The planner pushes a limit only into a scan without a watermark assigner.
        tEnv.executeSql(
                "CREATE TABLE clicks_plain (user_id INT, url STRING, ts TIMESTAMP(3)) WITH ("
                        + with(topic, "'format' = 'json'", BOUNDED)
                        + ")");
        String plan = tEnv.explainSql("SELECT url FROM clicks_plain LIMIT 5");
        assertThat(plan).contains("project=[url]").contains("limit=[5]");
        assertThat(tEnv.explainSql("SELECT user_id FROM clicks WHERE ts > TIMESTAMP '2026-01-01'"))
                .contains("watermark=[");
        assertThat(collect("SELECT url FROM clicks_plain LIMIT 5")).hasSize(5);
        assertThat(collect("SELECT user_id FROM clicks")).hasSize(50);
    }

    @Test
    void discoversPartitionsAddedWhileTheJobRuns() throws Exception {
        String topic = newTopic(1);
        tEnv.executeSql(
                "CREATE TABLE growing (n INT) WITH ("
                        + with(
                                topic,
                                "'format' = 'json'",
                                "'scan.startup.mode' = 'earliest-offset'",
                                "'scan.topic-partition-discovery.interval' = '300ms'")
                        + ")");
        try (KafkaProducer<String, String> producer = stringProducer()) {
            producer.send(new ProducerRecord<>(topic, 0, null, "{\"n\":1}")).get();
        }
        TableResult result = tEnv.executeSql("SELECT n FROM growing");
        try (CloseableIterator<Row> rows = result.collect()) {
            assertThat(rows.next().getField(0)).isEqualTo(1);
            KAFKA.increasePartitions(topic, 3);
            try (KafkaProducer<String, String> producer = stringProducer()) {
                producer.send(new ProducerRecord<>(topic, 1, null, "{\"n\":2}")).get();
                producer.send(new ProducerRecord<>(topic, 2, null, "{\"n\":3}")).get();
            }
            List<Object> later = new ArrayList<>();
            later.add(rows.next().getField(0));
            later.add(rows.next().getField(0));
            assertThat(later).containsExactlyInAnyOrder(2, 3);
        } finally {
            result.getJobClient().ifPresent(c -> c.cancel());
        }
    }

    @Test
    void malformedJsonFailsWithTopicPartitionAndOffsetUnlessIgnored() throws Exception {
        String topic = newTopic(1);
        try (KafkaProducer<String, String> producer = stringProducer()) {
            producer.send(new ProducerRecord<>(topic, 0, null, "{\"n\":1}")).get();
            producer.send(new ProducerRecord<>(topic, 0, null, "not json")).get();
            producer.send(new ProducerRecord<>(topic, 0, null, "{\"n\":3}")).get();
        }
        tEnv.executeSql(
                "CREATE TABLE strict_t (n INT) WITH ("
                        + with(topic, "'format' = 'json'", BOUNDED)
                        + ")");
        assertThatThrownBy(() -> collect("SELECT n FROM strict_t"))
                .satisfies(
                        e ->
                                assertThat(rootMessages(e))
                                        .contains("topic '" + topic + "'")
                                        .contains("offset 1"));

        tEnv.executeSql(
                "CREATE TABLE lenient_t (n INT) WITH ("
                        + with(
                                topic,
                                "'value.format' = 'json'",
                                "'value.json.ignore-parse-errors' = 'true'",
                                BOUNDED)
                        + ")");
        assertThat(collect("SELECT n FROM lenient_t")).containsExactlyInAnyOrder("+I[1]", "+I[3]");
    }
}
