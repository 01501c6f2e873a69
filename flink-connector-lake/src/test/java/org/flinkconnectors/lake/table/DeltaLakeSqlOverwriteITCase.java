package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.delta.kernel.TableManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code INSERT OVERWRITE} into {@code 'connector' = 'lake'} Delta tables in batch mode, each in
 * one table version that removes the replaced files: a static partition (even by nothing), the
 * partitions a dynamic overwrite wrote, a whole unpartitioned table.
 */
class DeltaLakeSqlOverwriteITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    private DeltaTestTables delta;
    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        delta = new DeltaTestTables(root);
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @Test
    void aStaticPartitionIsReplacedAndTheOthersKept() throws Exception {
        partitioned("t");
        insert("INSERT INTO t VALUES (CAST(1 AS BIGINT), 'x', 'a'), (2, 'y', 'a'), (3, 'z', 'b')");
        long before = version("t");

        insert("INSERT OVERWRITE t PARTITION (`day` = 'a') VALUES (CAST(10 AS BIGINT), 'new')");

        assertThat(rows(batch, "SELECT * FROM t"))
                .containsExactlyInAnyOrder("+I[10, new, a]", "+I[3, z, b]");
        assertThat(version("t")).isEqualTo(before + 1);

        insert("INSERT OVERWRITE t PARTITION (`day` = 'b') SELECT id, name FROM t WHERE id < 0");

        assertThat(rows(batch, "SELECT * FROM t")).containsExactly("+I[10, new, a]");
        assertThat(version("t")).isEqualTo(before + 2);
    }

    @Test
    void aDynamicOverwriteReplacesExactlyThePartitionsWritten() throws Exception {
        partitioned("t");
        insert("INSERT INTO t VALUES (CAST(1 AS BIGINT), 'x', 'a'), (2, 'y', 'b'), (3, 'z', 'c')");
        long before = version("t");

        insert("INSERT OVERWRITE t VALUES (CAST(20 AS BIGINT), 'n', 'a'), (21, 'm', 'c')");

        assertThat(rows(batch, "SELECT * FROM t"))
                .containsExactlyInAnyOrder("+I[20, n, a]", "+I[2, y, b]", "+I[21, m, c]");
        assertThat(version("t")).isEqualTo(before + 1);
    }

    @Test
    void anUnpartitionedTableIsReplacedWhole() throws Exception {
        delta.create("flat", Map.of());
        declare("flat", "id BIGINT NOT NULL, name STRING");
        insert("INSERT INTO flat VALUES (CAST(1 AS BIGINT), 'x')");
        insert("INSERT INTO flat VALUES (CAST(2 AS BIGINT), 'y')");
        long before = version("flat");

        insert("INSERT OVERWRITE flat VALUES (CAST(30 AS BIGINT), 'only')");

        assertThat(rows(batch, "SELECT * FROM flat")).containsExactly("+I[30, only]");
        assertThat(version("flat")).isEqualTo(before + 1);
    }

    @Test
    void aStaticPartitionOnANonPartitionColumnIsRejected() {
        partitioned("t");
        declare(
                "t_by_name",
                "t",
                "id BIGINT NOT NULL, name STRING, `day` STRING) PARTITIONED BY (name");
        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT OVERWRITE t_by_name PARTITION (name = 'x')"
                                                + " VALUES (CAST(1 AS BIGINT), 'a')"))
                .hasStackTraceContaining(
                        "Static partition column 'name' is not a partition column");
    }

    private void partitioned(String name) {
        delta.createPartitioned(name);
        declare(name, "id BIGINT NOT NULL, name STRING, `day` STRING) PARTITIONED BY (`day`");
    }

    private void insert(String sql) throws Exception {
        batch.executeSql(sql).await();
    }

    private long version(String name) {
        return TableManager.loadSnapshot(delta.path(name)).build(delta.engine()).getVersion();
    }

    private void declare(String name, String columns) {
        declare(name, name, columns);
    }

    private void declare(String name, String table, String columns) {
        batch.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'delta', 'path' = '%s')",
                        name, columns, delta.path(table)));
    }
}
