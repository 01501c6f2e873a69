package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which commits the Iceberg binding takes for already made: only those of the same write id, never
 * those of an earlier run that had the same job id, and still after the snapshots that recorded
 * them were expired; a commit rolled back is made again.
 */
class IcebergCommitIdentityTest {

    private static final String JOB = "a-fixed-job-id";

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;
    private LakeTable lake;

    @BeforeEach
    void createTable() throws IOException {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("orders");
        lake =
                IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, "orders")
                        .load();
    }

    @AfterEach
    void closeTable() throws IOException {
        lake.close();
    }

    @Test
    void aNewRunWithTheSameJobIdAndCheckpointIdsIsCommitted() throws Exception {
        String firstRun = LakeCommitId.newWriteId();
        assertThat(lake.commit(List.of(write(0, 10)), id(firstRun, 1))).isPresent();
        assertThat(lake.commit(List.of(write(10, 20)), id(firstRun, 2))).isPresent();

        String secondRun = LakeCommitId.newWriteId();
        assertThat(lake.commit(List.of(write(20, 30)), id(secondRun, 1))).isPresent();

        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 30));
        assertThat(table.currentSnapshot().summary())
                .containsEntry(IcebergCommits.WRITE_ID, secondRun)
                .containsEntry(IcebergCommits.JOB_ID, JOB);
    }

    @Test
    void aRetriedCommitIsSkippedAfterItsSnapshotExpired() throws Exception {
        String write = LakeCommitId.newWriteId();
        LakeWriteResult second = write(10, 20);
        lake.commit(List.of(write(0, 10)), id(write, 1));
        lake.commit(List.of(second), id(write, 2));
        IcebergTestTables.append(tables.load("orders"), 100, 110); // another writer
        expireAllButCurrent();

        assertThat(lake.commit(List.of(second), id(write, 2))).isEmpty();
        assertThat(lake.commit(List.of(write(20, 30)), id(write, 3))).isPresent();

        assertThat(IcebergRows.idsAndNames(table)).hasSize(40);
    }

    @Test
    void anOlderWritesCommitIsFoundByItsFilesAfterExpiry() throws Exception {
        String older = LakeCommitId.newWriteId();
        LakeWriteResult committed = write(0, 10);
        lake.commit(List.of(committed), id(older, 7));
        // A later run of the same operator committed since; the last-commit property names it.
        lake.commit(List.of(write(10, 20)), id(LakeCommitId.newWriteId(), 1));
        expireAllButCurrent();

        assertThat(lake.commit(List.of(committed), id(older, 7))).isEmpty();
        assertThat(lake.commit(List.of(write(20, 30)), id(older, 8)))
                .as("files that are not in the table are committed")
                .isPresent();
        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 30));
    }

    @Test
    void aCommitThatWasRolledBackIsMadeAgain() throws Exception {
        String write = LakeCommitId.newWriteId();
        lake.commit(List.of(write(0, 10)), id(write, 1));
        LakeWriteResult rolledBack = write(10, 20);
        lake.commit(List.of(rolledBack), id(write, 2));
        table.refresh();
        table.manageSnapshots().rollbackTo(table.currentSnapshot().parentId()).commit();

        assertThat(lake.commit(List.of(rolledBack), id(write, 2))).isPresent();

        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 20));
    }

    private void expireAllButCurrent() {
        table.refresh();
        table.expireSnapshots()
                .expireOlderThan(System.currentTimeMillis() + 1)
                .retainLast(1)
                .commit();
        table.refresh();
        assertThat(IcebergRows.snapshots(table)).hasSize(1);
    }

    private static LakeCommitId id(String writeId, long checkpoint) {
        return new LakeCommitId(writeId, JOB, "operator-1", checkpoint);
    }

    private LakeWriteResult write(long fromId, long toId) throws IOException {
        RowType rows = lake.producedType(OptionalLong.empty(), LakeScanSpec.latest());
        try (LakeDataWriter writer =
                lake.createWriterFactory(rows, LakeWriteSpec.tableDefaults()).create(0, 1, 0)) {
            for (long id = fromId; id < toId; id++) {
                writer.write(GenericRowData.of(id, StringData.fromString("name-" + id)));
            }
            return writer.complete().orElseThrow();
        }
    }
}
