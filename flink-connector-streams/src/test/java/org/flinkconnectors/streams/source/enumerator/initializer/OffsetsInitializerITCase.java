package org.flinkconnectors.streams.source.enumerator.initializer;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every {@link OffsetsInitializer} resolved against a real broker. Partition 0 holds ten records
 * with timestamps 1000, 1010, ..., 1090; partition 1 is empty; the group committed offset 4 for
 * partition 0 only.
 */
class OffsetsInitializerITCase {

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    private static final String TOPIC = "initializers";
    private static final String GROUP = "initializers-group";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final List<TopicPartition> BOTH = List.of(P0, P1);

    private static RetryingAdmin admin;
    private static PartitionOffsetsRetriever retriever;

    @BeforeAll
    static void setUp() throws Exception {
        KAFKA.createTopic(TOPIC, 2);
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, 1_000L + 10 * i, null, "v" + i));
            }
            producer.flush();
        }
        try (Admin plain = KAFKA.admin()) {
            plain.alterConsumerGroupOffsets(GROUP, Map.of(P0, new OffsetAndMetadata(4)))
                    .all()
                    .get();
        }
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        admin = RetryingAdmin.create(consumer, "initializer-test");
        retriever =
                new AdminPartitionOffsetsRetriever(admin, GROUP, IsolationLevel.READ_UNCOMMITTED);
    }

    @AfterAll
    static void tearDown() {
        admin.close();
    }

    @Test
    void earliestAndLatest() throws Exception {
        assertThat(OffsetsInitializer.earliest().getPartitionOffsets(BOTH, retriever))
                .isEqualTo(Map.of(P0, 0L, P1, 0L));
        assertThat(OffsetsInitializer.latest().getPartitionOffsets(BOTH, retriever))
                .isEqualTo(Map.of(P0, 10L, P1, 0L));
    }

    @Test
    void timestampFallsBackToEndOffset() throws Exception {
        assertThat(OffsetsInitializer.timestamp(1_045).getPartitionOffsets(BOTH, retriever))
                .isEqualTo(Map.of(P0, 5L, P1, 0L));
        assertThat(OffsetsInitializer.timestamp(1_050).getPartitionOffsets(List.of(P0), retriever))
                .isEqualTo(Map.of(P0, 5L));
        assertThat(OffsetsInitializer.timestamp(5_000).getPartitionOffsets(List.of(P0), retriever))
                .isEqualTo(Map.of(P0, 10L));
    }

    @Test
    void committedOffsetsUseResetStrategyForPartitionsWithoutCommit() throws Exception {
        assertThat(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST)
                                .getPartitionOffsets(BOTH, retriever))
                .isEqualTo(Map.of(P0, 4L, P1, 0L));
        assertThat(
                        OffsetsInitializer.committedOffsets()
                                .getPartitionOffsets(List.of(P0), retriever))
                .isEqualTo(Map.of(P0, 4L));
        assertThatThrownBy(
                        () ->
                                OffsetsInitializer.committedOffsets()
                                        .getPartitionOffsets(BOTH, retriever))
                .hasMessageContaining("initializers-1")
                .hasMessageContaining("NONE");
    }

    @Test
    void specificOffsetsWithReset() throws Exception {
        assertThat(
                        OffsetsInitializer.offsets(Map.of(P0, 7L), OffsetResetStrategy.LATEST)
                                .getPartitionOffsets(BOTH, retriever))
                .isEqualTo(Map.of(P0, 7L, P1, 0L));
        assertThatThrownBy(
                        () ->
                                OffsetsInitializer.offsets(Map.of(P0, 7L), OffsetResetStrategy.NONE)
                                        .getPartitionOffsets(BOTH, retriever))
                .hasMessageContaining("initializers-1");
    }
}
