package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaLogCommits;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The history of real Delta tables through the lake SPI: the versions after a cursor, and each
 * version's increment told by its add and remove actions.
 */
class DeltaHistoryTest {

    private static final Function<RowData, String> ID_NAME =
            row -> row.getLong(0) + "," + row.getString(1);

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void listsTheVersionsAfterACursorWithTheirCommitTimes() throws Exception {
        tables.create("t", Map.of());
        tables.append("t", 0, 10);
        tables.append("t", 10, 20);
        long base = System.currentTimeMillis() - 60_000;
        for (long version = 0; version <= 2; version++) {
            tables.setCommitTime("t", version, base + version * 1_000);
        }

        try (LakeTable table = load("t")) {
            assertThat(table.commitsAfter(OptionalLong.empty()))
                    .containsExactly(
                            new LakeCommit(0, base),
                            new LakeCommit(1, base + 1_000),
                            new LakeCommit(2, base + 2_000));
            assertThat(table.commitsAfter(OptionalLong.of(0)))
                    .extracting(LakeCommit::version)
                    .containsExactly(1L, 2L);
            assertThat(table.commitsAfter(OptionalLong.of(2))).isEmpty();
            assertThatThrownBy(() -> table.commitsAfter(OptionalLong.of(5)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version 5, the last one read from Delta table at")
                    .hasMessageContaining("is after its latest version 2");
        }
    }

    @Test
    void anAppendIsExactlyTheFilesItAdded() throws Exception {
        tables.create("t", Map.of());
        tables.append("t", 0, 10);
        long second = tables.append("t", 10, 30);

        try (LakeTable table = load("t")) {
            LakeIncrement increment = table.planIncrement(second, LakeScanSpec.latest());

            assertThat(increment.kind()).isEqualTo(LakeIncrement.Kind.APPEND);
            assertThat(increment.operation()).isEqualTo("WRITE");
            assertThat(increment.splits())
                    .singleElement()
                    .satisfies(split -> assertThat(split.version()).isEqualTo(second));
            assertThat(read(table, LakeScanSpec.latest(), increment.splits(), ID_NAME))
                    .containsExactlyElementsOf(DeltaTestTables.expected(10, 30));
        }
    }

    @Test
    void compactionAndMetadataCommitsChangeNoRows() throws Exception {
        tables.create("t", Map.of());
        tables.append("t", 0, 10);
        tables.append("t", 10, 20);
        long compaction = DeltaLogCommits.compact(tables, "t", tables.dataFiles("t"));
        long properties = tables.setProperties("t", Map.of("delta.appendOnly", "false"));

        try (LakeTable table = load("t")) {
            assertThat(table.planIncrement(0, LakeScanSpec.latest()).kind())
                    .isEqualTo(LakeIncrement.Kind.NO_DATA_CHANGE);
            assertThat(table.planIncrement(compaction, LakeScanSpec.latest()))
                    .isEqualTo(LakeIncrement.noDataChange(compaction, "OPTIMIZE"));
            assertThat(table.planIncrement(properties, LakeScanSpec.latest()).kind())
                    .isEqualTo(LakeIncrement.Kind.NO_DATA_CHANGE);
            // The compacted files hold the same rows: the fixture is a true compaction.
            List<LakeSplit> compacted = table.planSplits(compaction, LakeScanSpec.latest());
            assertThat(compacted).allMatch(split -> split.path().contains("part-compacted-"));
            assertThat(read(table, LakeScanSpec.latest(), compacted, ID_NAME))
                    .containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 20));
        }
    }

    @Test
    void removingFilesOrAddingADeletionVectorIsARewrite() throws Exception {
        tables.create("t", Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile first = tables.addedIn("t", tables.append("t", 0, 10));
        DeltaTestTables.DataFile second = tables.addedIn("t", tables.append("t", 10, 20));
        long delete = DeltaLogCommits.deleteFiles(tables, "t", List.of(first));
        long deletionVector =
                DeltaDeletionVectors.delete(
                        tables, "t", second, DeltaDeletionVectors.Storage.INLINE, 3);

        try (LakeTable table = load("t")) {
            LakeIncrement deleted = table.planIncrement(delete, LakeScanSpec.latest());
            assertThat(deleted.kind()).isEqualTo(LakeIncrement.Kind.REWRITE);
            assertThat(deleted.operation()).isEqualTo("DELETE");
            assertThat(deleted.changes())
                    .startsWith("adds 0 data files")
                    .contains("removes 1 data");
            LakeIncrement vector = table.planIncrement(deletionVector, LakeScanSpec.latest());
            assertThat(vector.kind()).isEqualTo(LakeIncrement.Kind.REWRITE);
            assertThat(vector.changes()).startsWith("adds 1 data files").contains("removes 1 data");
        }
    }

    @Test
    void appendedFilesAreReadWithPartitionValuesAndColumnMapping() throws Exception {
        tables.createPartitioned("p");
        long day = tables.appendPartition("p", "2024-01-07", 0, 3);
        tables.create("cm", Map.of("delta.columnMapping.mode", "name"));
        tables.appendColumnMapped("cm", 0, 5);
        tables.renameColumn("cm", "name", "label");
        long mapped = tables.appendColumnMapped("cm", 5, 8);

        try (LakeTable table = load("p")) {
            LakeScanSpec spec = LakeScanSpec.builder().project(List.of("day", "id")).build();
            List<LakeSplit> splits = table.planIncrement(day, spec).splits();
            assertThat(read(table, spec, splits, row -> row.getString(0) + "/" + row.getLong(1)))
                    .containsExactly("2024-01-07/0", "2024-01-07/1", "2024-01-07/2");
        }
        try (LakeTable table = load("cm")) {
            LakeScanSpec spec = LakeScanSpec.builder().project(List.of("id", "label")).build();
            List<LakeSplit> splits = table.planIncrement(mapped, spec).splits();
            assertThat(read(table, spec, splits, ID_NAME))
                    .containsExactlyElementsOf(DeltaTestTables.expected(5, 8));
        }
    }

    @Test
    void aCleanedUpLogStartsAtTheOldestCommitLeftAndFailsCursorsBeforeIt() throws Exception {
        tables.create("t", Map.of());
        tables.append("t", 0, 10);
        tables.append("t", 10, 20);
        tables.latest("t").writeCheckpoint(tables.engine());
        tables.append("t", 20, 30);
        for (long version = 0; version < 2; version++) {
            Files.delete(tables.commitFile("t", version));
        }

        try (LakeTable table = load("t")) {
            assertThat(table.commitsAfter(OptionalLong.empty()))
                    .extracting(LakeCommit::version)
                    .containsExactly(2L, 3L);
            assertThatThrownBy(() -> table.commitsAfter(OptionalLong.of(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after version 0 can no longer be read");
            assertThatThrownBy(() -> table.planIncrement(9, LakeScanSpec.latest()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("version 9 does not exist")
                    .hasMessageContaining("the latest version is 3");
        }
    }

    private LakeTable load(String table) {
        return DeltaTableLoader.path(tables.path(table)).load();
    }

    /** Reads splits with a reader factory built for the latest version. */
    private static List<String> read(
            LakeTable table,
            LakeScanSpec spec,
            List<LakeSplit> splits,
            Function<RowData, String> format)
            throws Exception {
        LakeReaderFactory reader = table.createReaderFactory(OptionalLong.empty(), spec);
        List<String> rows = new ArrayList<>();
        for (LakeSplit split : splits) {
            try (CloseableIterator<RowData> it = reader.open(split)) {
                it.forEachRemaining(row -> rows.add(format.apply(row)));
            }
        }
        return rows;
    }
}
