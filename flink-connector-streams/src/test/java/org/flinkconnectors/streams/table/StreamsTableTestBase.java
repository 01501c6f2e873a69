package org.flinkconnectors.streams.table;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the SQL ITCases share: a real broker, a MiniCluster, a fresh streaming TableEnvironment per
 * test, and helpers to build table options and read results.
 */
abstract class StreamsTableTestBase {

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final AtomicInteger TOPICS = new AtomicInteger();

    TableEnvironment tEnv;

    @BeforeEach
    void setUp() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tEnv.getConfig().set("execution.checkpointing.interval", "500ms");
        tEnv.getConfig().set("parallelism.default", "2");
        tEnv.getConfig().set("restart-strategy.type", "none");
    }

    static String newTopic(int partitions) throws Exception {
        String topic = "table-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, partitions);
        return topic;
    }

    static String with(String topic, String... extra) {
        StringBuilder sb =
                new StringBuilder()
                        .append("'connector' = 'streams', 'topic' = '")
                        .append(topic)
                        .append("', 'properties.bootstrap.servers' = '")
                        .append(KAFKA.bootstrapServers())
                        .append("'");
        for (String option : extra) {
            sb.append(", ").append(option);
        }
        return sb.toString();
    }

    /** Options of an 'upsert-streams' table with a json value and the given key format. */
    static String upsertWith(String topic, String keyFormat, String... extra) {
        return with(topic, extra)
                        .replace("'connector' = 'streams'", "'connector' = 'upsert-streams'")
                + ", 'key.format' = '"
                + keyFormat
                + "', 'value.format' = 'json'";
    }

    static final String BOUNDED =
            "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset'";

    static String rootMessages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    List<String> collect(String query) throws Exception {
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            List<String> rows = new ArrayList<>();
            it.forEachRemaining(r -> rows.add(r.toString()));
            return rows;
        }
    }

    /** Applies a changelog result to a map keyed by the first column. */
    Map<String, Long> materialize(String query) throws Exception {
        Map<String, Long> view = new HashMap<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            it.forEachRemaining(
                    r -> {
                        switch (r.getKind()) {
                            case INSERT:
                            case UPDATE_AFTER:
                                view.put((String) r.getField(0), (Long) r.getField(1));
                                break;
                            default:
                                view.remove((String) r.getField(0));
                        }
                    });
        }
        return view;
    }

    static KafkaProducer<String, String> stringProducer() {
        Properties props = KAFKA.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
