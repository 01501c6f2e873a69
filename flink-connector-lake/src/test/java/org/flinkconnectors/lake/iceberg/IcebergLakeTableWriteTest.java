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
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writing half of the Iceberg binding on real tables: files written by the writer factory,
 * committed idempotently, read back with Iceberg's own generic reader.
 */
class IcebergLakeTableWriteTest {

    @TempDir Path warehouse;

    private IcebergTestTables tables;

    @BeforeEach
    void createWarehouse() {
        tables = new IcebergTestTables(warehouse);
    }

    @Test
    void writtenFilesAreInvisibleUntilCommittedAsOneSnapshotWithTheCommitId() throws Exception {
        Table table = tables.create("orders");
        try (LakeTable lake = load("orders")) {
            LakeWriteResult first = write(lake, LakeWriteSpec.tableDefaults(), 0, 0, 100);
            LakeWriteResult second = write(lake, LakeWriteSpec.tableDefaults(), 1, 100, 150);
            assertThat(IcebergRows.snapshots(table)).isEmpty();

            OptionalLong version = lake.commit(List.of(first, second), id("job-a", 3));

            assertThat(IcebergRows.idsAndNames(table))
                    .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 150));
            assertThat(IcebergRows.snapshots(table)).hasSize(1);
            assertThat(table.currentSnapshot().snapshotId()).isEqualTo(version.getAsLong());
            assertThat(table.currentSnapshot().summary())
                    .containsEntry(IcebergCommits.JOB_ID, "job-a")
                    .containsEntry(IcebergCommits.OPERATOR_ID, "operator-1")
                    .containsEntry(IcebergCommits.CHECKPOINT_ID, "3")
                    .containsEntry("added-data-files", "2");
        }
    }

    @Test
    void aRepeatedOrEarlierCommitOfTheSameJobIsSkippedAnotherJobsIsNot() throws Exception {
        Table table = tables.create("orders");
        try (LakeTable lake = load("orders")) {
            LakeWriteResult files = write(lake, LakeWriteSpec.tableDefaults(), 0, 0, 10);
            assertThat(lake.commit(List.of(files), id("job-a", 5))).isPresent();

            assertThat(lake.commit(List.of(files), id("job-a", 5))).isEmpty();
            assertThat(lake.commit(List.of(files), id("job-a", 4))).isEmpty();
            assertThat(IcebergRows.snapshots(table)).hasSize(1);

            LakeWriteResult more = write(lake, LakeWriteSpec.tableDefaults(), 0, 10, 20);
            assertThat(lake.commit(List.of(more), id("job-b", 5))).isPresent();
            assertThat(IcebergRows.snapshots(table)).hasSize(2);
            assertThat(IcebergRows.idsAndNames(table))
                    .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 20));
        }
    }

    @Test
    void aCommitAfterAnotherWritersCommitKeepsBoth() throws Exception {
        Table table = tables.create("orders");
        try (LakeTable lake = load("orders")) {
            LakeWriteResult files = write(lake, LakeWriteSpec.tableDefaults(), 0, 0, 10);
            // Another writer commits while our table handle still sees the empty table.
            IcebergTestTables.append(tables.load("orders"), 100, 110);

            lake.commit(List.of(files), id("job-a", 1));

            assertThat(IcebergRows.idsAndNames(table)).hasSize(20);
            assertThat(IcebergRows.snapshots(table)).hasSize(2);
        }
    }

    @Test
    void writersRollFilesAtTheTargetSize() throws Exception {
        Table table = tables.create("orders");
        try (LakeTable lake = load("orders")) {
            // Iceberg checks the size every 1,000 rows; with a 1-byte target each check rolls.
            LakeWriteResult files = write(lake, new LakeWriteSpec(1L), 0, 0, 5_000);
            lake.commit(List.of(files), id("job-a", 1));

            assertThat(files.fileCount()).isEqualTo(5);
            assertThat(files.recordCount()).isEqualTo(5_000);
            assertThat(table.currentSnapshot().summary()).containsEntry("added-data-files", "5");
            assertThat(IcebergRows.idsAndNames(table)).hasSize(5_000);
        }
    }

    @Test
    void aBufferMemoryBudgetIsRefusedNamingWhatBoundsIcebergWriters() throws Exception {
        tables.create("orders");
        try (LakeTable lake = load("orders")) {
            assertThatThrownBy(
                            () ->
                                    lake.createWriterFactory(
                                            lake.producedType(
                                                    OptionalLong.empty(), LakeScanSpec.latest()),
                                            new LakeWriteSpec(null, 1L << 20)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not apply to")
                    .hasMessageContaining("sink.distribution-mode");
        }
    }

    @Test
    void anIdentityPartitionedTableGetsOneFilePerPartitionHoldingOnlyItsRows() throws Exception {
        Schema schema =
                new Schema(
                        Types.NestedField.required(1, "id", Types.LongType.get()),
                        Types.NestedField.optional(2, "name", Types.StringType.get()),
                        Types.NestedField.optional(3, "part", Types.IntegerType.get()));
        Table table =
                tables.create(
                        "parts", schema, PartitionSpec.builderFor(schema).identity("part").build());
        try (LakeTable lake = load("parts")) {
            RowType rows = lake.producedType(OptionalLong.empty(), LakeScanSpec.latest());
            LakeDataWriter writer =
                    lake.createWriterFactory(rows, LakeWriteSpec.tableDefaults()).create(0, 1, 0);
            for (long id = 0; id < 90; id++) {
                writer.write(
                        GenericRowData.of(id, StringData.fromString("name-" + id), (int) (id % 3)));
            }
            lake.commit(List.of(writer.complete().orElseThrow()), id("job-a", 1));
            writer.close();
        }

        table.refresh();
        List<DataFile> files = IcebergTestTables.dataFiles(table);
        assertThat(files).hasSize(3);
        for (DataFile file : files) {
            assertThat(file.recordCount()).isEqualTo(30);
            assertThat(file.location()).contains("part=" + file.partition().get(0, Integer.class));
        }
        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 90));
    }

    @Test
    void rowsThatDoNotFitTheSchemaFailNamingTheColumn() throws Exception {
        tables.create("orders");
        try (LakeTable lake = load("orders")) {
            RowType wrongType =
                    RowType.of(
                            new org.apache.flink.table.types.logical.LogicalType[] {
                                new IntType(), new VarCharType(VarCharType.MAX_LENGTH)
                            },
                            new String[] {"id", "name"});
            RowType wrongNames =
                    RowType.of(
                            new org.apache.flink.table.types.logical.LogicalType[] {
                                new IntType(), new VarCharType(VarCharType.MAX_LENGTH)
                            },
                            new String[] {"key", "name"});

            assertThatThrownBy(
                            () ->
                                    lake.createWriterFactory(
                                            wrongType, LakeWriteSpec.tableDefaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Column 'id'")
                    .hasMessageContaining("BIGINT");
            assertThatThrownBy(
                            () ->
                                    lake.createWriterFactory(
                                            wrongNames, LakeWriteSpec.tableDefaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[key, name]")
                    .hasMessageContaining("[id, name]");
        }
    }

    private LakeTable load(String name) throws IOException {
        return IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, name)
                .load();
    }

    private static LakeCommitId id(String job, long checkpoint) {
        return new LakeCommitId(job, job, "operator-1", checkpoint);
    }

    /** Writes rows {@code fromId..toId-1} as subtask {@code subtask} and completes the files. */
    private static LakeWriteResult write(
            LakeTable lake, LakeWriteSpec spec, int subtask, long fromId, long toId)
            throws IOException {
        RowType rows = lake.producedType(OptionalLong.empty(), LakeScanSpec.latest());
        try (LakeDataWriter writer = lake.createWriterFactory(rows, spec).create(subtask, 2, 0)) {
            for (long id = fromId; id < toId; id++) {
                writer.write(GenericRowData.of(id, StringData.fromString("name-" + id)));
            }
            return writer.complete().orElseThrow();
        }
    }
}
