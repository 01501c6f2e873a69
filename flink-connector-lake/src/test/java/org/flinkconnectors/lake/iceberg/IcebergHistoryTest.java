package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
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

/**
 * The history of real Iceberg tables as a streaming read sees it: the commits after a cursor, and
 * each snapshot's increment classified by its operation.
 */
class IcebergHistoryTest {

    @TempDir Path warehouse;

    private Table table;
    private IcebergTableLoader loader;

    @BeforeEach
    void createTable() {
        IcebergTestTables tables = new IcebergTestTables(warehouse);
        table = tables.create("events");
        loader =
                IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, "events");
    }

    @Test
    void listsTheCommitsAfterACursorOldestFirst() throws Exception {
        long first = IcebergTestTables.append(table, 0, 10);
        long second = IcebergTestTables.append(table, 10, 20);
        long third = IcebergTestTables.append(table, 20, 30);

        try (LakeTable lake = loader.load()) {
            assertThat(versions(lake.commitsAfter(OptionalLong.empty())))
                    .containsExactly(first, second, third);
            assertThat(versions(lake.commitsAfter(OptionalLong.of(first))))
                    .containsExactly(second, third);
            assertThat(lake.commitsAfter(OptionalLong.of(third))).isEmpty();
            assertThat(lake.commitsAfter(OptionalLong.of(first)).get(0).timestampMillis())
                    .isEqualTo(table.snapshot(second).timestampMillis());
        }
    }

    @Test
    void anExpiredCursorStillFindsTheCommitsAfterIt() throws Exception {
        long first = IcebergTestTables.append(table, 0, 10);
        long second = IcebergTestTables.append(table, 10, 20);
        table.expireSnapshots().expireSnapshotId(first).commit();

        try (LakeTable lake = loader.load()) {
            assertThat(versions(lake.commitsAfter(OptionalLong.of(first)))).containsExactly(second);
        }
    }

    @Test
    void aCursorRolledBackPastFailsNamingIt() throws Exception {
        long first = IcebergTestTables.append(table, 0, 10);
        long second = IcebergTestTables.append(table, 10, 20);
        table.manageSnapshots().rollbackTo(first).commit();

        try (LakeTable lake = loader.load()) {
            assertThatThrownBy(() -> lake.commitsAfter(OptionalLong.of(second)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("snapshot " + second)
                    .hasMessageContaining("not an ancestor of the current snapshot " + first);
        }
    }

    @Test
    void anAppendIncrementReadsOnlyTheRowsItAdded() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        long second = IcebergTestTables.append(table, 10, 15);
        // A later delete of an appended row does not change what the append added.
        IcebergTestTables.deleteIds(table, 12);

        try (LakeTable lake = loader.load()) {
            LakeIncrement increment = lake.planIncrement(second, LakeScanSpec.latest());

            assertThat(increment.kind()).isEqualTo(LakeIncrement.Kind.APPEND);
            assertThat(increment.operation()).isEqualTo("append");
            assertThat(increment.splits()).allMatch(split -> split.version() == second);
            assertThat(read(lake, increment.splits()))
                    .containsExactlyElementsOf(IcebergTestTables.expected(10, 15));
        }
    }

    @Test
    void filtersPruneTheAppendedFiles() throws Exception {
        DataFile low = IcebergTestTables.writeDataFile(table, 0, 100);
        DataFile high = IcebergTestTables.writeDataFile(table, 100, 200);
        table.newAppend().appendFile(low).appendFile(high).commit();
        long version = table.currentSnapshot().snapshotId();
        LakeScanSpec spec =
                LakeScanSpec.builder().filter(LakePredicate.greaterThan("id", 150L)).build();

        try (LakeTable lake = loader.load()) {
            assertThat(lake.planIncrement(version, spec).splits())
                    .extracting(LakeSplit::path)
                    .containsExactly(high.location());
        }
    }

    @Test
    void classifiesDeletesOverwritesAndCompactions() throws Exception {
        DataFile a = IcebergTestTables.writeDataFile(table, 0, 10);
        DataFile b = IcebergTestTables.writeDataFile(table, 10, 20);
        table.newAppend().appendFile(a).appendFile(b).commit();
        DataFile merged = IcebergTestTables.writeDataFile(table, 0, 20);
        table.newRewrite().deleteFile(a).deleteFile(b).addFile(merged).commit();
        long compacted = table.currentSnapshot().snapshotId();
        long deleted = IcebergTestTables.deleteIds(table, 3);
        table.newOverwrite()
                .deleteFile(merged)
                .addFile(IcebergTestTables.writeDataFile(table, 0, 5))
                .commit();
        long overwritten = table.currentSnapshot().snapshotId();

        try (LakeTable lake = loader.load()) {
            assertIncrement(lake.planIncrement(deleted, spec()), "REWRITE", "delete");
            assertIncrement(lake.planIncrement(compacted, spec()), "NO_DATA_CHANGE", "replace");
            assertIncrement(lake.planIncrement(overwritten, spec()), "REWRITE", "overwrite");
            assertThatThrownBy(() -> lake.planIncrement(42, spec()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("snapshot id 42 does not exist");
        }
    }

    private static void assertIncrement(LakeIncrement increment, String kind, String operation) {
        assertThat(increment.kind().name()).isEqualTo(kind);
        assertThat(increment.operation()).isEqualTo(operation);
        assertThat(increment.splits()).isEmpty();
    }

    private static LakeScanSpec spec() {
        return LakeScanSpec.latest();
    }

    private static List<Long> versions(List<LakeCommit> commits) {
        return commits.stream().map(LakeCommit::version).toList();
    }

    private static List<String> read(LakeTable lake, List<LakeSplit> splits) throws Exception {
        LakeReaderFactory readers =
                lake.createReaderFactory(OptionalLong.empty(), LakeScanSpec.latest());
        List<String> rows = new ArrayList<>();
        for (LakeSplit split : splits) {
            try (CloseableIterator<RowData> it = readers.open(split)) {
                it.forEachRemaining(row -> rows.add(row.getLong(0) + "," + row.getString(1)));
            }
        }
        return rows;
    }
}
