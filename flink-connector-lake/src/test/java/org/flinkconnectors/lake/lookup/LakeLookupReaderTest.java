package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.LakeTestTable;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a lookup cache reads from real Iceberg and Delta tables: a refresh plans and reads only the
 * files committed since the cached version, a row rewrite asks for a reload naming the version, and
 * a key lookup reads only the files whose statistics can hold the key.
 */
class LakeLookupReaderTest {

    private static final RowType ROW =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("name", DataTypes.STRING()))
                            .getLogicalType();

    private static final int[] BY_ID = {0};

    private static final RowType PARTITIONED =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("name", DataTypes.STRING()),
                                    DataTypes.FIELD("day", DataTypes.STRING()))
                            .getLogicalType();

    @TempDir Path root;

    static List<String> formats() {
        return LakeTestTable.formats();
    }

    private static LakeLookupReader reader(LakeTestTable table) {
        return reader(table, false);
    }

    private static LakeLookupReader reader(LakeTestTable table, boolean readChanges) {
        return new LakeLookupReader(
                table.loader(),
                LakeScanSpec.builder().project(List.of("id", "name")).build(),
                readChanges);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aRefreshReadsOnlyTheFilesCommittedSinceTheCachedVersion(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "dim");
        long first = table.append(0, 1_000);
        LakeLookupReader reader = reader(table);
        LakeLookupIndex index = new LakeLookupIndex(ROW, BY_ID);
        OptionalLong cached = reader.load(index);
        assertThat(cached).hasValue(first);
        assertThat(index.size()).isEqualTo(1_000);

        long second = table.append(1_000, 1_010);
        long third = table.append(1_010, 1_015);
        LakeLookupReader.Refresh refresh = reader.planRefresh(cached);

        assertThat(refresh.needsReload()).isFalse();
        assertThat(refresh.increments())
                .extracting(LakeIncrement::version)
                .containsExactly(second, third);
        assertThat(fileNames(refresh))
                .containsExactlyInAnyOrder(
                        fileName(table.fileOf(second)), fileName(table.fileOf(third)));
        assertThat(reader.apply(refresh.increments(), index)).isEqualTo(15);
        assertThat(index.size()).isEqualTo(1_015);
        assertThat(texts(index.get(key(1_012)))).containsExactly("1012,name-1012");
        assertThat(texts(index.get(key(5)))).containsExactly("5,name-5");
        assertThat(reader.planRefresh(OptionalLong.of(third)).increments()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aCommitThatRemovesRowsAsksForAReloadNamingIt(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "dim");
        long first = table.append(0, 100);
        table.append(100, 200);
        LakeLookupReader reader = reader(table);
        LakeLookupIndex index = new LakeLookupIndex(ROW, BY_ID);
        OptionalLong cached = reader.load(index);
        long removal = table.removeAppend(first);

        LakeLookupReader.Refresh refresh = reader.planRefresh(cached);

        assertThat(refresh.needsReload()).isTrue();
        assertThat(refresh.reloadReason()).contains("version " + removal);
        LakeLookupIndex reloaded = index.emptyCopy();
        assertThat(reader.load(reloaded)).hasValue(removal);
        assertThat(reloaded.size()).isEqualTo(100);
        assertThat(reloaded.get(key(5))).isEmpty();
        assertThat(texts(reloaded.get(key(150)))).containsExactly("150,name-150");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aFormatThatTellsChangesHasRemovedRowsAppliedWithoutAReload(String format)
            throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "dim");
        assumeTrue(table.readsChanges(), format + " tables cannot be read as a changelog yet");
        long first = table.append(0, 100);
        table.append(100, 200);
        table.append(200, 300);
        table.append(300, 400);
        LakeLookupReader reader = reader(table, true);
        LakeLookupIndex index = new LakeLookupIndex(ROW, BY_ID);
        OptionalLong cached = reader.load(index);
        long removal = table.removeAppend(first);

        LakeLookupReader.Refresh refresh = reader.planRefresh(cached);

        assertThat(refresh.needsReload()).isFalse();
        assertThat(refresh.increments())
                .extracting(LakeIncrement::version)
                .containsExactly(removal);
        assertThat(reader.apply(refresh.increments(), index)).isEqualTo(100);
        assertThat(index.size()).isEqualTo(300);
        assertThat(index.get(key(5))).isEmpty();
        assertThat(texts(index.get(key(150)))).containsExactly("150,name-150");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aKeyLookupReadsOnlyTheFileThatCanHoldTheKey(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "dim");
        table.append(0, 100);
        LakeLookupIndex keys = new LakeLookupIndex(ROW, BY_ID);
        long second = table.append(100, 200);
        table.append(200, 300);
        List<String> found = new ArrayList<>();

        List<LakeSplit> read =
                reader(table)
                        .scan(
                                LakeLookupKeys.equalities(ROW, BY_ID, key(150)),
                                row -> {
                                    if (keys.hasKey(row, key(150))) {
                                        found.add(text(row));
                                    }
                                });

        assertThat(found).containsExactly("150,name-150");
        // The files of ids 0..99 and 200..299 are skipped by their id bounds.
        assertThat(read)
                .extracting(split -> fileName(split.path()))
                .containsExactly(fileName(table.fileOf(second)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void changesThatWouldReadAsManyFilesAsAFullLoadReloadInstead(String format) throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "dim");
        long first = table.append(0, 100);
        table.append(100, 200);
        LakeLookupReader reader = reader(table, true);
        OptionalLong cached = reader.load(new LakeLookupIndex(ROW, BY_ID));
        long removal = table.removeAppend(first);

        LakeLookupReader.Refresh refresh = reader.planRefresh(cached);

        assertThat(refresh.reloadReason())
                .isEqualTo(
                        "the changes up to version "
                                + removal
                                + " would read 1 files, a full load 1");
    }

    @Test
    void theNewestPartitionOnlyIsHeldAndANewerOneMovesTheCache() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        tables.createPartitioned("dim");
        tables.appendPartition("dim", "2026-12-05", 0, 100);
        tables.appendPartition("dim", "2026-12-06", 100, 150);
        LakeLookupReader reader =
                new LakeLookupReader(
                        DeltaTableLoader.path(tables.path("dim")),
                        LakeScanSpec.builder().project(List.of("id", "name", "day")).build(),
                        true,
                        true);
        LakeLookupIndex index = new LakeLookupIndex(PARTITIONED, BY_ID);
        OptionalLong cached = reader.load(index);

        assertThat(index.heldPartition()).isEqualTo("day=2026-12-06");
        assertThat(index.size()).isEqualTo(50);
        assertThat(index.get(key(5))).isEmpty();

        tables.appendPartition("dim", "2026-12-06", 150, 160);
        long older = tables.appendPartition("dim", "2026-12-05", 160, 170);
        LakeLookupReader.Refresh refresh = reader.planRefresh(cached, index.heldPartition());
        assertThat(refresh.needsReload()).isFalse();
        assertThat(reader.apply(refresh.increments(), index)).isEqualTo(10);
        assertThat(index.size()).isEqualTo(60);
        assertThat(index.get(key(165))).isEmpty();

        long newer = tables.appendPartition("dim", "2026-12-07", 170, 175);
        refresh = reader.planRefresh(OptionalLong.of(older), index.heldPartition());
        assertThat(refresh.reloadReason())
                .isEqualTo("version " + newer + " wrote the newer partition day=2026-12-07");
        LakeLookupIndex moved = index.emptyCopy();
        reader.load(moved);
        assertThat(moved.heldPartition()).isEqualTo("day=2026-12-07");
        assertThat(moved.size()).isEqualTo(5);
    }

    private static List<String> fileNames(LakeLookupReader.Refresh refresh) {
        return refresh.increments().stream()
                .flatMap(increment -> increment.splits().stream())
                .map(LakeSplit::path)
                .map(LakeLookupReaderTest::fileName)
                .toList();
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static RowData key(long id) {
        return GenericRowData.of(id);
    }

    private static String text(RowData row) {
        return row.getLong(0) + "," + row.getString(1);
    }

    private static List<String> texts(Collection<RowData> rows) {
        return rows.stream().map(LakeLookupReaderTest::text).toList();
    }
}
