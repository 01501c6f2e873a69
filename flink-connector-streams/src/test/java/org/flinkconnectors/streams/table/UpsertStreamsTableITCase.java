package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SQL through 'upsert-streams': tombstones, upsert changelogs and the reducing buffer. */
class UpsertStreamsTableITCase extends StreamsTableTestBase {

    @Test
    void upsertTableWritesTombstonesAndReadsAnUpsertChangelog() throws Exception {
        String topic = newTopic(2);
        tEnv.executeSql(
                "CREATE TABLE balances (account STRING, balance BIGINT, PRIMARY KEY (account) NOT"
                        + " ENFORCED) WITH ("
                        + upsertWith(topic, "json", "'scan.bounded.mode' = 'latest-offset'")
                        + ")");
        // The aggregation updates a (UPDATE_BEFORE is dropped, UPDATE_AFTER written).
        tEnv.executeSql(
                        "INSERT INTO balances SELECT account, SUM(amount) FROM (VALUES ('a', 10),"
                                + " ('b', 5), ('c', 7), ('a', 3)) AS t(account, amount) GROUP BY"
                                + " account")
                .await(2, TimeUnit.MINUTES);
        // Delete b through a tombstone written by a plain producer, as upsert-kafka users do.
        try (KafkaProducer<String, String> producer = stringProducer()) {
            producer.send(new ProducerRecord<>(topic, "{\"account\":\"b\"}", null)).get();
        }

        Map<String, Long> view = materialize("SELECT account, balance FROM balances");
        assertThat(view).containsOnly(Map.entry("a", 13L), Map.entry("c", 7L));
        boolean hasTombstone =
                CommittedReader.readCommitted(KAFKA, topic).stream()
                        .anyMatch(r -> r.value() == null);
        assertThat(hasTombstone).isTrue();
    }

    @Test
    void upsertSinkTurnsDeletesIntoTombstones() throws Exception {
        String topic = newTopic(1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment streamTableEnv = StreamTableEnvironment.create(env);
        streamTableEnv.executeSql(
                "CREATE TABLE latest (k STRING, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + upsertWith(topic, "raw", "'scan.bounded.mode' = 'latest-offset'")
                        + ")");
        DataStream<Row> changes =
                env.fromData(
                        Types.ROW_NAMED(new String[] {"k", "v"}, Types.STRING, Types.LONG),
                        Row.ofKind(RowKind.INSERT, "x", 1L),
                        Row.ofKind(RowKind.INSERT, "y", 2L),
                        Row.ofKind(RowKind.UPDATE_AFTER, "x", 5L),
                        Row.ofKind(RowKind.DELETE, "y", 2L));
        Table changelog =
                streamTableEnv.fromChangelogStream(
                        changes,
                        Schema.newBuilder()
                                .column("k", "STRING NOT NULL")
                                .column("v", "BIGINT")
                                .primaryKey("k")
                                .build(),
                        ChangelogMode.upsert());
        changelog.executeInsert("latest").await(2, TimeUnit.MINUTES);

        List<ConsumerRecord<byte[], byte[]>> records = CommittedReader.readCommitted(KAFKA, topic);
        assertThat(records).hasSize(4);
        ConsumerRecord<byte[], byte[]> last = records.get(3);
        assertThat(text(last.key())).isEqualTo("y");
        assertThat(last.value()).as("tombstone").isNull();
        tEnv.executeSql(
                "CREATE TABLE latest (k STRING, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + upsertWith(topic, "raw", "'scan.bounded.mode' = 'latest-offset'")
                        + ")");
        assertThat(materialize("SELECT k, v FROM latest")).containsOnly(Map.entry("x", 5L));
    }

    @Test
    void upsertBufferWritesOnlyTheNewestRowPerKey() throws Exception {
        String topic = newTopic(1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment streamTableEnv = StreamTableEnvironment.create(env);
        streamTableEnv.executeSql(
                "CREATE TABLE counters (k STRING, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + upsertWith(
                                topic,
                                "raw",
                                "'sink.buffer-flush.max-rows' = '10000'",
                                "'sink.buffer-flush.interval' = '1 min'")
                        + ")");
        List<Row> updates = new ArrayList<>();
        updates.add(Row.ofKind(RowKind.INSERT, "gone", 0L));
        for (long i = 1; i <= 1000; i++) {
            updates.add(Row.ofKind(i == 1 ? RowKind.INSERT : RowKind.UPDATE_AFTER, "hot", i));
        }
        updates.add(Row.ofKind(RowKind.DELETE, "gone", 0L));
        DataStream<Row> changes =
                env.fromData(
                        updates,
                        Types.ROW_NAMED(new String[] {"k", "v"}, Types.STRING, Types.LONG));
        streamTableEnv
                .fromChangelogStream(
                        changes,
                        Schema.newBuilder()
                                .column("k", "STRING NOT NULL")
                                .column("v", "BIGINT")
                                .primaryKey("k")
                                .build(),
                        ChangelogMode.upsert())
                .executeInsert("counters")
                .await(2, TimeUnit.MINUTES);

        List<ConsumerRecord<byte[], byte[]>> records = CommittedReader.readCommitted(KAFKA, topic);
        // One record per key instead of 1002: the newest 'hot' and the tombstone of 'gone'.
        assertThat(records).hasSize(2);
        Map<String, String> latest = new HashMap<>();
        records.forEach(r -> latest.put(text(r.key()), text(r.value())));
        assertThat(latest).containsEntry("hot", "{\"k\":\"hot\",\"v\":1000}");
        assertThat(latest).containsEntry("gone", null);
    }
}
