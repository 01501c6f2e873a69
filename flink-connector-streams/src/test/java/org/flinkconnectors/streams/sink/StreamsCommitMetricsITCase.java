package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.CommitMetricsReport;
import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.streams.testutils.CommittedReader;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exactly-once job's committer metrics as a reporter sees them: every transaction committed
 * counts, with the records and bytes the writers sent in it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StreamsCommitMetricsITCase {

    private static final int RECORDS = 600;
    private static final int PARALLELISM = 2;

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = CommitMetricsReport.miniCluster(METRICS, PARALLELISM);

    @Test
    void committerReportsTheCommittedTransactionsWithTheirRecordsAndBytes() throws Exception {
        String topic = "commit-metrics";
        KAFKA.createTopic(topic, 2);
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        FailoverJobs.numbers(env, RECORDS, false)
                .map(String::valueOf)
                .returns(Types.STRING)
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
        JobID job = env.execute("commit metrics " + topic).getJobID();

        assertThat(CommittedReader.readCommitted(KAFKA, topic)).hasSize(RECORDS);
        // Values without keys: the bytes are the digits of 0..RECORDS-1.
        long bytes =
                LongStream.range(0, RECORDS)
                        .map(i -> Long.toString(i).getBytes(StandardCharsets.UTF_8).length)
                        .sum();
        CommitMetricsReport report = CommitMetricsReport.of(METRICS, job);
        assertThat(report.commits()).isGreaterThanOrEqualTo(1);
        assertThat(report.recordsCommitted()).isEqualTo(RECORDS);
        assertThat(report.bytesCommitted()).isEqualTo(bytes);
        assertThat(report.lastCommitTime()).isPositive();
        assertThat(report.sum(MetricNames.NUM_RECORDS_SEND)).isEqualTo(RECORDS);
        assertThat(report.sum(MetricNames.NUM_BYTES_SEND)).isEqualTo(bytes);
    }
}
