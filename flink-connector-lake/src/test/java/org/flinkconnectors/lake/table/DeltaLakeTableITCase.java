package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code 'connector' = 'lake'} over real Delta tables (written by Delta Kernel's transactions into
 * a temporary directory) on a MiniCluster: file skipping, time travel and Delta's option errors.
 */
class DeltaLakeTableITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    private DeltaTestTables tables;
    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    /**
     * Versions 1-3 add ids 0-9, 10-19 and 20-29 in one file each; the middle file is then removed
     * from disk. Queries whose filters exclude it by its statistics still run, so it was never
     * opened; the unfiltered query, which has to open it, fails.
     */
    @Test
    void filterSkipsDataFilesByStatistics() throws Exception {
        tables.create("orders", Map.of());
        tables.append("orders", 0, 10);
        long middle = tables.append("orders", 10, 20);
        tables.append("orders", 20, 30);
        String middleFile = tables.addedIn("orders", middle).path();
        declare("orders", "id BIGINT, name STRING", "");

        Files.delete(root.resolve("orders").resolve(middleFile));

        assertThat(rows(batch, "SELECT name FROM orders WHERE id > 26 OR id = 0"))
                .containsExactlyInAnyOrder("name-0", "name-27", "name-28", "name-29");
        assertThat(rows(batch, "SELECT id FROM orders WHERE NOT (id >= 3)"))
                .containsExactlyInAnyOrder("0", "1", "2");
        assertThatThrownBy(() -> rows(batch, "SELECT name FROM orders"))
                .hasStackTraceContaining(middleFile);
    }

    @Test
    void timeTravelByVersionAndTimestamp() throws Exception {
        tables.create("history", Map.of());
        tables.append("history", 0, 3);
        tables.append("history", 3, 6);
        long base = System.currentTimeMillis() - 60_000;
        for (long version = 0; version <= 2; version++) {
            tables.setCommitTime("history", version, base + version * 10_000);
        }
        declare("history", "id BIGINT", "");

        assertThat(rows(batch, "SELECT id FROM history /*+ OPTIONS('scan.version' = '1') */"))
                .containsExactlyInAnyOrder("0", "1", "2");
        assertThat(
                        rows(
                                batch,
                                "SELECT id FROM history /*+ OPTIONS('scan.as-of-timestamp' = '"
                                        + (base + 15_000)
                                        + "') */"))
                .containsExactlyInAnyOrder("0", "1", "2");
        assertThat(rows(batch, "SELECT id FROM history")).hasSize(6);
        assertThatThrownBy(
                        () ->
                                rows(
                                        batch,
                                        "SELECT id FROM history /*+ OPTIONS('scan.version' ="
                                                + " '7') */"))
                .hasStackTraceContaining("Option 'scan.version'")
                .hasStackTraceContaining("the latest version is 2");
    }

    @Test
    void icebergOptionsAndModesAreRejectedNamingTheFormat() {
        tables.create("t", Map.of());
        declare("with_snapshot", "t", "id BIGINT", ", 'scan.snapshot-id' = '1'");
        declare("from_snapshot", "t", "id BIGINT", ", 'scan.mode' = 'from-snapshot'");
        declare("no_path_table", null, "id BIGINT", "");

        assertThatThrownBy(() -> batch.explainSql("SELECT * FROM with_snapshot"))
                .hasStackTraceContaining(
                        "Option 'scan.snapshot-id' does not apply to 'table-format' = 'delta'")
                .hasStackTraceContaining("'scan.version'");
        assertThatThrownBy(() -> batch.explainSql("SELECT * FROM from_snapshot"))
                .hasStackTraceContaining("Invalid value 'from-snapshot' for option 'scan.mode'")
                .hasStackTraceContaining("from-version");
        assertThatThrownBy(() -> batch.explainSql("SELECT * FROM no_path_table"))
                .hasStackTraceContaining(
                        "Option 'path' is required when 'table-format' is 'delta'");
    }

    @Test
    void declaredColumnTypeMustMatchTheTable() {
        tables.create("typed", Map.of());
        declare("typed", "id BIGINT, name INT", "");

        assertThatThrownBy(() -> batch.explainSql("SELECT * FROM typed"))
                .hasStackTraceContaining("Column 'name' is declared as INT")
                .hasStackTraceContaining("it is STRING");
    }

    private void declare(String name, String columns, String extra) {
        declare(name, name, columns, extra);
    }

    private void declare(String name, String table, String columns, String extra) {
        String path = table == null ? "" : String.format(", 'path' = '%s'", tables.path(table));
        batch.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'delta'%s%s)",
                        name, columns, path, extra));
    }
}
