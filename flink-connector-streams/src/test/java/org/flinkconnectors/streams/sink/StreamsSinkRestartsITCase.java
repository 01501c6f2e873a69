package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.sink.internal.TransactionHandoffs;
import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.function.SupplierWithException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.flink.util.function.FunctionUtils.uncheckedSupplier;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exactly-once sink that fails over a hundred times on one TaskManager leaks nothing: neither
 * transactional ids, nor producer threads, nor writer/committer handoffs, and nothing of it stays
 * in the TaskManager's JVM after the job.
 */
class StreamsSinkRestartsITCase {

    private static final int FAILOVERS = 100;
    private static final String PRODUCER_THREAD = "kafka-producer-network-thread";

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void aHundredFailoversLeakNeitherIdsNorThreadsNorHandoffs() throws Exception {
        String topic = "restarts";
        KAFKA.createTopic(topic, 1);
        int threadsBefore = producerThreads();
        // Other test classes of this JVM may have left handoffs: count this job's only.
        int handoffsBefore = TransactionHandoffs.openCount();
        FailAfterCheckpoint.attempts.set(0);

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, FAILOVERS + 10);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        env.fromSource(
                        new DataGeneratorSource<>(
                                i -> "r" + i,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(500),
                                Types.STRING),
                        WatermarkStrategy.noWatermarks(),
                        "records")
                .map(new FailAfterCheckpoint())
                .sinkTo(
                        StreamsSink.<String>builder()
                                .setBootstrapServers(KAFKA.bootstrapServers())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setTransactionalIdPrefix(topic)
                                .setRecordSerializer(
                                        StreamsRecordSerializationSchema.<String>builder()
                                                .setTopic(topic)
                                                .setValueSerializationSchema(
                                                        new SimpleStringSchema())
                                                .build())
                                .build());
        JobClient job = env.executeAsync("restarts");

        await(
                () -> FailAfterCheckpoint.attempts.get() > FAILOVERS ? 1 : 0,
                1,
                Duration.ofMinutes(8),
                "attempts");
        int committedAfterFailovers = CommittedReader.readCommitted(KAFKA, topic).size();
        await(
                () ->
                        CommittedReader.readCommitted(KAFKA, topic).size() > committedAfterFailovers
                                ? 1
                                : 0,
                1,
                Duration.ofSeconds(60),
                "records committed after the last failover");

        // The broker knows only the writer's small pool of ids, not one per failover.
        assertThat(CommittedReader.transactions(KAFKA, topic + "-")).hasSizeLessThanOrEqualTo(6);
        // Handoffs of failed attempts close with their tasks, which may lag the new attempt.
        await(
                TransactionHandoffs::openCount,
                handoffsBefore + 1,
                Duration.ofSeconds(30),
                "open handoffs");
        assertThat(producerThreads() - threadsBefore).isLessThanOrEqualTo(6);

        job.cancel().get(1, TimeUnit.MINUTES);
        awaitTerminated(job);
        await(
                TransactionHandoffs::openCount,
                handoffsBefore,
                Duration.ofSeconds(30),
                "open handoffs after cancel");
        await(
                StreamsSinkRestartsITCase::producerThreads,
                threadsBefore,
                Duration.ofSeconds(30),
                "producer threads");
    }

    private static void awaitTerminated(JobClient job) throws Exception {
        await(
                () -> job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState() ? 1 : 0,
                1,
                Duration.ofSeconds(60),
                "job terminated");
    }

    private static int producerThreads() {
        return (int)
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith(PRODUCER_THREAD))
                        .count();
    }

    private static void await(
            SupplierWithException<Integer, Exception> actual,
            int expected,
            Duration wait,
            String what)
            throws Exception {
        try {
            CommonTestUtils.waitUtil(
                    uncheckedSupplier(() -> actual.get() == expected),
                    wait,
                    Duration.ofMillis(100),
                    "waiting for " + what);
        } catch (TimeoutException e) {
            // Say what the value was when time ran out, as a plain timeout would not.
            assertThat(actual.get()).as(what).isEqualTo(expected);
            throw e;
        }
    }

    /** Throws after the first completed checkpoint of each of the first attempts. */
    private static final class FailAfterCheckpoint extends RichMapFunction<String, String>
            implements CheckpointListener {
        static final AtomicInteger attempts = new AtomicInteger();
        private transient volatile boolean checkpointed;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            attempts.incrementAndGet();
        }

        @Override
        public String map(String value) {
            if (checkpointed && getRuntimeContext().getTaskInfo().getAttemptNumber() < FAILOVERS) {
                throw new IllegalStateException("planned failover");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
