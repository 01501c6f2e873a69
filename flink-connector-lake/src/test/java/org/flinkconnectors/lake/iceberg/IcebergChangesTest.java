package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;
import org.flinkconnectors.lake.core.LakeSplitSerializer;
import org.flinkconnectors.lake.core.LakeTable;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.DeleteWriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changelog planning of real Iceberg tables: for every snapshot S with parent P, the rows of P
 * minus the delete-phase rows plus the insert-phase rows are exactly the rows of S, and every
 * deleted row was a row of P.
 */
class IcebergChangesTest {

    private static final LakeScanSpec CHANGELOG = LakeScanSpec.builder().changelog(true).build();

    @TempDir Path warehouse;

    @Test
    void v2SnapshotsOfEveryKindChangeExactlyTheirRows() throws Exception {
        Table table =
                create(
                        "v2",
                        PartitionSpec.builderFor(IcebergChangeFixtures.SCHEMA)
                                .identity("part")
                                .build(),
                        2);
        DataFile a1 = IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 10, "a"));
        DataFile b1 =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(10, 20, "b"));
        table.newAppend().appendFile(a1).appendFile(b1).commit();
        long append = current(table);
        DataFile a2 =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(20, 30, "a"));
        table.newAppend().appendFile(a2).commit();
        long secondAppend = current(table);

        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.positionDeletes(table, a1, 1, 3))
                .commit();
        long positionDelete = current(table);

        // Ids 3 (already gone by position), 5 and 25 in two files of partition a; 15 lives in b.
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "a", 3, 5, 25, 15))
                .commit();
        long equalityDelete = current(table);

        DataFile a3 =
                IcebergChangeFixtures.dataFile(
                        table, List.of(IcebergChangeFixtures.row(2, "name-2-v2", "a")));
        table.newOverwrite().deleteFile(a1).addFile(a3).commit();
        long overwrite = current(table);

        DataFile b2 =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(30, 35, "b"));
        table.newRowDelta()
                .addRows(b2)
                .addDeletes(IcebergChangeFixtures.positionDeletes(table, b2, 0))
                .commit();
        long addedWithItsDeletes = current(table);

        // As Flink's upsert writer: an equality delete per key, the new rows, and a position
        // delete for the row superseded within the same commit.
        DataFile a4 =
                IcebergChangeFixtures.dataFile(
                        table,
                        List.of(
                                IcebergChangeFixtures.row(21, "name-21", "a"),
                                IcebergChangeFixtures.row(22, "name-22-v2", "a"),
                                IcebergChangeFixtures.row(22, "name-22-v3", "a")));
        table.newRowDelta()
                .addRows(a4)
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "a", 21, 22))
                .addDeletes(IcebergChangeFixtures.positionDeletes(table, a4, 1))
                .commit();
        long upsert = current(table);

        try (LakeTable lake = load("v2")) {
            Changes first = assertChangesMatch(lake, table, append);
            assertThat(first.deletes).isEmpty();
            assertThat(first.inserts).hasSize(20);
            assertThat(assertChangesMatch(lake, table, secondAppend).inserts).hasSize(10);

            Changes positions = assertChangesMatch(lake, table, positionDelete);
            assertThat(positions.deletes).containsExactlyInAnyOrder("1,name-1,a", "3,name-3,a");
            assertThat(positions.inserts).isEmpty();

            Changes equality = assertChangesMatch(lake, table, equalityDelete);
            assertThat(equality.deletes).containsExactlyInAnyOrder("5,name-5,a", "25,name-25,a");
            assertThat(equality.routingKeys).containsOnly("part=a");

            Changes overwritten = assertChangesMatch(lake, table, overwrite);
            assertThat(overwritten.deletes).hasSize(7).doesNotContain("1,name-1,a", "5,name-5,a");
            assertThat(overwritten.inserts).containsExactly("2,name-2-v2,a");

            Changes rowDelta = assertChangesMatch(lake, table, addedWithItsDeletes);
            assertThat(rowDelta.deletes).isEmpty();
            assertThat(rowDelta.inserts)
                    .containsExactlyInAnyOrder(
                            "31,name-31,b", "32,name-32,b", "33,name-33,b", "34,name-34,b");

            Changes upserted = assertChangesMatch(lake, table, upsert);
            assertThat(upserted.deletes).containsExactlyInAnyOrder("21,name-21,a", "22,name-22,a");
            assertThat(upserted.inserts)
                    .containsExactlyInAnyOrder("21,name-21,a", "22,name-22-v3,a");
        }
    }

    @Test
    void v3DeletionVectorsYieldOnlyNewlyDeletedPositions() throws Exception {
        Table table = create("v3", PartitionSpec.unpartitioned(), 3);
        DataFile file =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 10, "x"));
        table.newAppend().appendFile(file).commit();
        long append = current(table);

        DeleteWriteResult first = IcebergChangeFixtures.deletionVector(table, file, null, 2, 4);
        table.newRowDelta().addDeletes(first.deleteFiles().get(0)).commit();
        long firstVector = current(table);

        DeleteFile firstDv = first.deleteFiles().get(0);
        DeleteWriteResult second = IcebergChangeFixtures.deletionVector(table, file, firstDv, 6);
        assertThat(second.rewrittenDeleteFiles()).hasSize(1);
        table.newRowDelta()
                .validateFromSnapshot(firstVector)
                .addDeletes(second.deleteFiles().get(0))
                .removeDeletes(second.rewrittenDeleteFiles().get(0))
                .commit();
        long replacingVector = current(table);
        assertThat(table.currentSnapshot().removedDeleteFiles(table.io())).hasSize(1);

        table.newDelete().deleteFile(file).commit();
        long removeFile = current(table);

        try (LakeTable lake = load("v3")) {
            assertThat(assertChangesMatch(lake, table, append).inserts).hasSize(10);
            assertThat(assertChangesMatch(lake, table, firstVector).deletes)
                    .containsExactlyInAnyOrder("2,name-2,x", "4,name-4,x");
            Changes replaced = assertChangesMatch(lake, table, replacingVector);
            assertThat(replaced.deletes).containsExactly("6,name-6,x");
            assertThat(replaced.routingKeys).containsOnly("");
            assertThat(assertChangesMatch(lake, table, removeFile).deletes).hasSize(7);
        }
    }

    @Test
    void projectionAndFilterApplyToChangeRows() throws Exception {
        Table table = create("projected", PartitionSpec.unpartitioned(), 2);
        DataFile file =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 10, "x"));
        table.newAppend().appendFile(file).commit();
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "x", 1, 7))
                .addDeletes(IcebergChangeFixtures.positionDeletes(table, file, 2, 8))
                .commit();
        long deletes = current(table);
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .changelog(true)
                        .project(List.of("name"))
                        .filter(LakePredicate.lessThan("id", 5L))
                        .build();

        try (LakeTable lake = load("projected")) {
            LakeIncrement increment = lake.planIncrement(deletes, spec);
            LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(deletes), spec);
            RowType type = lake.producedType(OptionalLong.of(deletes), spec);

            assertThat(type.getFieldNames()).containsExactly("name");
            List<String> rows = new ArrayList<>();
            for (LakeSplit split : increment.splits()) {
                rows.addAll(read(reader, split, type));
            }
            // The filter on the unread id only prunes files; the caller filters rows again.
            assertThat(rows)
                    .containsExactlyInAnyOrder("-D name-1", "-D name-2", "-D name-7", "-D name-8");
        }
    }

    @Test
    void equalityDeletesReadOnlyFilesWhoseKeysCanMatch() throws Exception {
        Table table = create("pruned", PartitionSpec.unpartitioned(), 2);
        DataFile low =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 10, "x"));
        DataFile high =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(1000, 1010, "x"));
        table.newAppend().appendFile(low).appendFile(high).commit();
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "x", 1005, 20, 999))
                .commit();
        long listedKeys = current(table);
        // More keys than Iceberg prunes an IN list with: the delete file's key range prunes.
        long[] many = LongStream.range(1002, 1400).toArray();
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "x", many))
                .commit();
        long keyRange = current(table);

        try (LakeTable lake = load("pruned")) {
            LakeIncrement listed = lake.planIncrement(listedKeys, CHANGELOG);
            assertThat(listed.splits())
                    .extracting(LakeSplit::path)
                    .containsExactly(high.location());
            assertThat(assertChangesMatch(lake, table, listedKeys).deletes)
                    .containsExactly("1005,name-1005,x");

            LakeIncrement ranged = lake.planIncrement(keyRange, CHANGELOG);
            assertThat(ranged.splits())
                    .extracting(LakeSplit::path)
                    .containsExactly(high.location());
            assertThat(assertChangesMatch(lake, table, keyRange).deletes).hasSize(7);
        }
    }

    @Test
    void droppingDeletesWithoutReplacementIsARewrite() throws Exception {
        Table table = create("undeleted", PartitionSpec.unpartitioned(), 2);
        DataFile file =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 5, "x"));
        table.newAppend().appendFile(file).commit();
        DeleteFile deletes = IcebergChangeFixtures.positionDeletes(table, file, 1);
        table.newRowDelta().addDeletes(deletes).commit();
        table.newRowDelta().removeDeletes(deletes).commit();
        long undelete = current(table);

        try (LakeTable lake = load("undeleted")) {
            LakeIncrement increment = lake.planIncrement(undelete, CHANGELOG);

            assertThat(increment.kind()).isEqualTo(LakeIncrement.Kind.REWRITE);
            assertThat(increment.changes())
                    .contains(deletes.location())
                    .contains("without replacing it");
        }
    }

    @Test
    void deletesAfterAnExpiredParentAreARewrite() throws Exception {
        Table table = create("expired", PartitionSpec.unpartitioned(), 2);
        table.newAppend()
                .appendFile(
                        IcebergChangeFixtures.dataFile(
                                table, IcebergChangeFixtures.rows(0, 5, "x")))
                .commit();
        long first = current(table);
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "x", 2))
                .commit();
        long delete = current(table);
        table.expireSnapshots().expireSnapshotId(first).commit();

        try (LakeTable lake = load("expired")) {
            LakeIncrement increment = lake.planIncrement(delete, CHANGELOG);

            assertThat(increment.kind()).isEqualTo(LakeIncrement.Kind.REWRITE);
            assertThat(increment.changes()).contains("parent snapshot " + first + " expired");
        }
    }

    @Test
    void restoredChangeSplitsSkipEmittedRows() throws Exception {
        Table table = create("restored", PartitionSpec.unpartitioned(), 2);
        DataFile file =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 10, "x"));
        table.newAppend().appendFile(file).commit();
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "x", 3, 5, 9))
                .commit();
        long deletes = current(table);

        try (LakeTable lake = load("restored")) {
            LakeSplit split = lake.planIncrement(deletes, CHANGELOG).splits().get(0);
            LakeSplit restored =
                    LakeSplitSerializer.INSTANCE.deserialize(
                            LakeSplitSerializer.CURRENT_VERSION,
                            LakeSplitSerializer.INSTANCE.serialize(split.withRecordsToSkip(1)));
            LakeReaderFactory reader =
                    lake.createReaderFactory(OptionalLong.of(deletes), CHANGELOG);
            RowType type = lake.producedType(OptionalLong.of(deletes), CHANGELOG);

            assertThat(read(reader, split, type))
                    .containsExactly("-D 3,name-3,x", "-D 5,name-5,x", "-D 9,name-9,x");
            assertThat(read(reader, restored, type))
                    .containsExactly("-D 5,name-5,x", "-D 9,name-9,x");
        }
    }

    @Test
    void replaceIsNoChangeAndPlainReadsStillSeeRewrites() throws Exception {
        Table table = create("replaced", PartitionSpec.unpartitioned(), 2);
        DataFile file =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 4, "x"));
        table.newAppend().appendFile(file).commit();
        DataFile compacted =
                IcebergChangeFixtures.dataFile(table, IcebergChangeFixtures.rows(0, 4, "x"));
        table.newRewrite().deleteFile(file).addFile(compacted).commit();
        long replace = current(table);
        table.newRowDelta()
                .addDeletes(IcebergChangeFixtures.equalityDeletes(table, "x", 1))
                .commit();
        long delete = current(table);

        try (LakeTable lake = load("replaced")) {
            assertThat(lake.planIncrement(replace, CHANGELOG).kind())
                    .isEqualTo(LakeIncrement.Kind.NO_DATA_CHANGE);
            assertThat(lake.planIncrement(delete, LakeScanSpec.latest()).kind())
                    .isEqualTo(LakeIncrement.Kind.REWRITE);
            assertThat(lake.planIncrement(delete, CHANGELOG).kind())
                    .isEqualTo(LakeIncrement.Kind.CHANGES);
        }
    }

    /** The change rows of a snapshot, checked against batch reads of it and of its parent. */
    private Changes assertChangesMatch(LakeTable lake, Table table, long version) throws Exception {
        Long parent = table.snapshot(version).parentId();
        Map<String, Integer> rows = parent == null ? new HashMap<>() : counts(batch(lake, parent));
        Map<String, Integer> before = new HashMap<>(rows);

        LakeIncrement increment = lake.planIncrement(version, CHANGELOG);
        assertThat(increment.kind()).isEqualTo(LakeIncrement.Kind.CHANGES);
        LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(version), CHANGELOG);
        RowType type = lake.producedType(OptionalLong.of(version), CHANGELOG);
        Changes changes = new Changes();
        boolean inserting = false;
        for (LakeSplit split : increment.splits()) {
            ChangePhase phase = split.changePhase().orElseThrow();
            assertThat(inserting && phase == ChangePhase.DELETE)
                    .as("delete splits come before insert splits")
                    .isFalse();
            inserting |= phase == ChangePhase.INSERT;
            changes.routingKeys.add(split.routingKey().orElseThrow());
            for (String row : read(reader, split, type)) {
                String value = row.substring(3);
                if (phase == ChangePhase.DELETE) {
                    assertThat(row).startsWith("-D ");
                    assertThat(before.getOrDefault(value, 0))
                            .as("deleted row %s of split %s was a row of %s", value, split, parent)
                            .isPositive();
                    assertThat(rows.merge(value, -1, Integer::sum))
                            .as("deleted row %s is deleted once", value)
                            .isNotNegative();
                    changes.deletes.add(value);
                } else {
                    assertThat(row).startsWith("+I ");
                    rows.merge(value, 1, Integer::sum);
                    changes.inserts.add(value);
                }
            }
        }
        rows.values().removeIf(count -> count == 0);
        assertThat(rows).isEqualTo(counts(batch(lake, version)));
        return changes;
    }

    private static List<String> batch(LakeTable lake, long version) throws Exception {
        LakeScanSpec spec = LakeScanSpec.latest();
        LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(version), spec);
        RowType type = lake.producedType(OptionalLong.of(version), spec);
        List<String> rows = new ArrayList<>();
        for (LakeSplit split : lake.planSplits(version, spec)) {
            for (String row : read(reader, split, type)) {
                rows.add(row.substring(3));
            }
        }
        return rows;
    }

    /** Rows as {@code "<kind> <v1>,<v2>,..."}, e.g. {@code "-D 3,name-3,x"}. */
    private static List<String> read(LakeReaderFactory reader, LakeSplit split, RowType type)
            throws Exception {
        List<RowData.FieldGetter> getters = new ArrayList<>();
        for (int i = 0; i < type.getFieldCount(); i++) {
            getters.add(RowData.createFieldGetter(type.getTypeAt(i), i));
        }
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> iterator = reader.open(split)) {
            while (iterator.hasNext()) {
                RowData row = iterator.next();
                List<String> values = new ArrayList<>();
                getters.forEach(g -> values.add(String.valueOf(g.getFieldOrNull(row))));
                rows.add(row.getRowKind().shortString() + " " + String.join(",", values));
            }
        }
        return rows;
    }

    private static Map<String, Integer> counts(List<String> rows) {
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row, 1, Integer::sum));
        return counts;
    }

    private Table create(String name, PartitionSpec spec, int formatVersion) {
        return IcebergChangeFixtures.create(
                warehouse.toUri().toString(), name, spec, formatVersion);
    }

    private LakeTable load(String name) throws Exception {
        return IcebergTableLoader.hadoop(
                        warehouse.toUri().toString(), IcebergChangeFixtures.DATABASE, name)
                .load();
    }

    private static long current(Table table) {
        return table.currentSnapshot().snapshotId();
    }

    private static final class Changes {
        final List<String> deletes = new ArrayList<>();
        final List<String> inserts = new ArrayList<>();
        final List<String> routingKeys = new ArrayList<>();
    }
}
