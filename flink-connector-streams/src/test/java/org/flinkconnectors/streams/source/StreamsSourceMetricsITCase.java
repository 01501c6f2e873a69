package org.flinkconnectors.streams.source;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.streams.source.StreamsTestData.produce;
import static org.flinkconnectors.streams.source.StreamsTestData.take;
import static org.flinkconnectors.streams.source.StreamsTestData.uniqueName;
import static org.flinkconnectors.streams.source.StreamsTestData.values;
import static org.flinkconnectors.streams.source.StreamsTestData.waitUntil;

/**
 * The source's metrics and committed offsets against a real in-JVM broker and a Flink MiniCluster
 * with a metric reporter: exact record, byte and offset figures, also within long runs of one poll.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StreamsSourceMetricsITCase {

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void countsEveryRecordAndByteInLongRuns() throws Exception {
        String topic = uniqueName("counts");
        KAFKA.createTopic(topic, 2);
        List<String> first = values("a", 300);
        List<String> second = values("bb", 130);
        produce(KAFKA.bootstrapServers(), topic, 0, first, null);
        produce(KAFKA.bootstrapServers(), topic, 1, second, null);
        long bytes =
                LongStream.concat(
                                first.stream().mapToLong(String::length),
                                second.stream().mapToLong(String::length))
                        .sum();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        CloseableIterator<String> it =
                env.fromSource(
                                baseBuilder().setTopics(topic).build(),
                                WatermarkStrategy.noWatermarks(),
                                "counted")
                        .collectAsync();
        JobClient job = env.executeAsync("counts");
        try (it) {
            assertThat(take(it, 430, TIMEOUT)).hasSize(430);

            String partition = "StreamsSourceReader.topic." + topic + ".partition.";
            waitUntil(
                    "the source counted every record and byte",
                    TIMEOUT,
                    () ->
                            Long.valueOf(430).equals(sourceCounter(job, "numRecordsIn"))
                                    && Long.valueOf(bytes).equals(sourceCounter(job, "numBytesIn"))
                                    && gauge(job, partition + "0.currentOffset") == 300L
                                    && gauge(job, partition + "1.currentOffset") == 130L);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void commitsOffsetsOnCheckpointAndReportsPartitionMetrics() throws Exception {
        String topic = uniqueName("commit");
        String group = uniqueName("group");
        KAFKA.createTopic(topic, 2);
        produce(KAFKA.bootstrapServers(), topic, 0, values("a", 12), null);
        produce(KAFKA.bootstrapServers(), topic, 1, values("b", 7), null);

        StreamsSource<String> source = baseBuilder().setTopics(topic).setGroupId(group).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "commit").collectAsync();
        JobClient job = env.executeAsync("commit");
        try (it;
                Admin admin = KAFKA.admin()) {
            assertThat(take(it, 19, TIMEOUT)).hasSize(19);

            Map<TopicPartition, Long> expected =
                    Map.of(new TopicPartition(topic, 0), 12L, new TopicPartition(topic, 1), 7L);
            waitUntil(
                    "the group committed the end offsets",
                    TIMEOUT,
                    () -> expected.equals(committedOffsets(admin, group)));

            String partition0 = "StreamsSourceReader.topic." + topic + ".partition.0.";
            waitUntil(
                    "the metrics show the commit",
                    TIMEOUT,
                    () ->
                            gauge(job, partition0 + "committedOffset") == 12L
                                    && gauge(job, partition0 + "currentOffset") == 12L
                                    && gauge(job, partition0 + "lag") == 0L);
            assertThat(sumCounters(job, "StreamsSourceReader.commitsSucceeded")).isPositive();
            assertThat(sumCounters(job, "StreamsSourceReader.commitsFailed")).isZero();
            assertThat(sumCounters(job, ".numBytesIn")).isPositive();
            assertThat(metricsEndingWith(job, ".pendingRecords"))
                    .hasSize(2)
                    .allSatisfy(g -> assertThat(((Gauge<?>) g).getValue()).isEqualTo(0L));
            // Records were produced moments ago: the fetch lag behind event time is small.
            assertThat(metricsEndingWith(job, ".currentFetchEventTimeLag"))
                    .hasSize(2)
                    .allSatisfy(
                            g ->
                                    assertThat((Long) ((Gauge<?>) g).getValue())
                                            .isBetween(0L, 120_000L));
        } finally {
            job.cancel().get();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static StreamsSourceBuilder<String> baseBuilder() {
        return StreamsSource.<String>builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    private static Map<TopicPartition, Long> committedOffsets(Admin admin, String group)
            throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((tp, om) -> offsets.put(tp, om == null ? null : om.offset()));
        return offsets;
    }

    private static long gauge(JobClient job, String suffix) {
        List<Metric> metrics = metricsEndingWith(job, suffix);
        if (metrics.size() != 1) {
            return Long.MIN_VALUE;
        }
        Object value = ((Gauge<?>) metrics.get(0)).getValue();
        return value == null ? Long.MIN_VALUE : ((Number) value).longValue();
    }

    private static Long sumCounters(JobClient job, String suffix) {
        List<Metric> metrics = metricsEndingWith(job, suffix);
        if (metrics.isEmpty()) {
            return null;
        }
        long sum = 0;
        for (Metric metric : metrics) {
            sum += metric instanceof Counter ? ((Counter) metric).getCount() : 0;
        }
        return sum;
    }

    /** The source operator's own counter {@code name}, or null while it is not registered. */
    private static Long sourceCounter(JobClient job, String name) {
        String jobId = job.getJobID().toString();
        List<Long> counts = new ArrayList<>();
        METRICS.getMetricsByGroup()
                .forEach(
                        (group, metrics) -> {
                            Map<String, String> variables = group.getAllVariables();
                            String operator = variables.get("<operator_name>");
                            if (jobId.equals(variables.get("<job_id>"))
                                    && operator != null
                                    && operator.startsWith("Source:")
                                    && metrics.get(name) instanceof Counter) {
                                counts.add(((Counter) metrics.get(name)).getCount());
                            }
                        });
        return counts.size() == 1 ? counts.get(0) : null;
    }

    private static List<Metric> metricsEndingWith(JobClient job, String suffix) {
        // By group: the reporter's identifier map rejects the duplicates the collect sink makes.
        String jobId = job.getJobID().toString();
        List<Metric> result = new ArrayList<>();
        METRICS.getMetricsByGroup()
                .forEach(
                        (group, metrics) -> {
                            if (jobId.equals(group.getAllVariables().get("<job_id>"))) {
                                metrics.forEach(
                                        (name, metric) -> {
                                            if (group.getMetricIdentifier(name).endsWith(suffix)) {
                                                result.add(metric);
                                            }
                                        });
                            }
                        });
        return result;
    }
}
