package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schema check against versions older than the job's schema, as when a job restarted with the
 * table's new schema resumes from a checkpoint taken before the change: a column added since, or a
 * type widened since, reads right; a column the job reads that was dropped since does not.
 */
class LakeStreamSchemaCheckTest {

    @TempDir Path warehouse;

    private Table table;
    private LakeTableLoader loader;
    private long before;

    @BeforeEach
    void setUp() throws Exception {
        IcebergTestTables tables = new IcebergTestTables(warehouse);
        table =
                tables.create(
                        "t",
                        new Schema(
                                Types.NestedField.required(1, "id", Types.LongType.get()),
                                Types.NestedField.optional(2, "name", Types.StringType.get()),
                                Types.NestedField.optional(3, "score", Types.IntegerType.get())));
        loader = IcebergTableLoader.hadoop(tables.warehouse(), "db", "t");
        before = appendEmptyFile();
    }

    @Test
    void columnsAddedAndTypesWidenedSinceAnOlderVersionReadRight() throws Exception {
        table.updateSchema()
                .addColumn("extra", Types.StringType.get())
                .updateColumn("score", Types.LongType.get())
                .commit();

        try (LakeTable lake = loader.load()) {
            LakeStreamSchemaCheck check =
                    new LakeStreamSchemaCheck(currentSchema(lake), loader.describe());
            assertThatCode(() -> check.check(lake, before)).doesNotThrowAnyException();
        }
    }

    @Test
    void aColumnTheJobReadsThatWasDroppedFailsNamingIt() throws Exception {
        LakeReadSchema job;
        try (LakeTable lake = loader.load()) {
            job = currentSchema(lake);
        }
        table.updateSchema().deleteColumn("name").commit();
        long after = appendEmptyFile();

        try (LakeTable lake = loader.load()) {
            LakeStreamSchemaCheck check = new LakeStreamSchemaCheck(job, loader.describe());
            assertThatCode(() -> check.check(lake, before)).doesNotThrowAnyException();
            assertThatThrownBy(() -> check.check(lake, after))
                    .hasMessageContaining("Version " + after + " of Iceberg table db.t")
                    .hasMessageContaining("'name'")
                    .hasMessageContaining("dropped");
        }
    }

    private static LakeReadSchema currentSchema(LakeTable lake) {
        return new LakeReadSchema(
                lake.producedType(OptionalLong.empty(), LakeScanSpec.latest()),
                lake.columnIds(OptionalLong.empty(), LakeScanSpec.latest()));
    }

    private long appendEmptyFile() throws Exception {
        table.refresh();
        IcebergTestTables.append(table, List.of());
        return table.currentSnapshot().snapshotId();
    }
}
