package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Planning, version resolution and split reading against real Iceberg tables on local disk. */
class IcebergLakeTableTest {

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;
    private IcebergTableLoader loader;

    @BeforeEach
    void createTable() {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("events");
        loader =
                IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, "events");
    }

    @Test
    void emptyTableHasNoVersionButATypedSchema() throws Exception {
        try (LakeTable lake = loader.load()) {
            OptionalLong version = lake.resolveVersion(LakeVersionSelector.latest());

            assertThat(version).isEmpty();
            assertThat(lake.producedType(version, LakeScanSpec.latest()).getFieldNames())
                    .containsExactly("id", "name");
        }
    }

    @Test
    void plansOneSplitPerDataFileOfTheVersion() throws Exception {
        long first = IcebergTestTables.append(table, 0, 10);
        long second = IcebergTestTables.append(table, 10, 30);

        try (LakeTable lake = loader.load()) {
            assertThat(lake.planSplits(first, LakeScanSpec.latest())).hasSize(1);
            List<LakeSplit> splits = lake.planSplits(second, LakeScanSpec.latest());

            assertThat(splits).hasSize(2).allMatch(s -> s.version() == second);
            assertThat(splits).extracting(LakeSplit::splitId).doesNotHaveDuplicates();
            assertThat(splits).allMatch(s -> s.path().endsWith(".parquet"));
        }
    }

    @Test
    void filtersPruneFilesByColumnStatistics() throws Exception {
        IcebergTestTables.append(table, 0, 100);
        IcebergTestTables.append(table, 100, 200);
        long version = IcebergTestTables.append(table, 200, 300);
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .filter(LakePredicate.greaterThan("id", 150L))
                        .filter(LakePredicate.lessThan("id", 180L))
                        .build();

        try (LakeTable lake = loader.load()) {
            List<LakeSplit> splits = lake.planSplits(version, spec);

            // Only the file with ids 100..199 can hold a match; the others are skipped.
            assertThat(splits).hasSize(1);
            assertThat(readAll(lake.createReaderFactory(OptionalLong.of(version), spec), splits))
                    .hasSize(29)
                    .allMatch(
                            row ->
                                    row.startsWith("15")
                                            || row.startsWith("16")
                                            || row.startsWith("17"));
        }
    }

    @Test
    void readerAppliesPositionAndEqualityDeletes() throws Exception {
        DataFile file = IcebergTestTables.writeDataFile(table, 0, 20);
        table.newAppend().appendFile(file).commit();
        IcebergTestTables.deletePositions(table, file, 0, 7);
        long version = IcebergTestTables.deleteIds(table, 12, 19);

        try (LakeTable lake = loader.load()) {
            List<String> rows = readAll(lake, version, LakeScanSpec.latest());

            List<String> expected = new ArrayList<>(IcebergTestTables.expected(0, 20));
            expected.removeAll(List.of("0,name-0", "7,name-7", "12,name-12", "19,name-19"));
            assertThat(rows).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void restoredSplitResumesAfterItsEmittedRecordsCountingOnlyLiveRows() throws Exception {
        DataFile file = IcebergTestTables.writeDataFile(table, 0, 10);
        table.newAppend().appendFile(file).commit();
        long version = IcebergTestTables.deletePositions(table, file, 1, 2);

        try (LakeTable lake = loader.load()) {
            LakeSplit split = lake.planSplits(version, LakeScanSpec.latest()).get(0);
            LakeReaderFactory readers =
                    lake.createReaderFactory(OptionalLong.of(version), LakeScanSpec.latest());

            // Live rows are 0,3,4,...,9; three of them were emitted before the restore.
            assertThat(read(readers, split.withRecordsToSkip(3)))
                    .containsExactlyElementsOf(IcebergTestTables.expected(5, 10));
            assertThat(read(readers, split.withRecordsToSkip(8))).isEmpty();
        }
    }

    @Test
    void projectionReadsColumnsInTheRequestedOrder() throws Exception {
        long version = IcebergTestTables.append(table, 0, 3);
        LakeScanSpec spec = LakeScanSpec.builder().project(List.of("name", "id")).build();

        try (LakeTable lake = loader.load()) {
            assertThat(lake.producedType(OptionalLong.of(version), spec).getFieldNames())
                    .containsExactly("name", "id");
            LakeReaderFactory readers = lake.createReaderFactory(OptionalLong.of(version), spec);
            List<String> rows = new ArrayList<>();
            for (LakeSplit split : lake.planSplits(version, spec)) {
                try (CloseableIterator<RowData> it = readers.open(split)) {
                    it.forEachRemaining(r -> rows.add(r.getString(0) + "|" + r.getLong(1)));
                }
            }
            assertThat(rows).containsExactly("name-0|0", "name-1|1", "name-2|2");
        }
    }

    @Test
    void resolvesSnapshotIdTimestampAndTag() throws Exception {
        long first = IcebergTestTables.append(table, 0, 5);
        long firstCommitMillis = table.snapshot(first).timestampMillis();
        long second = IcebergTestTables.append(table, 5, 10);
        table.manageSnapshots().createTag("v1", first).commit();

        try (LakeTable lake = loader.load()) {
            assertThat(lake.resolveVersion(LakeVersionSelector.latest())).hasValue(second);
            assertThat(lake.resolveVersion(LakeVersionSelector.version(first))).hasValue(first);
            assertThat(lake.resolveVersion(LakeVersionSelector.asOfTimestamp(firstCommitMillis)))
                    .hasValue(first);
            assertThat(lake.resolveVersion(LakeVersionSelector.ref("v1"))).hasValue(first);
            assertThat(lake.resolveVersion(LakeVersionSelector.ref("main"))).hasValue(second);
        }
    }

    @Test
    void unknownVersionsAndColumnsFailNamingThem() throws Exception {
        long version = IcebergTestTables.append(table, 0, 5);
        long before = table.snapshot(version).timestampMillis() - 1;

        try (LakeTable lake = loader.load()) {
            assertThatThrownBy(() -> lake.resolveVersion(LakeVersionSelector.version(42)))
                    .hasMessageContaining("snapshot id 42 does not exist")
                    .hasMessageContaining(String.valueOf(version));
            assertThatThrownBy(() -> lake.resolveVersion(LakeVersionSelector.asOfTimestamp(before)))
                    .hasMessageContaining("no snapshot as of");
            assertThatThrownBy(() -> lake.resolveVersion(LakeVersionSelector.ref("nope")))
                    .hasMessageContaining("'nope'")
                    .hasMessageContaining("main");
            LakeScanSpec badColumn = LakeScanSpec.builder().project(List.of("id", "price")).build();
            assertThatThrownBy(() -> lake.producedType(OptionalLong.of(version), badColumn))
                    .hasMessageContaining("'price'")
                    .hasMessageContaining("[id, name]");
        }
        assertThatThrownBy(() -> IcebergTableLoader.hadoop(tables.warehouse(), "db", "nope").load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db.nope does not exist");
    }

    private static List<String> readAll(LakeTable lake, long version, LakeScanSpec spec)
            throws Exception {
        return readAll(
                lake.createReaderFactory(OptionalLong.of(version), spec),
                lake.planSplits(version, spec));
    }

    private static List<String> readAll(LakeReaderFactory readers, List<LakeSplit> splits)
            throws Exception {
        List<String> rows = new ArrayList<>();
        for (LakeSplit split : splits) {
            rows.addAll(read(readers, split));
        }
        return rows;
    }

    private static List<String> read(LakeReaderFactory readers, LakeSplit split) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it = readers.open(split)) {
            it.forEachRemaining(row -> rows.add(row.getLong(0) + "," + row.getString(1)));
        }
        return rows;
    }
}
