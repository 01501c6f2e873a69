package org.flinkconnectors.lake.iceberg;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.DeleteWriteResult;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * Writes the data files, equality deletes, position deletes and deletion vectors of the changelog
 * tests with Iceberg's generic writers, the file kinds Flink upsert writers and Spark merge-on-read
 * produce. Rows are {@code (id BIGINT NOT NULL, name STRING, part STRING)}.
 */
final class IcebergChangeFixtures {

    static final String DATABASE = "db";

    static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "part", Types.StringType.get()));

    private IcebergChangeFixtures() {}

    static Table create(String warehouse, String name, PartitionSpec spec, int formatVersion) {
        return new HadoopCatalog(new Configuration(), warehouse)
                .createTable(
                        TableIdentifier.of(DATABASE, name),
                        SCHEMA,
                        spec,
                        Map.of(TableProperties.FORMAT_VERSION, String.valueOf(formatVersion)));
    }

    static Record row(long id, String name, String part) {
        GenericRecord row = GenericRecord.create(SCHEMA);
        row.setField("id", id);
        row.setField("name", name);
        row.setField("part", part);
        return row;
    }

    /** Rows {@code (id, "name-<id>", part)} for ids {@code from..to-1}. */
    static List<Record> rows(long from, long to, String part) {
        return LongStream.range(from, to).mapToObj(id -> row(id, "name-" + id, part)).toList();
    }

    /** One Parquet data file of the rows, which must share a partition; not committed. */
    static DataFile dataFile(Table table, List<Record> rows) throws IOException {
        DataWriter<Record> writer =
                new GenericAppenderFactory(table.schema(), table.spec())
                        .newDataWriter(
                                newFile(table, "data"),
                                FileFormat.PARQUET,
                                partition(table, rows.get(0)));
        try (writer) {
            rows.forEach(writer::write);
        }
        return writer.toDataFile();
    }

    /** An equality delete file on {@code id} in the partition of {@code part}; not committed. */
    static DeleteFile equalityDeletes(Table table, String part, long... ids) throws IOException {
        Schema idOnly = table.schema().select("id");
        EqualityDeleteWriter<Record> writer =
                new GenericAppenderFactory(
                                table.schema(),
                                table.spec(),
                                new int[] {table.schema().findField("id").fieldId()},
                                idOnly,
                                null)
                        .newEqDeleteWriter(
                                newFile(table, "eq-deletes"),
                                FileFormat.PARQUET,
                                partition(table, row(0, null, part)));
        try (writer) {
            for (long id : ids) {
                GenericRecord key = GenericRecord.create(idOnly);
                key.setField("id", id);
                writer.write(key);
            }
        }
        return writer.toDeleteFile();
    }

    /** A v2 position delete file for positions of one data file; not committed. */
    static DeleteFile positionDeletes(Table table, DataFile file, long... positions)
            throws IOException {
        PositionDeleteWriter<Record> writer =
                new GenericAppenderFactory(table.schema(), table.spec())
                        .newPosDeleteWriter(
                                newFile(table, "pos-deletes"),
                                FileFormat.PARQUET,
                                file.partition());
        try (writer) {
            for (long position : positions) {
                writer.write(PositionDelete.<Record>create().set(file.location(), position));
            }
        }
        return writer.toDeleteFile();
    }

    /**
     * A v3 deletion vector for positions of one data file, merged with the file's current one as
     * Iceberg writers do; the result names the replaced vector in its rewritten delete files.
     */
    static DeleteWriteResult deletionVector(
            Table table, DataFile file, DeleteFile previous, long... positions) throws IOException {
        BaseDeleteLoader loader = new BaseDeleteLoader(d -> table.io().newInputFile(d.location()));
        BaseDVFileWriter writer =
                new BaseDVFileWriter(
                        () ->
                                table.io()
                                        .newOutputFile(
                                                table.locationProvider()
                                                        .newDataLocation(
                                                                "dv-"
                                                                        + UUID.randomUUID()
                                                                        + ".puffin")),
                        path ->
                                previous == null
                                        ? null
                                        : loader.loadPositionDeletes(List.of(previous), path));
        try (writer) {
            for (long position : positions) {
                writer.delete(file.location(), position, table.spec(), file.partition());
            }
        }
        return writer.result();
    }

    private static StructLike partition(Table table, Record row) {
        if (table.spec().isUnpartitioned()) {
            return null;
        }
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        key.partition(row);
        return key;
    }

    private static EncryptedOutputFile newFile(Table table, String kind) {
        String name = kind + "-" + UUID.randomUUID() + ".parquet";
        return EncryptedFiles.plainAsEncryptedOutput(
                table.io().newOutputFile(table.locationProvider().newDataLocation(name)));
    }
}
