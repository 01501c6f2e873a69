package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;
import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the exactly-once sink does about earlier runs' leftovers and unreachable brokers. */
class StreamsSinkRecoveryITCase {

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void freshStartAbortsTransactionsACrashedRunLeftOpen() throws Exception {
        String topic = "leftovers";
        KAFKA.createTopic(topic, 1);
        // A crashed run of the same job left a transaction with records open.
        Properties props = KAFKA.clientProperties();
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 900_000);
        TransactionalProducer crashed = new TransactionalProducer(props, "leftovers-1-0-7");
        crashed.initTransactions();
        crashed.beginTransaction();
        crashed.send(new ProducerRecord<>(topic, "lost".getBytes(StandardCharsets.UTF_8)));
        crashed.flush();
        assertThat(CommittedReader.transactions(KAFKA, "leftovers", TransactionState.ONGOING))
                .containsExactly("leftovers-1-0-7");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromData("a", "b", "c").sinkTo(exactlyOnceSink(KAFKA.bootstrapServers(), topic));
        env.execute("fresh start");

        assertThat(CommittedReader.transactions(KAFKA, "leftovers", TransactionState.ONGOING))
                .isEmpty();
        List<String> values =
                CommittedReader.readCommitted(KAFKA, topic).stream()
                        .map(ConsumerRecord::value)
                        .map(v -> new String(v, StandardCharsets.UTF_8))
                        .collect(Collectors.toList());
        assertThat(values).containsExactlyInAnyOrder("a", "b", "c");
        crashed.close(Duration.ZERO);
    }

    @Test
    void unreachableBrokerFailsTheJobWithAClearError() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        StreamsSink<String> sink =
                StreamsSink.<String>builder()
                        .setBootstrapServers("127.0.0.1:1")
                        .setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000")
                        .setProperty("default.api.timeout.ms", "3000")
                        .setProperty("request.timeout.ms", "2000")
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("nowhere")
                        .setRecordSerializer(
                                StreamsRecordSerializationSchema.<String>builder()
                                        .setTopic("nowhere")
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .build();
        env.fromData("a").sinkTo(sink);

        long start = System.nanoTime();
        assertThatThrownBy(() -> env.execute("unreachable"))
                .satisfies(
                        e -> {
                            StringBuilder messages = new StringBuilder();
                            for (Throwable t = e; t != null; t = t.getCause()) {
                                messages.append(t.getMessage()).append('\n');
                            }
                            assertThat(messages.toString())
                                    .contains("127.0.0.1:1")
                                    .contains("nowhere-1-0-0");
                        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    private static StreamsSink<String> exactlyOnceSink(String bootstrap, String topic) {
        return StreamsSink.<String>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(topic)
                .setRecordSerializer(
                        StreamsRecordSerializationSchema.<String>builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                .build();
    }
}
