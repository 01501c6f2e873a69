package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lake source reading real Iceberg tables (Hadoop catalog on a temporary directory, files
 * written by Iceberg's own writers) on a MiniCluster.
 */
class IcebergLakeSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;
    private long firstSnapshot;

    /**
     * Snapshot 1: ids 0..199 in two files. Snapshot 2: ids 200..299. Snapshots 3 and 4 delete id
     * 110 by position and ids 5 and 250 by equality.
     */
    @BeforeEach
    void writeHistory() throws Exception {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("orders");
        DataFile low = IcebergTestTables.writeDataFile(table, 0, 100);
        DataFile high = IcebergTestTables.writeDataFile(table, 100, 200);
        table.newAppend().appendFile(low).appendFile(high).commit();
        firstSnapshot = table.currentSnapshot().snapshotId();
        IcebergTestTables.append(table, 200, 300);
        IcebergTestTables.deletePositions(table, high, 10);
        IcebergTestTables.deleteIds(table, 5, 250);
    }

    @Test
    void readsEveryLiveRowOfTheLatestSnapshotExactlyOnceInParallel() throws Exception {
        List<String> rows = read(LakeScanSpec.latest(), IcebergLakeSourceITCase::idAndName);

        List<String> expected = new ArrayList<>(IcebergTestTables.expected(0, 300));
        expected.removeAll(List.of("5,name-5", "110,name-110", "250,name-250"));
        assertThat(rows).hasSize(297).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void timeTravelReadsTheFirstSnapshotByIdTimestampAndTag() throws Exception {
        long committedAt = table.snapshot(firstSnapshot).timestampMillis();
        table.manageSnapshots().createTag("before-deletes", firstSnapshot).commit();
        List<String> firstRows = IcebergTestTables.expected(0, 200);

        for (LakeVersionSelector selector :
                List.of(
                        LakeVersionSelector.version(firstSnapshot),
                        LakeVersionSelector.asOfTimestamp(committedAt),
                        LakeVersionSelector.ref("before-deletes"))) {
            LakeScanSpec spec = LakeScanSpec.builder().version(selector).build();
            assertThat(read(spec, IcebergLakeSourceITCase::idAndName))
                    .as("read %s", selector)
                    .containsExactlyInAnyOrderElementsOf(firstRows);
        }
    }

    @Test
    void projectsColumnsAndFiltersOnAnotherColumn() throws Exception {
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .project(List.of("name"))
                        .filter(LakePredicate.greaterThan("id", 289L))
                        .build();

        LakeSource<RowData> source = source(spec);
        List<String> rows = read(source, row -> row.getArity() + ":" + row.getString(0));

        assertThat(source.producedRowType().getFieldNames()).containsExactly("name");
        // Filters on unprojected columns only prune files; rows of the surviving file remain.
        assertThat(rows)
                .hasSize(99)
                .contains("1:name-299", "1:name-200")
                .doesNotContain("1:name-0");
    }

    @Test
    void emptyTableReadsNothing() throws Exception {
        tables.create("empty");
        LakeSource<RowData> source =
                LakeSource.builder()
                        .table(IcebergTableLoader.hadoop(tables.warehouse(), "db", "empty"))
                        .build();

        assertThat(read(source, IcebergLakeSourceITCase::idAndName)).isEmpty();
    }

    @Test
    void readsTheSnapshotThatIsCurrentWhenTheJobStarts() throws Exception {
        LakeSource<RowData> builtEarly = source(LakeScanSpec.latest());
        IcebergTestTables.append(table, 1_000, 1_003);

        assertThat(read(builtEarly, IcebergLakeSourceITCase::idAndName))
                .hasSize(300)
                .containsAll(IcebergTestTables.expected(1_000, 1_003));
    }

    @Test
    void buildFailsOnAnUnknownSnapshotNamingTableAndSnapshot() {
        LakeScanSpec spec =
                LakeScanSpec.builder().version(LakeVersionSelector.version(12345)).build();

        assertThatThrownBy(() -> source(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db.orders")
                .hasMessageContaining("snapshot id 12345 does not exist");
    }

    private LakeSource<RowData> source(LakeScanSpec spec) {
        return LakeSource.builder()
                .table(IcebergTableLoader.hadoop(tables.warehouse(), "db", "orders"))
                .scan(spec)
                .build();
    }

    private List<String> read(LakeScanSpec spec, Function<RowData, String> format)
            throws Exception {
        return read(source(spec), format);
    }

    private static List<String> read(LakeSource<RowData> source, Function<RowData, String> format)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake")
                        .executeAndCollect()) {
            it.forEachRemaining(row -> rows.add(format.apply(row)));
        }
        return rows;
    }

    private static String idAndName(RowData row) {
        return row.getLong(0) + "," + row.getString(1);
    }
}
