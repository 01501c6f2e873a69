package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.iceberg.ContentFileParser;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.ScanTaskParser;
import org.apache.iceberg.util.JsonUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The payload of an Iceberg change split: a piece of a data file read with the delete files of its
 * {@link FileScanTask}, and which of the rows that survive them are the change.
 *
 * <ul>
 *   <li>{@link Rows#ALL}: every surviving row; the rows of a data file a snapshot added (read with
 *       the position deletes and deletion vectors the same snapshot wrote for it), or the rows a
 *       removed data file had at the parent (read with the parent's deletes).
 *   <li>{@link Rows#DELETED_BY_ADDED}: only the surviving rows that the snapshot's {@link
 *       #addedDeletes() added delete files} delete; the task carries the parent's deletes, so a
 *       deletion vector that replaces an older one yields only the newly deleted positions.
 * </ul>
 *
 * <p>Binary form (format 1): format (byte), rows code (byte), the task as Iceberg's scan task JSON
 * (int length + UTF-8), the number of added delete files (int) and for each its partition spec and
 * the file as Iceberg's JSON (each int length + UTF-8): an equality delete's spec may differ from
 * the data file's, and the split must not depend on the specs the reader knows.
 */
@Internal
final class IcebergChangeTask {

    private static final byte FORMAT_1 = 1;

    /** Which surviving rows of the task are the change. */
    enum Rows {
        ALL((byte) 1),
        DELETED_BY_ADDED((byte) 2);

        private final byte code;

        Rows(byte code) {
            this.code = code;
        }

        static Rows fromCode(byte code) throws IOException {
            for (Rows rows : values()) {
                if (rows.code == code) {
                    return rows;
                }
            }
            throw new IOException("Unknown Iceberg change rows code " + code);
        }
    }

    private final Rows rows;
    private final FileScanTask task;
    private final List<DeleteFile> addedDeletes;

    private IcebergChangeTask(Rows rows, FileScanTask task, List<DeleteFile> addedDeletes) {
        this.rows = rows;
        this.task = task;
        this.addedDeletes = List.copyOf(addedDeletes);
    }

    static IcebergChangeTask allRows(FileScanTask task) {
        return new IcebergChangeTask(Rows.ALL, task, List.of());
    }

    static IcebergChangeTask deletedBy(FileScanTask task, List<DeleteFile> addedDeletes) {
        if (addedDeletes.isEmpty()) {
            throw new IllegalArgumentException(
                    "No added delete files for the deleted rows of " + task.file().location());
        }
        return new IcebergChangeTask(Rows.DELETED_BY_ADDED, task, addedDeletes);
    }

    Rows rows() {
        return rows;
    }

    FileScanTask task() {
        return task;
    }

    List<DeleteFile> addedDeletes() {
        return addedDeletes;
    }

    byte[] toBytes(Map<Integer, PartitionSpec> specs) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        out.writeByte(FORMAT_1);
        out.writeByte(rows.code);
        writeString(ScanTaskParser.toJson(task), out);
        out.writeInt(addedDeletes.size());
        for (DeleteFile delete : addedDeletes) {
            PartitionSpec spec = specs.get(delete.specId());
            writeString(PartitionSpecParser.toJson(spec), out);
            writeString(ContentFileParser.toJson(delete, spec), out);
        }
        return out.getCopyOfBuffer();
    }

    static IcebergChangeTask fromBytes(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        byte format = in.readByte();
        if (format != FORMAT_1) {
            throw new IOException(
                    "Unknown Iceberg change task format " + format + "; this reader knows 1");
        }
        Rows rows = Rows.fromCode(in.readByte());
        FileScanTask task = ScanTaskParser.fromJson(readString(in), true);
        int count = in.readInt();
        List<DeleteFile> deletes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PartitionSpec spec = PartitionSpecParser.fromJson(task.schema(), readString(in));
            deletes.add(
                    (DeleteFile)
                            JsonUtil.parse(
                                    readString(in),
                                    node -> ContentFileParser.fromJson(node, spec)));
        }
        return new IcebergChangeTask(rows, task, deletes);
    }

    private static void writeString(String value, DataOutputSerializer out) throws IOException {
        VersionedSerialization.writeBytes(value.getBytes(StandardCharsets.UTF_8), out);
    }

    private static String readString(DataInputDeserializer in) throws IOException {
        return new String(VersionedSerialization.readBytes(in), StandardCharsets.UTF_8);
    }
}
