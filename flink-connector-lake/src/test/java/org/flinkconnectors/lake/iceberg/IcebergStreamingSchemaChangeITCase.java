package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.testutils.IcebergTestTables;
import org.flinkconnectors.lake.testutils.LakeSchemaChangeTestBase;

import org.apache.flink.core.execution.JobClient;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema changes while a streaming read of an Iceberg table runs; see {@link
 * LakeSchemaChangeTestBase}. Iceberg reads files by field id, so a renamed column keeps its values.
 * Also: a widened type (int to long) fails the job, which emits the type it started with.
 */
class IcebergStreamingSchemaChangeITCase extends LakeSchemaChangeTestBase {

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;

    @BeforeEach
    void createTable() {
        tables = new IcebergTestTables(warehouse);
        table =
                tables.create(
                        "stream",
                        new Schema(
                                Types.NestedField.required(1, "id", Types.LongType.get()),
                                Types.NestedField.optional(2, "name", Types.StringType.get()),
                                Types.NestedField.optional(3, "score", Types.IntegerType.get())));
    }

    @Test
    void aWidenedTypeTheJobReadsFailsTheJobForGood() throws Exception {
        long first = append(0, 10);
        JobClient job = start(source(LakeStartingPosition.version(first)));
        awaitRows(10);

        table.updateSchema().updateColumn("score", Types.LongType.get()).commit();
        long widened = append(10, 20);

        assertFailsForGood(job, widened, "'score'", "changed its type from INT to BIGINT");
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(expected(0, 10));
    }

    @Override
    protected long append(long from, long to) throws Exception {
        table.refresh();
        Schema schema = table.schema();
        List<Record> records = new ArrayList<>();
        for (long id = from; id < to; id++) {
            GenericRecord row = GenericRecord.create(schema);
            for (Types.NestedField field : schema.columns()) {
                row.setField(field.name(), value(field, id));
            }
            records.add(row);
        }
        IcebergTestTables.append(table, records);
        return table.currentSnapshot().snapshotId();
    }

    private static Object value(Types.NestedField field, long id) {
        switch (field.fieldId()) {
            case 1:
                return id;
            case 2:
                return "name-" + id;
            case 3:
                return field.type().equals(Types.LongType.get()) ? (Object) id : (Object) (int) id;
            default:
                return "extra-" + id;
        }
    }

    @Override
    protected void addColumn() {
        table.updateSchema().addColumn("extra", Types.StringType.get()).commit();
    }

    @Override
    protected void dropName() {
        table.updateSchema().deleteColumn("name").commit();
    }

    @Override
    protected void renameName() {
        table.updateSchema().renameColumn("name", "label").commit();
    }

    @Override
    protected LakeTableLoader loader() {
        return IcebergTableLoader.hadoop(tables.warehouse(), "db", "stream");
    }
}
