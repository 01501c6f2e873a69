package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.sink.internal.TransactionalProducer;
import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.testutils.CommonTestUtils;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.apache.flink.util.function.FunctionUtils.uncheckedSupplier;
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
    void aStartingSinkLeavesTheTransactionsOfALongerPrefixAlone() throws Exception {
        String topic = "two-prefixes";
        KAFKA.createTopic(topic, 1);
        // Job "orders-eu" holds an open transaction with records while job "orders" starts.
        Gate.reset();
        StreamExecutionEnvironment euEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        euEnv.setParallelism(1);
        // No checkpoint can complete while the gate holds the task, so the transaction stays open.
        euEnv.enableCheckpointing(2_000);
        euEnv.fromData("eu-1", "eu-2", Gate.BLOCK)
                .filter(new Gate())
                .sinkTo(exactlyOnceSink(KAFKA.bootstrapServers(), topic, "orders-eu"));
        JobClient eu = euEnv.executeAsync("orders-eu");
        awaitOpenTransaction("orders-eu-1-0-0");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromData("o-1").sinkTo(exactlyOnceSink(KAFKA.bootstrapServers(), topic, "orders"));
        env.execute("orders");

        Gate.open();
        // Its final checkpoint commits the transaction; fenced, the commit would fail the job.
        eu.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        List<String> values =
                CommittedReader.readCommitted(KAFKA, topic).stream()
                        .map(ConsumerRecord::value)
                        .map(v -> new String(v, StandardCharsets.UTF_8))
                        .collect(Collectors.toList());
        assertThat(values).containsExactlyInAnyOrder("eu-1", "eu-2", "o-1");
    }

    private static void awaitOpenTransaction(String transactionalId) throws Exception {
        CommonTestUtils.waitUtil(
                uncheckedSupplier(
                        () ->
                                CommittedReader.transactions(
                                                KAFKA, transactionalId, TransactionState.ONGOING)
                                        .contains(transactionalId)),
                Duration.ofSeconds(60),
                "waiting for open transaction " + transactionalId);
    }

    /** Holds its task at {@link #BLOCK} until the test opens it; drops that element. */
    private static final class Gate implements FilterFunction<String> {
        static final String BLOCK = "<block>";
        private static volatile CountDownLatch latch = new CountDownLatch(1);

        static void reset() {
            latch = new CountDownLatch(1);
        }

        static void open() {
            latch.countDown();
        }

        @Override
        public boolean filter(String value) throws Exception {
            if (BLOCK.equals(value)) {
                latch.await();
                return false;
            }
            return true;
        }
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
        return exactlyOnceSink(bootstrap, topic, topic);
    }

    private static StreamsSink<String> exactlyOnceSink(
            String bootstrap, String topic, String prefix) {
        return StreamsSink.<String>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(prefix)
                .setRecordSerializer(
                        StreamsRecordSerializationSchema.<String>builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                .build();
    }
}
