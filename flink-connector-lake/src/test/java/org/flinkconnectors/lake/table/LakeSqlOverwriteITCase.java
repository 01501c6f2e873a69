package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.LakeTestTable;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code INSERT OVERWRITE} into {@code 'connector' = 'lake'} Iceberg and Delta tables in batch
 * mode, each in one commit that removes the replaced files: a static partition is replaced (even by
 * nothing) and the others kept, a dynamic overwrite replaces exactly the partitions written, an
 * unpartitioned table is replaced whole. Planning rejects a streaming overwrite (Iceberg) and a
 * static partition on a column that is no partition column (Delta).
 */
class LakeSqlOverwriteITCase {

    private static final String PARTITIONED =
            "id BIGINT NOT NULL, name STRING, `day` STRING) PARTITIONED BY (`day`";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    private TableEnvironment batch;

    static List<String> formats() {
        return LakeTestTable.formats();
    }

    @BeforeEach
    void setUp() {
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aStaticPartitionIsReplacedAndTheOthersKept(String format) throws Exception {
        LakeTestTable table = partitioned(format, "t");
        insert("INSERT INTO t VALUES (CAST(1 AS BIGINT), 'x', 'a'), (2, 'y', 'a'), (3, 'z', 'b')");

        insert("INSERT OVERWRITE t PARTITION (`day` = 'a') VALUES (CAST(10 AS BIGINT), 'new')");

        assertThat(rows(batch, "SELECT * FROM t"))
                .containsExactlyInAnyOrder("+I[10, new, a]", "+I[3, z, b]");
        assertThat(table.commits()).containsExactly("append", "overwrite");

        // Overwriting a static partition with no rows empties it, in a commit that adds no file.
        insert("INSERT OVERWRITE t PARTITION (`day` = 'b') SELECT id, name FROM t WHERE id < 0");

        assertThat(rows(batch, "SELECT * FROM t")).containsExactly("+I[10, new, a]");
        assertThat(table.commits()).containsExactly("append", "overwrite", "delete");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aDynamicOverwriteReplacesExactlyThePartitionsWritten(String format) throws Exception {
        LakeTestTable table = partitioned(format, "t");
        insert("INSERT INTO t VALUES (CAST(1 AS BIGINT), 'x', 'a'), (2, 'y', 'b'), (3, 'z', 'c')");

        insert(
                "INSERT OVERWRITE t VALUES (CAST(20 AS BIGINT), 'n', 'a'), (21, 'm', 'c'),"
                        + " (22, 'o', 'c')");

        assertThat(rows(batch, "SELECT * FROM t"))
                .containsExactlyInAnyOrder(
                        "+I[20, n, a]", "+I[2, y, b]", "+I[21, m, c]", "+I[22, o, c]");
        assertThat(table.commits()).containsExactly("append", "overwrite");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void anUnpartitionedTableIsReplacedWholeInOneCommit(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "flat");
        declare("flat", table, "id BIGINT NOT NULL, name STRING");
        insert("INSERT INTO flat VALUES (CAST(1 AS BIGINT), 'x')");
        insert("INSERT INTO flat VALUES (CAST(2 AS BIGINT), 'y')");

        insert("INSERT OVERWRITE flat VALUES (CAST(30 AS BIGINT), 'only')");

        assertThat(rows(batch, "SELECT * FROM flat")).containsExactly("+I[30, only]");
        assertThat(table.commits()).containsExactly("append", "append", "overwrite");
        assertThat(table.filesRemovedByLatestCommit()).isEqualTo(2);
    }

    @Test
    void aStreamingOverwriteIsRejected() throws Exception {
        LakeTestTable table = LakeTestTable.createPartitioned("iceberg", root, "t");
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(streaming, "t", table, PARTITIONED);
        assertThatThrownBy(
                        () ->
                                streaming.explainSql(
                                        "INSERT OVERWRITE t VALUES (CAST(1 AS BIGINT), 'a', 'a')"))
                .hasStackTraceContaining("INSERT OVERWRITE into")
                .hasStackTraceContaining("needs bounded input in batch mode");
    }

    @Test
    void aStaticPartitionOnANonPartitionColumnIsRejected() throws Exception {
        LakeTestTable table = partitioned("delta", "t");
        declare(
                "t_by_name",
                table,
                "id BIGINT NOT NULL, name STRING, `day` STRING) PARTITIONED BY (name");
        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT OVERWRITE t_by_name PARTITION (name = 'x')"
                                                + " VALUES (CAST(1 AS BIGINT), 'a')"))
                .hasStackTraceContaining(
                        "Static partition column 'name' is not a partition column");
    }

    private LakeTestTable partitioned(String format, String name) throws Exception {
        LakeTestTable table = LakeTestTable.createPartitioned(format, root, name);
        declare(name, table, PARTITIONED);
        return table;
    }

    private void insert(String sql) throws Exception {
        batch.executeSql(sql).await();
    }

    private void declare(String name, LakeTestTable table, String columns) {
        declare(batch, name, table, columns);
    }

    private static void declare(
            TableEnvironment env, String name, LakeTestTable table, String columns) {
        env.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', %s)",
                        name, columns, table.options()));
    }
}
