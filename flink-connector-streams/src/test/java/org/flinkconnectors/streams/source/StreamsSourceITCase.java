package org.flinkconnectors.streams.source;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetResetStrategy;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.streams.source.StreamsTestData.produce;
import static org.flinkconnectors.streams.source.StreamsTestData.readBounded;
import static org.flinkconnectors.streams.source.StreamsTestData.take;
import static org.flinkconnectors.streams.source.StreamsTestData.uniqueName;
import static org.flinkconnectors.streams.source.StreamsTestData.values;

/** The source against a real in-JVM broker and a Flink MiniCluster. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StreamsSourceITCase {

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void boundedReadReturnsExactlyTheRecordsOfAllPartitions() throws Exception {
        String topic = uniqueName("bounded");
        KAFKA.createTopic(topic, 3);
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<String> values = values("p" + p, 50);
            produce(KAFKA.bootstrapServers(), topic, p, values, null);
            expected.addAll(values);
        }

        List<String> result =
                readBounded(baseBuilder().setTopics(topic).setBounded(OffsetsInitializer.latest()));

        assertThat(result).containsExactlyInAnyOrderElementsOf(expected);
        for (int p = 0; p < 3; p++) {
            String prefix = "p" + p + "-";
            assertThat(result.stream().filter(v -> v.startsWith(prefix)))
                    .as("records of partition %d in log order", p)
                    .containsExactlyElementsOf(values("p" + p, 50));
        }
    }

    @Test
    void stopsInsideAPollAtTheStoppingOffset() throws Exception {
        String topic = uniqueName("stop-inside");
        KAFKA.createTopic(topic, 1);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 500), null);

        // One poll returns all 500 records; the emitter must end at 437 within it.
        List<String> result =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setBounded(
                                        OffsetsInitializer.offsets(
                                                Map.of(new TopicPartition(topic, 0), 437L))));

        assertThat(result).containsExactlyElementsOf(values("a", 437));
    }

    @Test
    void startsFromTimestamp() throws Exception {
        String topic = uniqueName("from-ts");
        KAFKA.createTopic(topic, 2);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 10), timestamps(1_000, 10));
        // Partition 1 has only older records: nothing of it is read.
        produce(KAFKA.bootstrapServers(), topic, 1, values("b", 3), timestamps(100, 3));

        List<String> result =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setStartingOffsets(OffsetsInitializer.timestamp(1_050))
                                .setBounded(OffsetsInitializer.latest()));

        assertThat(result).containsExactly("a-5", "a-6", "a-7", "a-8", "a-9");
    }

    @Test
    void startsFromSpecificOffsets() throws Exception {
        String topic = uniqueName("specific");
        KAFKA.createTopic(topic, 2);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 10), null);
        produce(KAFKA.bootstrapServers(), topic, 1, values("b", 4), null);

        List<String> result =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setStartingOffsets(
                                        OffsetsInitializer.offsets(
                                                Map.of(new TopicPartition(topic, 0), 7L)))
                                .setBounded(OffsetsInitializer.latest()));

        assertThat(result)
                .containsExactlyInAnyOrder("a-7", "a-8", "a-9", "b-0", "b-1", "b-2", "b-3");
    }

    @Test
    void startsFromCommittedOffsetsWithResetStrategy() throws Exception {
        String topic = uniqueName("committed");
        String group = uniqueName("group");
        KAFKA.createTopic(topic, 2);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 10), null);
        produce(KAFKA.bootstrapServers(), topic, 1, values("b", 4), null);
        try (Admin admin = KAFKA.admin()) {
            admin.alterConsumerGroupOffsets(
                            group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(6)))
                    .all()
                    .get();
        }

        List<String> withLatestReset =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setGroupId(group)
                                .setStartingOffsets(
                                        OffsetsInitializer.committedOffsets(
                                                OffsetResetStrategy.LATEST))
                                .setBounded(OffsetsInitializer.latest()));
        assertThat(withLatestReset).containsExactlyInAnyOrder("a-6", "a-7", "a-8", "a-9");

        List<String> withEarliestReset =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setGroupId(group)
                                .setStartingOffsets(
                                        OffsetsInitializer.committedOffsets(
                                                OffsetResetStrategy.EARLIEST))
                                .setBounded(OffsetsInitializer.latest()));
        assertThat(withEarliestReset)
                .containsExactlyInAnyOrder("a-6", "a-7", "a-8", "a-9", "b-0", "b-1", "b-2", "b-3");

        assertThatThrownBy(
                        () ->
                                readBounded(
                                        baseBuilder()
                                                .setTopics(topic)
                                                .setGroupId(group)
                                                .setStartingOffsets(
                                                        OffsetsInitializer.committedOffsets())
                                                .setBounded(OffsetsInitializer.latest())))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(topic + "-1")
                                        .contains("strategy is NONE"));
    }

    @Test
    void stopsAtTimestamp() throws Exception {
        String topic = uniqueName("until-ts");
        KAFKA.createTopic(topic, 1);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 10), timestamps(1_000, 10));

        List<String> result =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setBounded(OffsetsInitializer.timestamp(1_050)));

        assertThat(result).containsExactly("a-0", "a-1", "a-2", "a-3", "a-4");
    }

    @Test
    void emitsRecordTimestampsWithPerPartitionWatermarks() throws Exception {
        String topic = uniqueName("watermarks");
        KAFKA.createTopic(topic, 2);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().setAutoWatermarkInterval(1);
        try (CloseableIterator<String> it =
                env.fromSource(
                                baseBuilder().setTopics(topic).build(),
                                WatermarkStrategy.<String>forMonotonousTimestamps(),
                                "watermarks")
                        .process(new TimestampAndLateness())
                        .executeAndCollect("watermarks")) {
            // Partition 1 runs far ahead in event time. With one watermark for both partitions,
            // partition 0's records written afterwards would be late; per partition they are not.
            produce(KAFKA.bootstrapServers(), topic, 1, values("ahead", 5), timestamps(900_000, 5));
            assertThat(take(it, 5, TIMEOUT))
                    .containsExactly(
                            "ahead-0@900000 on time",
                            "ahead-1@900010 on time",
                            "ahead-2@900020 on time",
                            "ahead-3@900030 on time",
                            "ahead-4@900040 on time");

            produce(KAFKA.bootstrapServers(), topic, 0, values("behind", 3), timestamps(1_000, 3));
            assertThat(take(it, 3, TIMEOUT))
                    .containsExactly(
                            "behind-0@1000 on time",
                            "behind-1@1010 on time",
                            "behind-2@1020 on time");
        }
    }

    @Test
    void readsTopicsMatchingPattern() throws Exception {
        String prefix = uniqueName("pattern");
        KAFKA.createTopic(prefix + "-a", 1);
        KAFKA.createTopic(prefix + "-b", 2);
        KAFKA.createTopic("not-" + prefix, 1);
        produce(KAFKA.bootstrapServers(), prefix + "-a", 0, values("a", 3), null);
        produce(KAFKA.bootstrapServers(), prefix + "-b", 1, values("b", 2), null);
        produce(KAFKA.bootstrapServers(), "not-" + prefix, 0, values("x", 2), null);

        List<String> result =
                readBounded(
                        baseBuilder()
                                .setTopicPattern(Pattern.compile(Pattern.quote(prefix) + "-.*"))
                                .setBounded(OffsetsInitializer.latest()));

        assertThat(result).containsExactlyInAnyOrder("a-0", "a-1", "a-2", "b-0", "b-1");
    }

    @Test
    void discoversPartitionsAddedWhileRunning() throws Exception {
        String topic = uniqueName("discovery");
        KAFKA.createTopic(topic, 1);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 5), null);

        StreamsSource<String> source =
                baseBuilder()
                        .setTopics(topic)
                        .setPartitionDiscoveryInterval(Duration.ofMillis(200))
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "discovery")
                        .executeAndCollect("discovery")) {
            assertThat(take(it, 5, TIMEOUT)).containsExactlyInAnyOrderElementsOf(values("a", 5));

            KAFKA.increasePartitions(topic, 3);
            // Written before discovery may see the partition: must still be read from offset 0.
            produce(KAFKA.bootstrapServers(), topic, 1, values("b", 4), null);
            produce(KAFKA.bootstrapServers(), topic, 2, values("c", 4), null);

            List<String> expected = new ArrayList<>(values("b", 4));
            expected.addAll(values("c", 4));
            assertThat(take(it, 8, TIMEOUT)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void boundedReadCommittedStopsAfterTransactionMarkersAndSkipsAborted() throws Exception {
        String topic = uniqueName("tx");
        KAFKA.createTopic(topic, 1);
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, uniqueName("tx-id"));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "committed-2"));
            producer.commitTransaction();
        }

        // The log ends with a commit marker: the reader must stop on its position, not a record.
        List<String> result =
                readBounded(
                        baseBuilder()
                                .setTopics(topic)
                                .setProperty("isolation.level", "read_committed")
                                .setBounded(OffsetsInitializer.latest()));

        assertThat(result).containsExactly("committed-1", "committed-2");
    }

    // ------------------------------------------------------------------------------------------

    private static StreamsSourceBuilder<String> baseBuilder() {
        return StreamsSource.<String>builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    private static List<Long> timestamps(long first, int count) {
        return LongStream.range(0, count)
                .map(i -> first + 10 * i)
                .boxed()
                .collect(Collectors.toList());
    }

    /** Tags every element with its timestamp and whether it arrived behind the watermark. */
    private static final class TimestampAndLateness extends ProcessFunction<String, String> {
        @Override
        public void processElement(String value, Context ctx, Collector<String> out) {
            boolean late = ctx.timestamp() <= ctx.timerService().currentWatermark();
            out.collect(value + "@" + ctx.timestamp() + (late ? " late" : " on time"));
        }
    }
}
