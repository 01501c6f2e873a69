package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeSchemaCheck;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.core.LakeWriterFactory;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.util.PropertyUtil;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates Iceberg writers from Iceberg's own {@link RowDataTaskWriterFactory}: Flink {@code
 * RowData} into Parquet, ORC or Avro files of the table's current schema and partition spec, named
 * by subtask and attempt so a restarted attempt never overwrites a file of the failed one.
 *
 * <p>An upserting factory ({@link #createUpsert}) passes the key's field ids as equality fields
 * with {@code upsert = true}: every insert or update first deletes its key, a delete deletes its
 * key, and an {@code UPDATE_BEFORE} is dropped.
 */
@Internal
final class IcebergWriterFactory implements LakeWriterFactory {

    private static final long serialVersionUID = 1L;

    /** A serializable copy: file IO, location provider, specs; no catalog connection. */
    private final Table table;

    private final RowType rowType;
    private final long targetFileSizeBytes;
    private final FileFormat format;

    /** Empty when appending. */
    private final List<Integer> equalityFieldIds;

    private IcebergWriterFactory(
            Table table,
            RowType rowType,
            long targetFileSizeBytes,
            FileFormat format,
            List<Integer> equalityFieldIds) {
        this.table = table;
        this.rowType = rowType;
        this.targetFileSizeBytes = targetFileSizeBytes;
        this.format = format;
        this.equalityFieldIds = equalityFieldIds;
    }

    static IcebergWriterFactory create(
            Table table, String name, RowType rowType, LakeWriteSpec spec) {
        return create(table, name, rowType, spec, List.of());
    }

    /**
     * Writes an upsert changelog keyed by {@code keyColumns}; fails naming the problem if the table
     * cannot take equality deletes on that key (see {@link IcebergUpsertCheck}).
     */
    static IcebergWriterFactory createUpsert(
            Table table,
            String name,
            RowType rowType,
            LakeWriteSpec spec,
            List<String> keyColumns) {
        return create(
                table,
                name,
                rowType,
                spec,
                IcebergUpsertCheck.equalityFieldIds(table, name, keyColumns));
    }

    private static IcebergWriterFactory create(
            Table table,
            String name,
            RowType rowType,
            LakeWriteSpec spec,
            List<Integer> equalityFieldIds) {
        if (spec.bufferMemoryBytes() != null) {
            throw new IllegalArgumentException(
                    "A buffer memory budget does not apply to "
                            + name
                            + ": Iceberg's writers stream rows into one open file per partition"
                            + " (Parquet buffers a row group of each, 'write.parquet.row-group-size-"
                            + "bytes'); key the rows by partition ('sink.distribution-mode' ="
                            + " 'hash') to bound how many files a writer keeps open.");
        }
        LakeSchemaCheck.checkFits(name, FlinkSchemaUtil.convert(table.schema()), rowType);
        long targetSize =
                spec.targetFileSizeBytes() != null
                        ? spec.targetFileSizeBytes()
                        : PropertyUtil.propertyAsLong(
                                table.properties(),
                                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        FileFormat format =
                FileFormat.fromString(
                        table.properties()
                                .getOrDefault(
                                        TableProperties.DEFAULT_FILE_FORMAT,
                                        TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
        return new IcebergWriterFactory(
                SerializableTable.copyOf(table),
                rowType,
                targetSize,
                format,
                List.copyOf(equalityFieldIds));
    }

    @Override
    public LakeDataWriter create(int subtaskId, int numberOfSubtasks, int attemptNumber) {
        RowDataTaskWriterFactory taskWriters =
                new RowDataTaskWriterFactory(
                        table,
                        rowType,
                        targetFileSizeBytes,
                        format,
                        new HashMap<>(table.properties()),
                        equalityFieldIds,
                        !equalityFieldIds.isEmpty());
        taskWriters.initialize(subtaskId, attemptNumber);
        Map<Integer, PartitionSpec> specs = table.specs();
        return new IcebergDataWriter(taskWriters, specs);
    }
}
