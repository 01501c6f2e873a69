package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints of a lake sink job restored as other jobs, for Iceberg and Delta, counted with the
 * formats' own readers:
 *
 * <ul>
 *   <li>job A stops with a savepoint, another writer appends and the snapshots before that are
 *       expired (Iceberg), job B restores the savepoint and finishes: every id once (a committable
 *       of A that B restores is found committed although its snapshot is gone; the unit test of
 *       that lookup is IcebergCommitIdentityTest);
 *   <li>job C restores the same, now older, savepoint and finishes: the ids A committed up to the
 *       savepoint stay once, every later id is there twice (B's and C's replay), none lost.
 * </ul>
 */
class LakeSinkSavepointRestoreITCase {

    private static final long IDS = 2_000;
    private static final long FOREIGN_IDS = 1_000_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;
    @TempDir Path savepoints;

    @ParameterizedTest
    @ValueSource(strings = {"iceberg", "delta"})
    void savepointsRestoredAsOtherJobsLoseNothingAndCommitNothingTwice(String format)
            throws Exception {
        OrdersTable orders = new OrdersTable(format, warehouse);
        JobClient jobA = start(orders, null);
        awaitRows(orders, IDS / 10);
        String savepoint =
                jobA.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        Map<Long, Long> atSavepoint = counts(orders.read());
        assertThat(atSavepoint.values()).as("A's rows, each once").containsOnly(1L);
        assertThat((long) atSavepoint.size()).isBetween(1L, IDS - 1);
        expireSnapshots(orders);

        start(orders, savepoint).getJobExecutionResult().get();
        Map<Long, Long> afterB = counts(orders.read());
        assertThat(afterB.keySet()).as("ids after B").hasSize((int) IDS);
        assertThat(afterB.values()).as("each id once after B").containsOnly(1L);

        start(orders, savepoint).getJobExecutionResult().get();
        Map<Long, Long> afterC = counts(orders.read());
        assertThat(afterC.keySet()).as("ids after C").hasSize((int) IDS);
        afterC.forEach(
                (id, count) ->
                        assertThat(count)
                                .as("copies of id %d", id)
                                .isEqualTo(atSavepoint.containsKey(id) ? 1L : 2L));
    }

    private JobClient start(OrdersTable orders, String savepoint) throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        if (savepoint != null) {
            env.getConfig().set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        env.executeSql(orders.ddl());
        env.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                        + " 'rows-per-second' = '200', 'fields.id.kind' = 'sequence',"
                        + " 'fields.id.start' = '1', 'fields.id.end' = '"
                        + IDS
                        + "')");
        return env.executeSql(
                        "INSERT INTO orders SELECT id, CONCAT('name-', CAST(id AS STRING))"
                                + " FROM gen")
                .getJobClient()
                .orElseThrow();
    }

    private static void awaitRows(OrdersTable orders, long rows) throws Exception {
        CommonTestUtils.waitUtil(
                () -> committedRows(orders) >= rows,
                Duration.ofSeconds(60),
                Duration.ofMillis(50),
                "waiting for " + rows + " rows committed in time");
    }

    /**
     * The row count now; a failing read fails the wait at once instead of counting as "not yet".
     */
    private static int committedRows(OrdersTable orders) {
        try {
            return orders.read().size();
        } catch (Exception e) {
            throw new IllegalStateException("reading the orders table failed", e);
        }
    }

    /**
     * Iceberg: another writer appends ids beyond the range, then every snapshot but that one is
     * expired, as a maintenance job would; A's commits are no longer in the history.
     */
    private void expireSnapshots(OrdersTable orders) throws Exception {
        if (!orders.isIceberg()) {
            return; // Delta keeps transaction identifiers in its log and checkpoints
        }
        Table table = new IcebergTestTables(warehouse).load("orders");
        IcebergTestTables.append(table, FOREIGN_IDS, FOREIGN_IDS + 10);
        table.refresh();
        table.expireSnapshots()
                .expireOlderThan(System.currentTimeMillis() + 1)
                .retainLast(1)
                .commit();
        table.refresh();
        assertThat(IcebergRows.snapshots(table)).hasSize(1);
    }

    /** Copies per id of the job's range, from rows {@code "<id>,<name>"}. */
    private static Map<Long, Long> counts(List<String> rows) {
        return rows.stream()
                .map(row -> Long.parseLong(row.substring(0, row.indexOf(','))))
                .filter(id -> id < FOREIGN_IDS)
                .collect(
                        Collectors.groupingBy(
                                Function.identity(), TreeMap::new, Collectors.counting()));
    }
}
