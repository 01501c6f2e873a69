package org.flinkconnectors.lake.testutils;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * Real Iceberg tables in a Hadoop catalog on a local directory, written with Iceberg's own generic
 * Parquet writers: the fixtures the lake source tests read. Rows are {@code (id BIGINT NOT NULL,
 * name STRING)} with {@code name = "name-<id>"}.
 */
public final class IcebergTestTables {

    public static final String DATABASE = "db";

    public static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()));

    private final HadoopCatalog catalog;
    private final String warehouse;

    public IcebergTestTables(Path warehouse) {
        this.warehouse = warehouse.toUri().toString();
        this.catalog = new HadoopCatalog(new Configuration(), this.warehouse);
    }

    public String warehouse() {
        return warehouse;
    }

    /** A new unpartitioned v2 table of {@link #SCHEMA} (row-level deletes need v2). */
    public Table create(String name) {
        return create(name, SCHEMA);
    }

    /** A new unpartitioned v2 table. */
    public Table create(String name, Schema schema) {
        return catalog.createTable(
                TableIdentifier.of(DATABASE, name),
                schema,
                PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2"));
    }

    /** A new v2 table partitioned by the spec. */
    public Table create(String name, Schema schema, PartitionSpec spec) {
        return catalog.createTable(
                TableIdentifier.of(DATABASE, name),
                schema,
                spec,
                Map.of(TableProperties.FORMAT_VERSION, "2"));
    }

    /** The table as the catalog has it now. */
    public Table load(String name) {
        return catalog.loadTable(TableIdentifier.of(DATABASE, name));
    }

    /** The data files of the table's current snapshot. */
    public static List<DataFile> dataFiles(Table table) throws IOException {
        List<DataFile> files = new java.util.ArrayList<>();
        try (var tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        }
        return files;
    }

    /** Drops the table and deletes its files. */
    public void drop(String name) {
        catalog.dropTable(TableIdentifier.of(DATABASE, name), true);
    }

    /** Writes rows {@code fromId..toId-1} into one Parquet file, not yet committed. */
    public static DataFile writeDataFile(Table table, long fromId, long toId) throws IOException {
        GenericAppenderFactory factory = new GenericAppenderFactory(table.schema());
        DataWriter<Record> writer =
                factory.newDataWriter(newFile(table, "data"), FileFormat.PARQUET, null);
        try (writer) {
            LongStream.range(fromId, toId).forEach(id -> writer.write(row(id)));
        }
        return writer.toDataFile();
    }

    /** Appends the records as one Parquet file in a new snapshot. */
    public static void append(Table table, List<Record> records) throws IOException {
        GenericAppenderFactory factory = new GenericAppenderFactory(table.schema());
        DataWriter<Record> writer =
                factory.newDataWriter(newFile(table, "data"), FileFormat.PARQUET, null);
        try (writer) {
            records.forEach(writer::write);
        }
        table.newAppend().appendFile(writer.toDataFile()).commit();
    }

    /** Appends rows {@code fromId..toId-1} as one file in a new snapshot; returns its id. */
    public static long append(Table table, long fromId, long toId) throws IOException {
        table.newAppend().appendFile(writeDataFile(table, fromId, toId)).commit();
        return table.currentSnapshot().snapshotId();
    }

    /** Deletes the rows with these ids through an equality delete file, in a new snapshot. */
    public static long deleteIds(Table table, long... ids) throws IOException {
        Schema idOnly = table.schema().select("id");
        GenericAppenderFactory factory =
                new GenericAppenderFactory(
                        table.schema(),
                        PartitionSpec.unpartitioned(),
                        new int[] {table.schema().findField("id").fieldId()},
                        idOnly,
                        null);
        EqualityDeleteWriter<Record> writer =
                factory.newEqDeleteWriter(newFile(table, "eq-deletes"), FileFormat.PARQUET, null);
        try (writer) {
            for (long id : ids) {
                GenericRecord key = GenericRecord.create(idOnly);
                key.setField("id", id);
                writer.write(key);
            }
        }
        return commitDeletes(table, writer.toDeleteFile());
    }

    /** Deletes rows at these positions of a data file through a position delete file. */
    public static long deletePositions(Table table, DataFile file, long... positions)
            throws IOException {
        GenericAppenderFactory factory = new GenericAppenderFactory(table.schema());
        PositionDeleteWriter<Record> writer =
                factory.newPosDeleteWriter(newFile(table, "pos-deletes"), FileFormat.PARQUET, null);
        try (writer) {
            for (long position : positions) {
                writer.write(PositionDelete.<Record>create().set(file.location(), position));
            }
        }
        return commitDeletes(table, writer.toDeleteFile());
    }

    private static long commitDeletes(Table table, DeleteFile deletes) {
        table.newRowDelta().addDeletes(deletes).commit();
        return table.currentSnapshot().snapshotId();
    }

    public static GenericRecord row(long id) {
        GenericRecord row = GenericRecord.create(SCHEMA);
        row.setField("id", id);
        row.setField("name", "name-" + id);
        return row;
    }

    /** {@code "<id>,name-<id>"} for each id in {@code fromId..toId-1}. */
    public static List<String> expected(long fromId, long toId) {
        return LongStream.range(fromId, toId).mapToObj(id -> id + ",name-" + id).toList();
    }

    private static EncryptedOutputFile newFile(Table table, String kind) {
        String name = kind + "-" + UUID.randomUUID() + ".parquet";
        return EncryptedFiles.plainAsEncryptedOutput(
                table.io().newOutputFile(table.locationProvider().newDataLocation(name)));
    }
}
