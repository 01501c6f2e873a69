package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.dataFilesOnDisk;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.onDisk;

/**
 * LIMIT push-down on real tables: a table of six files, of which every file but the first one the
 * scan plans is then deleted from disk. A LIMIT the first file satisfies still succeeds, so no
 * other file was opened; the same query without LIMIT fails on a deleted file.
 */
class LakeScanLimitITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path root;

    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @Test
    void icebergLimitOpensOnlyTheFirstPlannedFile() throws Exception {
        IcebergTestTables tables = new IcebergTestTables(root);
        Table table = tables.create("orders");
        // One commit, one manifest: Iceberg plans several manifests in parallel, in no fixed
        // order, and the test must know the job's first file.
        AppendFiles append = table.newAppend();
        for (int i = 0; i < 6; i++) {
            append.appendFile(IcebergTestTables.writeDataFile(table, i * 10, i * 10 + 10));
        }
        append.commit();
        batch.executeSql(
                String.format(
                        "CREATE TABLE orders (id BIGINT, name STRING) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'iceberg', 'warehouse' = '%s', 'database' ="
                                + " 'db', 'table' = 'orders')",
                        tables.warehouse()));
        Path data = root.resolve("db/orders/data");

        assertLimitReadsFirstPlannedFileOnly(
                IcebergTableLoader.hadoop(tables.warehouse(), "db", "orders"), data);
    }

    @Test
    void deltaLimitOpensOnlyTheFirstPlannedFile() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        tables.create("orders", Map.of());
        for (int i = 0; i < 6; i++) {
            tables.append("orders", i * 10, i * 10 + 10);
        }
        batch.executeSql(
                String.format(
                        "CREATE TABLE orders (id BIGINT, name STRING) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'delta', 'path' = '%s')",
                        tables.path("orders")));

        assertLimitReadsFirstPlannedFileOnly(
                DeltaTableLoader.path(tables.path("orders")), root.resolve("orders"));
    }

    private void assertLimitReadsFirstPlannedFileOnly(LakeTableLoader loader, Path data)
            throws Exception {
        assertThat(batch.explainSql("SELECT * FROM orders LIMIT 3")).contains("limit=[3]");
        Path first = onDisk(firstPlannedFile(loader));
        List<Path> files = dataFilesOnDisk(data);
        assertThat(files).hasSize(6).contains(first);
        for (Path file : files) {
            if (!file.equals(first)) {
                Files.delete(file);
            }
        }

        // One reader, told so: it reads three rows of the first file and opens no other.
        assertThat(
                        rows(
                                batch,
                                "SELECT * FROM orders /*+ OPTIONS('scan.parallelism' = '1') */"
                                        + " LIMIT 3"))
                .hasSize(3);
        // LIMIT 1 caps the inferred parallelism at one reader.
        assertThat(rows(batch, "SELECT id FROM orders LIMIT 1")).hasSize(1);
        assertThatThrownBy(() -> rows(batch, "SELECT * FROM orders"))
                .hasStackTraceContaining(".parquet");
    }

    private static String firstPlannedFile(LakeTableLoader loader) throws Exception {
        try (LakeTable table = loader.load()) {
            long version = table.resolveVersion(LakeVersionSelector.latest()).getAsLong();
            LakeScanSpec spec = LakeScanSpec.builder().project(List.of("id", "name")).build();
            List<LakeSplit> splits = table.planSplits(version, spec);
            assertThat(splits).hasSize(6);
            return splits.get(0).path();
        }
    }
}
