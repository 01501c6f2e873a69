package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.Table;
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
 * The metadata columns of Iceberg tables on a MiniCluster: {@code 'file.path'} is the real data
 * file a row is in, {@code 'snapshot-id'} the snapshot read (bounded) or the snapshot that appended
 * the row (streaming).
 */
class IcebergLakeMetadataITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String COLUMNS =
            "id BIGINT, name STRING, file_path STRING METADATA FROM 'file.path' VIRTUAL,"
                    + " snapshot BIGINT METADATA FROM 'snapshot-id' VIRTUAL";

    @TempDir Path warehouse;

    private IcebergTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
    }

    @Test
    void boundedReadReportsTheFileOfEachRowAndTheSnapshotRead() throws Exception {
        Table table = tables.create("orders");
        long first = IcebergTestTables.append(table, 0, 3);
        long second = IcebergTestTables.append(table, 3, 5);
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(batch, "");

        Map<Long, Row> rows = byId(rows(batch, "SELECT id, file_path, snapshot FROM orders"));

        assertThat(rows).hasSize(5);
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.getField(2)).isEqualTo(second));
        List<Path> files = dataFilesOnDisk(warehouse.resolve("db/orders/data"));
        assertThat(files).hasSize(2);
        assertThat(rows.values().stream().map(row -> onDisk(row.getField(1))).distinct())
                .containsExactlyInAnyOrderElementsOf(files);
        // Rows of one append share their file; the two appends' files differ.
        assertThat(rows.get(0L).getField(1)).isEqualTo(rows.get(2L).getField(1));
        assertThat(rows.get(3L).getField(1))
                .isEqualTo(rows.get(4L).getField(1))
                .isNotEqualTo(rows.get(0L).getField(1));

        assertThat(
                        rows(
                                batch,
                                "SELECT id, snapshot FROM orders /*+ OPTIONS('scan.snapshot-id' = '"
                                        + first
                                        + "') */"))
                .extracting(row -> row.getField(1))
                .containsExactly(first, first, first);
        // Metadata alone: the format still reads a column, whose values are dropped.
        assertThat(rows(batch, "SELECT DISTINCT file_path FROM orders"))
                .extracting(row -> onDisk(row.getField(0)))
                .containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    @Timeout(120)
    void streamingReadReportsTheSnapshotThatAppendedEachRow() throws Exception {
        Table table = tables.create("orders");
        IcebergTestTables.append(table, 0, 2);
        long current = IcebergTestTables.append(table, 2, 4);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(streaming, ", 'scan.mode' = 'earliest', 'scan.monitor-interval' = '100 ms'");

        List<Row> seen = new ArrayList<>();
        long appended;
        try (CloseableIterator<Row> rows =
                streaming.executeSql("SELECT id, file_path, snapshot FROM orders").collect()) {
            take(rows, 4, seen);
            appended = IcebergTestTables.append(table, 4, 6);
            take(rows, 2, seen);
        }

        Map<Long, Row> rows = byId(seen);
        // The starting snapshot is read in full: its rows report it.
        assertThat(List.of(0L, 1L, 2L, 3L))
                .allSatisfy(id -> assertThat(rows.get(id).getField(2)).isEqualTo(current));
        assertThat(rows.get(4L).getField(2)).isEqualTo(appended);
        assertThat(rows.get(5L).getField(2)).isEqualTo(appended);
        Path appendedFile =
                onDisk(
                        table.snapshot(appended)
                                .addedDataFiles(table.io())
                                .iterator()
                                .next()
                                .location());
        assertThat(onDisk(rows.get(4L).getField(1))).isEqualTo(appendedFile);
        assertThat(appendedFile).exists();
    }

    private void declare(TableEnvironment env, String extra) {
        env.executeSql(
                String.format(
                        "CREATE TABLE orders (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " 'orders'%s)",
                        COLUMNS, tables.warehouse(), extra));
    }

    private static void take(CloseableIterator<Row> rows, int count, List<Row> into) {
        for (int i = 0; i < count; i++) {
            assertThat(rows.hasNext()).isTrue();
            into.add(rows.next());
        }
    }
}
