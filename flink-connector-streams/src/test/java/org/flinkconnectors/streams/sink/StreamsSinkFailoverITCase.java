package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.base.testutils.FailOnceAfterCheckpoint;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under failures: a TaskManager is killed, or a task throws between checkpoints, while
 * the sink writes; afterwards a plain {@code read_committed} consumer must see every record exactly
 * once, and no transaction of the job may be left open.
 */
class StreamsSinkFailoverITCase {

    private static final int RECORDS = 6_000;
    private static final int PARALLELISM = 2;

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void taskManagerLossLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String topic = "failover-tm";
        KAFKA.createTopic(topic, 3);
        JobID job = submit(topic, false);

        waitForCommitted(topic, RECORDS / 4);
        // Kill every TaskManager that may hold the job's tasks, then give it new ones.
        cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
        cluster.terminateTaskManager(1).get(30, TimeUnit.SECONDS);
        cluster.startTaskManager();
        cluster.startTaskManager();

        cluster.requestJobResult(job).get(3, TimeUnit.MINUTES);
        assertThat(FailOnceAfterCheckpoint.taskStarts())
                .as("tasks started (restarts)")
                .isGreaterThan(PARALLELISM);
        assertExactlyOnce(topic);
    }

    @Test
    void taskExceptionBetweenCheckpointsLosesAndDuplicatesNothing(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = "failover-exception";
        KAFKA.createTopic(topic, 3);
        JobID job = submit(topic, true);

        cluster.requestJobResult(job).get(3, TimeUnit.MINUTES);
        assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
        assertThat(FailOnceAfterCheckpoint.taskStarts())
                .as("tasks started (restarts)")
                .isGreaterThan(PARALLELISM);
        assertExactlyOnce(topic);
    }

    private JobID submit(String topic, boolean failOnce) throws Exception {
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        FailoverJobs.numbers(env, RECORDS, failOnce)
                .sinkTo(
                        StreamsSink.<Long>builder()
                                .setBootstrapServers(KAFKA.bootstrapServers())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setTransactionalIdPrefix(topic)
                                .setRecordSerializer(
                                        StreamsRecordSerializationSchema.<Long>builder()
                                                .setTopic(topic)
                                                .setValueSerializationSchema(new LongAsText())
                                                .build())
                                .build());
        return env.executeAsync("exactly-once failover " + topic).getJobID();
    }

    private static void waitForCommitted(String topic, int atLeast) throws Exception {
        CommonTestUtils.waitUtil(
                () -> CommittedReader.readCommitted(KAFKA, topic).size() >= atLeast,
                Duration.ofMinutes(2),
                "waiting for " + atLeast + " committed records in " + topic);
    }

    private static void assertExactlyOnce(String topic) throws Exception {
        List<Long> values =
                CommittedReader.readCommitted(KAFKA, topic).stream()
                        .map(ConsumerRecord::value)
                        .map(v -> Long.parseLong(new String(v, StandardCharsets.UTF_8)))
                        .collect(Collectors.toList());
        assertThat(values).hasSize(RECORDS);
        assertThat(values.stream().distinct().count()).as("distinct values").isEqualTo(RECORDS);
        assertThat(values.stream().mapToLong(Long::longValue).max().orElse(-1))
                .isEqualTo(RECORDS - 1);
        assertThat(CommittedReader.transactions(KAFKA, topic, TransactionState.ONGOING))
                .as("open transactions left behind")
                .isEmpty();
        // Bounded pool: a handful of ids per subtask, not one per checkpoint.
        assertThat(CommittedReader.transactions(KAFKA, topic))
                .as("transactional ids used")
                .hasSizeLessThanOrEqualTo(PARALLELISM * 4);
    }

    private static final class LongAsText implements SerializationSchema<Long> {
        @Override
        public byte[] serialize(Long element) {
            return Long.toString(element).getBytes(StandardCharsets.UTF_8);
        }
    }
}
