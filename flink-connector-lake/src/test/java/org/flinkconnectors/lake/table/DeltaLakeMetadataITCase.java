package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.byId;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.dataFilesOnDisk;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.onDisk;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.rows;

/**
 * The metadata columns of Delta tables on a MiniCluster: {@code 'file.path'} is the real data file
 * a row is in, {@code 'version'} the version read (bounded) or the version that appended the row
 * (streaming).
 */
class DeltaLakeMetadataITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String COLUMNS =
            "id BIGINT, name STRING, file_path STRING METADATA FROM 'file.path' VIRTUAL,"
                    + " version BIGINT METADATA VIRTUAL";

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void boundedReadReportsTheFileOfEachRowAndTheVersionRead() throws Exception {
        tables.create("orders", Map.of());
        long first = tables.append("orders", 0, 3);
        long second = tables.append("orders", 3, 5);
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(batch, "");

        Map<Long, Row> rows = byId(rows(batch, "SELECT id, file_path, version FROM orders"));

        assertThat(rows).hasSize(5);
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.getField(2)).isEqualTo(second));
        assertThat(onDisk(rows.get(0L).getField(1))).isEqualTo(file("orders", first));
        assertThat(onDisk(rows.get(4L).getField(1))).isEqualTo(file("orders", second));
        assertThat(rows.values().stream().map(row -> onDisk(row.getField(1))).distinct())
                .containsExactlyInAnyOrderElementsOf(dataFilesOnDisk(root.resolve("orders")));

        assertThat(
                        rows(
                                batch,
                                "SELECT id, version FROM orders /*+ OPTIONS('scan.version' = '"
                                        + first
                                        + "') */"))
                .extracting(row -> row.getField(1))
                .containsExactly(first, first, first);
        assertThat(rows(batch, "SELECT DISTINCT version FROM orders"))
                .extracting(row -> row.getField(0))
                .containsExactly(second);
    }

    @Test
    @Timeout(120)
    void streamingReadReportsTheVersionThatAppendedEachRow() throws Exception {
        tables.create("orders", Map.of());
        long first = tables.append("orders", 0, 2);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(
                streaming,
                ", 'scan.mode' = 'from-version', 'scan.startup.version' = '"
                        + first
                        + "', 'scan.monitor-interval' = '100 ms'");

        List<Row> seen = new ArrayList<>();
        long appended;
        try (CloseableIterator<Row> rows =
                streaming.executeSql("SELECT id, file_path, version FROM orders").collect()) {
            take(rows, 2, seen);
            appended = tables.append("orders", 2, 5);
            take(rows, 3, seen);
        }

        Map<Long, Row> rows = byId(seen);
        assertThat(rows.get(0L).getField(2)).isEqualTo(first);
        assertThat(rows.get(1L).getField(2)).isEqualTo(first);
        assertThat(List.of(2L, 3L, 4L))
                .allSatisfy(id -> assertThat(rows.get(id).getField(2)).isEqualTo(appended));
        assertThat(onDisk(rows.get(3L).getField(1))).isEqualTo(file("orders", appended)).exists();
        assertThat(onDisk(rows.get(0L).getField(1))).isEqualTo(file("orders", first)).exists();
    }

    /** The data file a version added, on disk. */
    private Path file(String table, long version) throws Exception {
        return root.resolve(table)
                .resolve(tables.addedIn(table, version).path())
                .toAbsolutePath()
                .normalize();
    }

    private void declare(TableEnvironment env, String extra) {
        env.executeSql(
                String.format(
                        "CREATE TABLE orders (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'delta', 'path' = '%s'%s)",
                        COLUMNS, tables.path("orders"), extra));
    }

    private static void take(CloseableIterator<Row> rows, int count, List<Row> into) {
        for (int i = 0; i < count; i++) {
            assertThat(rows.hasNext()).isTrue();
            into.add(rows.next());
        }
    }
}
