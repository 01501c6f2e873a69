package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.testutils.CommitMetricsReport;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.api.common.JobID;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exactly-once job's committer metrics as a reporter sees them: every upload or upsert session
 * committed counts, with its rows and the bytes its writer sent; the writers count the same rows
 * and bytes as sent.
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
    static final MiniClusterExtension FLINK = CommitMetricsReport.miniCluster(METRICS, PARALLELISM);

    @Test
    void committerReportsTheCommittedSessionsWithTheirRowsAndBytes() throws Exception {
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
        assertThat(report.lastCommitTime()).isPositive();
        assertThat(report.sum(MetricNames.NUM_RECORDS_SEND)).isEqualTo(RECORDS);
        assertThat(report.sum(MetricNames.NUM_BYTES_SEND)).isPositive();
        assertThat(report.bytesCommitted())
                .as("every session sent was committed, with its bytes")
                .isEqualTo(report.sum(MetricNames.NUM_BYTES_SEND));
    }

    @Test
    void upsertSessionsReportTheirChangesAndBytes() throws Exception {
        ServerTable table =
                ODPS.store()
                        .createTable(
                                OdpsTestServer.DEFAULT_PROJECT,
                                null,
                                "commit_metrics_upsert",
                                OdpsTestTables.idNameSchema(false),
                                List.of("id"),
                                null);
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tEnv.executeSql(
                "CREATE TABLE t (id BIGINT NOT NULL, name STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + OdpsTestTables.sqlOptions(ODPS, table.name())
                        + ")");
        TableResult insert =
                tEnv.executeSql(
                        "INSERT INTO t SELECT id, CAST(MAX(v) AS STRING) FROM (VALUES (1, 10),"
                                + " (2, 20), (1, 30), (3, 5)) AS v(id, v) GROUP BY id");
        insert.await();
        JobID job = insert.getJobClient().orElseThrow().getJobID();

        assertThat(OdpsTestTables.committedIds(table)).containsExactlyInAnyOrder(1L, 2L, 3L);
        CommitMetricsReport report = CommitMetricsReport.of(METRICS, job);
        assertThat(report.commits()).isGreaterThanOrEqualTo(1);
        assertThat(report.recordsCommitted())
                .as("upserts and deletes, as sent")
                .isEqualTo(report.sum(MetricNames.NUM_RECORDS_SEND))
                .isGreaterThanOrEqualTo(3);
        assertThat(report.sum(MetricNames.NUM_BYTES_SEND)).isPositive();
        assertThat(report.bytesCommitted()).isEqualTo(report.sum(MetricNames.NUM_BYTES_SEND));
    }
}
