package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.testutils.CommitMetricsReport;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exactly-once job's committer metrics as a reporter sees them: every upload session committed
 * counts, with its rows; the writers count the rows and bytes they sent.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OdpsCommitMetricsITCase {

    private static final int RECORDS = 600;
    private static final int PARALLELISM = 2;

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @Test
    void committerReportsTheCommittedSessionsWithTheirRows() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(
                        ODPS, "commit_metrics", OdpsTestTables.idNameSchema(true));
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        FailoverJobs.numbers(env, RECORDS, false)
                .sinkTo(
                        OdpsSink.<Long>builder()
                                .setConnection(OdpsTestTables.connection(ODPS))
                                .setTable(table.name())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSerializationSchema(new OdpsSinkFailoverITCase.IdNameByDay())
                                .build());
        JobID job = env.execute("odps commit metrics").getJobID();

        assertThat(OdpsTestTables.committedIds(table)).hasSize(RECORDS);
        CommitMetricsReport report = CommitMetricsReport.of(METRICS, job);
        assertThat(report.commits()).isGreaterThanOrEqualTo(1);
        assertThat(report.recordsCommitted()).isEqualTo(RECORDS);
        assertThat(report.bytesCommitted()).as("not known to the committer").isZero();
        assertThat(report.lastCommitTime()).isPositive();
        assertThat(report.sum(MetricNames.NUM_RECORDS_SEND)).isEqualTo(RECORDS);
        assertThat(report.sum(MetricNames.NUM_BYTES_SEND)).isPositive();
    }
}
