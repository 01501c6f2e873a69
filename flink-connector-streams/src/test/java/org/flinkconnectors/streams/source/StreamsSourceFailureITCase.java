package org.flinkconnectors.streams.source;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.reader.deserializer.StreamsRecordDeserializationSchema;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.streams.source.StreamsTestData.produce;
import static org.flinkconnectors.streams.source.StreamsTestData.readBounded;
import static org.flinkconnectors.streams.source.StreamsTestData.uniqueName;

/** How the source fails: unreachable brokers, missing topics and records it cannot read. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StreamsSourceFailureITCase {

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void unreachableBrokerFailsWithClearErrorInBoundedTime() {
        StreamsSourceBuilder<String> builder =
                baseBuilder()
                        .setBootstrapServers("127.0.0.1:1")
                        .setTopics("any")
                        .setProperty("request.timeout.ms", "1000")
                        .setProperty("default.api.timeout.ms", "1500")
                        .setBounded(OffsetsInitializer.latest());

        long start = System.nanoTime();
        assertThatThrownBy(() -> readBounded(builder))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "Could not reach the Kafka brokers at 127.0.0.1:1"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void unresolvableBrokerAddressFailsWithClearError() {
        StreamsSourceBuilder<String> builder =
                baseBuilder()
                        .setBootstrapServers("no-such-broker.invalid:9092")
                        .setTopics("any")
                        .setBounded(OffsetsInitializer.latest());

        assertThatThrownBy(() -> readBounded(builder))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "Could not reach the Kafka brokers at"
                                                        + " no-such-broker.invalid:9092"));
    }

    @Test
    void missingTopicIsNamed() {
        String topic = uniqueName("missing");
        assertThatThrownBy(
                        () ->
                                readBounded(
                                        baseBuilder()
                                                .setTopics(topic)
                                                .setBounded(OffsetsInitializer.latest())))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("[" + topic + "] do not exist"));
    }

    @Test
    void deserializationFailureNamesTopicPartitionAndOffset() throws Exception {
        String topic = uniqueName("poison");
        KAFKA.createTopic(topic, 1);
        produce(KAFKA.bootstrapServers(), topic, 0, List.of("ok", "ok", "poison", "ok"), null);

        StreamsSourceBuilder<String> builder =
                baseBuilder()
                        .setTopics(topic)
                        .setDeserializer(new FailOnPoison())
                        .setBounded(OffsetsInitializer.latest());

        assertThatThrownBy(() -> readBounded(builder))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "offset 2 of partition 0 of topic '"
                                                        + topic
                                                        + "'"));
    }

    private static StreamsSourceBuilder<String> baseBuilder() {
        return StreamsSource.<String>builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    /** Fails on the value "poison", like a broken format would. */
    private static final class FailOnPoison implements StreamsRecordDeserializationSchema<String> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out)
                throws IOException {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.equals("poison")) {
                throw new IOException("not a valid record");
            }
            out.collect(value);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
