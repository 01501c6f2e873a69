package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two fresh runs of a job with the same fixed job id (as application mode with HA gives every run
 * and every stateless redeploy), each inserting 1,000 new ids into one table, streaming and batch,
 * Iceberg and Delta: the table ends with all 2,000 ids, each once, as the formats' own readers see
 * them. Commits keyed by the job id took the second run's checkpoints for the first run's and
 * dropped the whole run.
 */
class LakeSinkJobIdReuseITCase {

    private static final int ROWS_PER_RUN = 1_000;
    private static final String FIXED_JOB_ID = "5e1f0c0ffee0000000000000000000aa";

    @TempDir Path warehouse;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"iceberg, streaming", "iceberg, batch", "delta, streaming", "delta, batch"})
    void aSecondRunWithTheSameJobIdKeepsItsRows(String format, String mode) throws Exception {
        OrdersTable orders = new OrdersTable(format, warehouse);
        for (int run = 0; run < 2; run++) {
            runOnNewCluster(orders, mode, (long) run * ROWS_PER_RUN);
        }

        List<String> rows = orders.read();
        Set<String> distinct = new HashSet<>(rows);
        assertThat(rows.size() - distinct.size()).as("duplicates").isZero();
        assertThat(distinct)
                .as("ids of both runs")
                .containsExactlyInAnyOrderElementsOf(
                        IcebergTestTables.expected(0, 2L * ROWS_PER_RUN));
    }

    /**
     * One run on a cluster of its own, as each deployment in application mode is (a cluster refuses
     * a job id it has already run).
     */
    private void runOnNewCluster(OrdersTable orders, String mode, long from) throws Exception {
        try (MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build())) {
            cluster.start();
            TestStreamEnvironment.setAsContext(cluster, 2);
            try {
                TableEnvironment env = environment(mode);
                env.executeSql(orders.ddl());
                env.executeSql(
                        String.format(
                                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                                        + " 'number-of-rows' = '%d', 'fields.id.kind' ="
                                        + " 'sequence', 'fields.id.start' = '%d',"
                                        + " 'fields.id.end' = '%d')",
                                ROWS_PER_RUN, from, from + ROWS_PER_RUN - 1));
                env.executeSql(
                                "INSERT INTO orders SELECT id, CONCAT('name-', CAST(id AS"
                                        + " STRING)) FROM gen")
                        .await();
            } finally {
                TestStreamEnvironment.unsetAsContext();
            }
        }
    }

    private static TableEnvironment environment(String mode) {
        TableEnvironment env =
                TableEnvironment.create(
                        mode.equals("batch")
                                ? EnvironmentSettings.inBatchMode()
                                : EnvironmentSettings.inStreamingMode());
        env.getConfig().set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, FIXED_JOB_ID);
        env.getConfig().set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        return env;
    }
}
