package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lake source reading real Delta tables (written by Delta Kernel's transactions into a
 * temporary directory, deletion vectors added per the protocol) on a MiniCluster.
 */
class DeltaLakeSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
    }

    /**
     * Versions 1-4 append ids 0..399 in four files; version 5 deletes ids 5 and 77 by an inline
     * deletion vector, version 6 deletes ids 300..309 by a deletion vector file.
     */
    @Test
    void readsEveryLiveRowExactlyOnceInParallelWithDeletionVectorsApplied() throws Exception {
        tables.create("orders", Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile first = tables.addedIn("orders", tables.append("orders", 0, 100));
        tables.append("orders", 100, 200);
        tables.append("orders", 200, 300);
        DeltaTestTables.DataFile last = tables.addedIn("orders", tables.append("orders", 300, 400));
        DeltaDeletionVectors.delete(
                tables, "orders", first, DeltaDeletionVectors.Storage.INLINE, 5, 77);
        DeltaDeletionVectors.delete(
                tables,
                "orders",
                last,
                DeltaDeletionVectors.Storage.UUID_FILE,
                0,
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9);

        List<String> rows =
                read(source("orders", LakeScanSpec.latest()), DeltaLakeSourceITCase::idAndName);

        List<String> expected = new ArrayList<>(DeltaTestTables.expected(0, 400));
        expected.removeAll(List.of("5,name-5", "77,name-77"));
        expected.removeAll(DeltaTestTables.expected(300, 310));
        assertThat(rows).hasSize(388).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void readsAColumnMappedTableUnderItsCurrentLogicalNames() throws Exception {
        tables.create("mapped", Map.of("delta.columnMapping.mode", "id"));
        tables.appendColumnMapped("mapped", 0, 50);
        tables.renameColumn("mapped", "name", "title");
        tables.appendColumnMapped("mapped", 50, 60);

        LakeSource<RowData> source = source("mapped", LakeScanSpec.latest());

        assertThat(source.producedRowType().getFieldNames()).containsExactly("id", "title");
        assertThat(read(source, DeltaLakeSourceITCase::idAndName))
                .containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 60));
    }

    @Test
    void timeTravelReadsAnOlderVersionByNumberAndByTimestamp() throws Exception {
        tables.create("history", Map.of());
        tables.append("history", 0, 20);
        tables.append("history", 20, 40);
        tables.append("history", 40, 60);
        long base = System.currentTimeMillis() - 60_000;
        for (long version = 0; version <= 3; version++) {
            tables.setCommitTime("history", version, base + version * 10_000);
        }

        List<String> byVersion =
                read(
                        source("history", spec(LakeVersionSelector.version(1))),
                        DeltaLakeSourceITCase::idAndName);
        List<String> byTime =
                read(
                        source("history", spec(LakeVersionSelector.asOfTimestamp(base + 25_000))),
                        DeltaLakeSourceITCase::idAndName);

        assertThat(byVersion).containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 20));
        assertThat(byTime).containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 40));
    }

    @Test
    void projectsColumnsAndPrunesPartitionsByAFilter() throws Exception {
        tables.createPartitioned("events");
        tables.appendPartition("events", "2024-01-01", 0, 10);
        tables.appendPartition("events", "2024-01-02", 10, 20);
        tables.appendPartition("events", "2024-01-02", 20, 25);
        tables.appendPartition("events", "2024-01-03", 25, 40);
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .project(List.of("name", "day"))
                        .filter(LakePredicate.equal("day", "2024-01-02"))
                        .build();

        LakeSource<RowData> source = source("events", spec);
        List<String> rows = read(source, row -> row.getString(0) + "@" + row.getString(1));

        assertThat(source.producedRowType().getFieldNames()).containsExactly("name", "day");
        try (LakeTable table = DeltaTableLoader.path(tables.path("events")).load()) {
            assertThat(table.planSplits(4, LakeScanSpec.latest())).hasSize(4);
            assertThat(table.planSplits(4, spec)).hasSize(2);
        }
        assertThat(rows)
                .hasSize(15)
                .allMatch(row -> row.endsWith("@2024-01-02"))
                .contains("name-10@2024-01-02", "name-24@2024-01-02");
    }

    @Test
    void buildFailsOnAMissingTableNamingItsPath() {
        String missing = root.resolve("no-such-table").toString();

        assertThatThrownBy(() -> LakeSource.builder().table(DeltaTableLoader.path(missing)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Delta table at " + missing)
                .hasMessageContaining("no _delta_log");
    }

    private static LakeScanSpec spec(LakeVersionSelector version) {
        return LakeScanSpec.builder().version(version).build();
    }

    private LakeSource<RowData> source(String table, LakeScanSpec spec) {
        return LakeSource.builder()
                .table(DeltaTableLoader.path(tables.path(table)))
                .scan(spec)
                .build();
    }

    private static List<String> read(LakeSource<RowData> source, Function<RowData, String> format)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "delta")
                        .executeAndCollect()) {
            it.forEachRemaining(row -> rows.add(format.apply(row)));
        }
        return rows;
    }

    private static String idAndName(RowData row) {
        return row.getLong(0) + "," + row.getString(1);
    }
}
