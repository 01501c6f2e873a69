package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code INSERT OVERWRITE} into {@code 'connector' = 'lake'} Iceberg tables in batch mode: a static
 * partition is replaced (even by nothing) and the others kept, a dynamic overwrite replaces exactly
 * the partitions written, an unpartitioned table is replaced whole, each in one snapshot; a
 * streaming overwrite is rejected at planning.
 */
class IcebergLakeSqlOverwriteITCase {

    private static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "p", Types.StringType.get()));

    private static final String COLUMNS = "id BIGINT NOT NULL, name STRING, p STRING";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @Test
    void aStaticPartitionIsReplacedAndTheOthersKept() throws Exception {
        Table table = partitioned("t");
        seed("t", "(1, 'x', 'a'), (2, 'y', 'a'), (3, 'z', 'b')");

        batch.executeSql(
                        "INSERT OVERWRITE t PARTITION (p = 'a') VALUES (CAST(10 AS BIGINT), 'new')")
                .await();

        assertThat(rows(batch, "SELECT * FROM t"))
                .containsExactlyInAnyOrder("+I[10, new, a]", "+I[3, z, b]");
        assertThat(operations(table)).containsExactly("append", "overwrite");

        // Overwriting a static partition with no rows empties it.
        batch.executeSql(
                        "INSERT OVERWRITE t PARTITION (p = 'b') SELECT id, name FROM t WHERE"
                                + " id < 0")
                .await();

        assertThat(rows(batch, "SELECT * FROM t")).containsExactly("+I[10, new, a]");
        // Iceberg names a replace that adds no file a delete.
        assertThat(operations(table)).containsExactly("append", "overwrite", "delete");
    }

    @Test
    void aDynamicOverwriteReplacesExactlyThePartitionsWritten() throws Exception {
        Table table = partitioned("t");
        seed("t", "(1, 'x', 'a'), (2, 'y', 'b'), (3, 'z', 'c')");

        batch.executeSql(
                        "INSERT OVERWRITE t VALUES (CAST(20 AS BIGINT), 'n', 'a'), (21, 'm', 'c'),"
                                + " (22, 'o', 'c')")
                .await();

        assertThat(rows(batch, "SELECT * FROM t"))
                .containsExactlyInAnyOrder(
                        "+I[20, n, a]", "+I[2, y, b]", "+I[21, m, c]", "+I[22, o, c]");
        assertThat(operations(table)).containsExactly("append", "overwrite");
    }

    @Test
    void anUnpartitionedTableIsReplacedWholeInOneSnapshot() throws Exception {
        Table table = tables.create("flat", SCHEMA);
        declare(batch, "flat", COLUMNS);
        seed("flat", "(1, 'x', 'a')");
        seed("flat", "(2, 'y', 'b')");

        batch.executeSql("INSERT OVERWRITE flat VALUES (CAST(30 AS BIGINT), 'only', 'c')").await();

        assertThat(rows(batch, "SELECT * FROM flat")).containsExactly("+I[30, only, c]");
        assertThat(operations(table)).containsExactly("append", "append", "overwrite");
        Snapshot last = IcebergRows.snapshots(table).get(2);
        assertThat(last.summary()).containsEntry("deleted-records", "2");
    }

    @Test
    void aStreamingOverwriteIsRejected() {
        partitioned("t");
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(streaming, "t", COLUMNS + ") PARTITIONED BY (p");
        assertThatThrownBy(
                        () ->
                                streaming.explainSql(
                                        "INSERT OVERWRITE t VALUES (CAST(1 AS BIGINT), 'a', 'a')"))
                .hasStackTraceContaining("INSERT OVERWRITE into")
                .hasStackTraceContaining("needs bounded input in batch mode");
    }

    private Table partitioned(String name) {
        Table table =
                tables.create(name, SCHEMA, PartitionSpec.builderFor(SCHEMA).identity("p").build());
        declare(batch, name, COLUMNS + ") PARTITIONED BY (p");
        return table;
    }

    private void seed(String name, String values) throws Exception {
        batch.executeSql(
                        "INSERT INTO "
                                + name
                                + " VALUES "
                                + values.replaceFirst("\\(", "(CAST(")
                                        .replaceFirst(",", " AS BIGINT),"))
                .await();
    }

    private static List<String> operations(Table table) {
        return IcebergRows.snapshots(table).stream().map(Snapshot::operation).toList();
    }

    private void declare(TableEnvironment env, String name, String columns) {
        env.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s')",
                        name, columns, tables.warehouse(), name));
    }
}
