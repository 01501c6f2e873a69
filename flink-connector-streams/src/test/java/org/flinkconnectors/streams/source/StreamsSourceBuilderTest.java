package org.flinkconnectors.streams.source;

import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.Boundedness;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsSourceBuilderTest {

    private static StreamsSourceBuilder<String> minimal() {
        return StreamsSource.<String>builder()
                .setBootstrapServers("localhost:9092")
                .setTopics("orders")
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    @Test
    void defaults() {
        StreamsSource<String> source = minimal().build();

        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.isCommitOffsetsOnCheckpoint()).isFalse();
        assertThat(source.getPartitionDiscoveryIntervalMs())
                .isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(source.getProducedType().getTypeClass()).isEqualTo(String.class);
    }

    @Test
    void forcesByteArrayDeserializersAndNoAutoCommit() {
        StreamsSource<String> source =
                minimal()
                        .setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true")
                        .setProperty(
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                "org.apache.kafka.common.serialization.StringDeserializer")
                        .setGroupId("g")
                        .build();

        Properties props = source.getConsumerProperties();
        assertThat(props.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(props.getProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG))
                .isEqualTo(ByteArrayDeserializer.class.getName());
        assertThat(props.getProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG))
                .isEqualTo(ByteArrayDeserializer.class.getName());
        assertThat(props.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
        assertThat(source.isCommitOffsetsOnCheckpoint()).isTrue();
    }

    @Test
    void boundedSourceIsBounded() {
        assertThat(minimal().setBounded(OffsetsInitializer.latest()).build().getBoundedness())
                .isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void rejectsTopicsAndPattern() {
        assertThatThrownBy(() -> minimal().setTopicPattern(Pattern.compile("o.*")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of setTopics");
    }

    @Test
    void rejectsMissingTopics() {
        assertThatThrownBy(
                        () ->
                                StreamsSource.<String>builder()
                                        .setBootstrapServers("localhost:9092")
                                        .setValueOnlyDeserializer(new SimpleStringSchema())
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No topics");
    }

    @Test
    void rejectsMissingDeserializer() {
        assertThatThrownBy(
                        () ->
                                StreamsSource.<String>builder()
                                        .setBootstrapServers("localhost:9092")
                                        .setTopics("t")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deserializer");
    }

    @Test
    void rejectsMissingBootstrapServers() {
        assertThatThrownBy(
                        () ->
                                StreamsSource.<String>builder()
                                        .setTopics("t")
                                        .setValueOnlyDeserializer(new SimpleStringSchema())
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap servers");
    }

    @Test
    void committedOffsetsNeedGroupId() {
        assertThatThrownBy(
                        () ->
                                minimal()
                                        .setStartingOffsets(OffsetsInitializer.committedOffsets())
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consumer group")
                .hasMessageContaining("setGroupId");
        assertThat(
                        minimal()
                                .setStartingOffsets(OffsetsInitializer.committedOffsets())
                                .setGroupId("g")
                                .build())
                .isNotNull();
    }

    @Test
    void committingNeedsGroupId() {
        assertThatThrownBy(() -> minimal().setCommitOffsetsOnCheckpoint(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setGroupId");
        assertThat(
                        minimal()
                                .setGroupId("g")
                                .setCommitOffsetsOnCheckpoint(false)
                                .build()
                                .isCommitOffsetsOnCheckpoint())
                .isFalse();
    }

    @Test
    void rejectsInvalidIsolationLevel() {
        assertThatThrownBy(() -> minimal().setProperty("isolation.level", "committed").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("isolation.level")
                .hasMessageContaining("read_committed");
    }

    @Test
    void toStringMasksSecrets() {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"u\" password=\"hunter2\";";
        StreamsSourceBuilder<String> builder =
                minimal()
                        .setProperty("sasl.jaas.config", jaas)
                        .setProperty("ssl.truststore.password", "hunter3");

        assertThat(builder.toString()).doesNotContain("hunter2").doesNotContain("hunter3");
        assertThat(builder.build().toString())
                .doesNotContain("hunter2")
                .doesNotContain("hunter3")
                .contains("sasl.jaas.config");
    }
}
