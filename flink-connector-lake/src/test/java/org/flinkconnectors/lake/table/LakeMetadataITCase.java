package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.LakeTestTable;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.byField;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.byId;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.onDisk;
import static org.flinkconnectors.lake.table.LakeMetadataAssertions.rows;

/**
 * The metadata columns of Iceberg and Delta tables on a MiniCluster: {@code 'file.path'} is the
 * real data file a row is in, the version key ({@code 'snapshot-id'} for Iceberg, {@code 'version'}
 * for Delta) the version read (bounded) or the version that appended the row (streaming).
 */
class LakeMetadataITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    static List<String> formats() {
        return LakeTestTable.formats();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void boundedReadReportsTheFileOfEachRowAndTheVersionRead(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "orders");
        long first = table.append(0, 3);
        long second = table.append(3, 5);
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(batch, table);

        Map<Long, Row> rows = byId(rows(batch, "SELECT id, file_path, version_read FROM orders"));

        assertThat(rows).hasSize(5);
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.getField(2)).isEqualTo(second));
        List<Path> files = table.dataFilesOnDisk();
        assertThat(files)
                .containsExactlyInAnyOrder(table.dataFileOf(first), table.dataFileOf(second));
        assertThat(onDisk(rows.get(0L).getField(1))).isEqualTo(table.dataFileOf(first));
        assertThat(onDisk(rows.get(4L).getField(1))).isEqualTo(table.dataFileOf(second));
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
                                String.format(
                                        "SELECT id, version_read FROM orders /*+ OPTIONS('%s' ="
                                                + " '%d') */",
                                        table.versionOption(), first)))
                .extracting(row -> row.getField(1))
                .containsExactly(first, first, first);
        // Metadata alone: the format still reads a column, whose values are dropped.
        List<Row> distinct = rows(batch, "SELECT DISTINCT file_path, version_read FROM orders");
        assertThat(distinct)
                .extracting(row -> onDisk(row.getField(0)))
                .containsExactlyInAnyOrderElementsOf(files);
        assertThat(distinct).extracting(row -> row.getField(1)).containsOnly(second);
    }

    /**
     * One job reads the table twice: from {@code 'earliest'}, which reads the current version in
     * full, and from the version of the first append, which reads each append on its own.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    @Timeout(120)
    void streamingReadReportsTheVersionThatAppendedEachRow(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "orders");
        long first = table.append(0, 2);
        long current = table.append(2, 4);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(streaming, table, ", 'scan.monitor-interval' = '100 ms'");

        List<Row> seen = new ArrayList<>();
        long appended;
        try (CloseableIterator<Row> rows =
                streaming
                        .executeSql(
                                String.format(
                                        "SELECT 'earliest', id, file_path, version_read FROM"
                                                + " orders /*+ OPTIONS('scan.mode' = 'earliest')"
                                                + " */ UNION ALL SELECT 'appended', id, file_path,"
                                                + " version_read FROM orders /*+ OPTIONS(%s) */",
                                        table.startingFrom(first)))
                        .collect()) {
            take(rows, 8, seen);
            appended = table.append(4, 6);
            take(rows, 4, seen);
        }

        Map<Long, Row> earliest = readFrom("earliest", seen);
        Map<Long, Row> fromFirst = readFrom("appended", seen);
        // The starting version is read in full: its rows report it.
        assertThat(List.of(0L, 1L, 2L, 3L))
                .allSatisfy(id -> assertThat(earliest.get(id).getField(3)).isEqualTo(current));
        // Read append by append, each row reports the version that appended it.
        assertThat(List.of(0L, 1L))
                .allSatisfy(id -> assertThat(fromFirst.get(id).getField(3)).isEqualTo(first));
        assertThat(List.of(2L, 3L))
                .allSatisfy(id -> assertThat(fromFirst.get(id).getField(3)).isEqualTo(current));
        assertThat(onDisk(fromFirst.get(0L).getField(2)))
                .isEqualTo(table.dataFileOf(first))
                .exists();
        for (Map<Long, Row> read : List.of(earliest, fromFirst)) {
            assertThat(read).hasSize(6);
            assertThat(read.get(4L).getField(3)).isEqualTo(appended);
            assertThat(read.get(5L).getField(3)).isEqualTo(appended);
            assertThat(onDisk(read.get(4L).getField(2)))
                    .isEqualTo(table.dataFileOf(appended))
                    .exists();
        }
    }

    private static Map<Long, Row> readFrom(String start, List<Row> rows) {
        return byField(rows.stream().filter(row -> start.equals(row.getField(0))).toList(), 1);
    }

    private static void declare(TableEnvironment env, LakeTestTable table) {
        declare(env, table, "");
    }

    private static void declare(TableEnvironment env, LakeTestTable table, String extra) {
        env.executeSql(
                String.format(
                        "CREATE TABLE orders (id BIGINT, name STRING, file_path STRING METADATA"
                                + " FROM 'file.path' VIRTUAL, version_read BIGINT METADATA FROM"
                                + " '%s' VIRTUAL) WITH ('connector' = 'lake', %s%s)",
                        table.versionMetadataKey(), table.options(), extra));
    }

    private static void take(CloseableIterator<Row> rows, int count, List<Row> into) {
        for (int i = 0; i < count; i++) {
            assertThat(rows.hasNext()).isTrue();
            into.add(rows.next());
        }
    }
}
