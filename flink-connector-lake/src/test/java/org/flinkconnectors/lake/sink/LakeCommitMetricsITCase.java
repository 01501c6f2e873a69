package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.testutils.CommitMetricsReport;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streaming insert's committer metrics as a reporter sees them, on Iceberg and Delta: every table
 * version committed counts, with the rows and file bytes of its data files.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LakeCommitMetricsITCase {

    private static final int ROWS = 600;

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = CommitMetricsReport.miniCluster(METRICS, 2);

    @TempDir Path warehouse;

    @ParameterizedTest
    @ValueSource(strings = {"iceberg", "delta"})
    void committerReportsTheCommittedVersionsWithTheirRowsAndBytes(String format) throws Exception {
        OrdersTable orders = new OrdersTable(format, warehouse);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        env.executeSql(orders.ddl());
        env.executeSql(
                String.format(
                        "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'number-of-rows' = '%d', 'fields.id.kind' = 'sequence',"
                                + " 'fields.id.start' = '0', 'fields.id.end' = '%d')",
                        ROWS, ROWS - 1));

        TableResult insert =
                env.executeSql(
                        "INSERT INTO orders SELECT id, CONCAT('name-', CAST(id AS STRING))"
                                + " FROM gen");
        JobID job = insert.getJobClient().orElseThrow().getJobID();
        insert.await();

        assertThat(orders.read()).hasSize(ROWS);
        CommitMetricsReport report = CommitMetricsReport.of(METRICS, job);
        assertThat(report.commits()).isGreaterThanOrEqualTo(1);
        assertThat(report.recordsCommitted()).isEqualTo(ROWS);
        assertThat(report.bytesCommitted())
                .isPositive()
                .as("the bytes of the files the writers completed")
                .isEqualTo(report.sum(MetricNames.NUM_BYTES_SEND));
        assertThat(report.lastCommitTime()).isPositive();
        assertThat(report.sum(MetricNames.NUM_RECORDS_SEND)).isEqualTo(ROWS);
    }
}
