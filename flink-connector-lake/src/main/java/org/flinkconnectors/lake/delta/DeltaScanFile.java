package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.delta.kernel.data.Row;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.utils.FileStatus;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.flinkconnectors.base.serialization.VersionedSerialization.readLongString;
import static org.flinkconnectors.base.serialization.VersionedSerialization.writeLongString;

/**
 * The payload of a Delta split: the parts of a Kernel scan file row that reading the file needs
 * (its path as the log has it, size, modification time, partition values, deletion vector
 * descriptor and row-tracking ids), in a compact binary form, and the scan file row rebuilt from
 * them on the task manager for {@code Scan.transformPhysicalData}. Statistics and tags are left
 * out: they served planning only.
 *
 * <p>Kernel has no public constructor for scan file rows; the rebuilt row follows its {@link
 * InternalScanFileUtils#SCAN_FILE_SCHEMA} and is made with Kernel's own {@link AddFile} helper, so
 * it stays what Kernel reads (the Kernel version is pinned).
 *
 * <p>Format version 1: version byte, path, size, modification time, partition values (count, then
 * key and nullable value), nullable deletion vector (storage type, path or inline data, nullable
 * offset, size in bytes, cardinality), nullable base row id, nullable default row commit version.
 */
@Internal
final class DeltaScanFile {

    private static final byte FORMAT_VERSION_1 = 1;

    private DeltaScanFile() {}

    /**
     * The payload for one scan file row of {@code Scan.getScanFiles}. Strings are written as long
     * strings: paths and inline deletion vectors may exceed the 64 KB of modified UTF-8.
     */
    static byte[] encode(Row scanFile) throws IOException {
        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(FORMAT_VERSION_1);
        writeLongString(InternalScanFileUtils.getFilePath(scanFile), out);
        out.writeLong(status.getSize());
        out.writeLong(status.getModificationTime());
        Map<String, String> partitionValues = InternalScanFileUtils.getPartitionValues(scanFile);
        out.writeInt(partitionValues.size());
        for (Map.Entry<String, String> entry : partitionValues.entrySet()) {
            writeLongString(entry.getKey(), out);
            writeNullableLongString(entry.getValue(), out);
        }
        writeDeletionVector(
                InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile), out);
        writeNullableLong(InternalScanFileUtils.getBaseRowId(scanFile).orElse(null), out);
        writeNullableLong(
                InternalScanFileUtils.getDefaultRowCommitVersion(scanFile).orElse(null), out);
        return out.getCopyOfBuffer();
    }

    /** The scan file row of a payload, for the table at {@code tableRoot} (a URI). */
    static Row decode(byte[] payload, String tableRoot) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(payload);
        byte version = in.readByte();
        if (version != FORMAT_VERSION_1) {
            throw new IOException(
                    "Unknown Delta split payload version "
                            + version
                            + "; this reader knows version "
                            + FORMAT_VERSION_1
                            + ".");
        }
        String path = readLongString(in);
        long size = in.readLong();
        long modificationTime = in.readLong();
        int partitionCount = in.readInt();
        Map<String, String> partitionValues = new LinkedHashMap<>();
        for (int i = 0; i < partitionCount; i++) {
            partitionValues.put(readLongString(in), readNullableLongString(in));
        }
        Optional<DeletionVectorDescriptor> dv = Optional.ofNullable(readDeletionVector(in));
        Optional<Long> baseRowId = Optional.ofNullable(readNullableLong(in));
        Optional<Long> defaultRowCommitVersion = Optional.ofNullable(readNullableLong(in));
        return scanFile(
                path,
                partitionValues,
                size,
                modificationTime,
                dv,
                baseRowId,
                defaultRowCommitVersion,
                tableRoot);
    }

    /**
     * A scan file row of a file the log names (an added or removed data file, a change data file),
     * as Kernel's scan would return it for an added one.
     */
    static Row scanFile(
            String path,
            Map<String, String> partitionValues,
            long size,
            long modificationTime,
            Optional<DeletionVectorDescriptor> dv,
            Optional<Long> baseRowId,
            Optional<Long> defaultRowCommitVersion,
            String tableRoot) {
        Row addFile =
                AddFile.createAddFileRow(
                        null, // the physical schema serves statistics only, which are not kept
                        path,
                        VectorUtils.stringStringMapValue(partitionValues),
                        size,
                        modificationTime,
                        true,
                        dv,
                        Optional.empty(),
                        baseRowId,
                        defaultRowCommitVersion,
                        Optional.empty());
        Map<Integer, Object> fields = new HashMap<>();
        fields.put(InternalScanFileUtils.SCAN_FILE_SCHEMA.indexOf("add"), addFile);
        fields.put(InternalScanFileUtils.SCAN_FILE_SCHEMA.indexOf("tableRoot"), tableRoot);
        return new GenericRow(InternalScanFileUtils.SCAN_FILE_SCHEMA, fields);
    }

    /** A nullable deletion vector descriptor: storage, path or inline data, offset, size, count. */
    static void writeDeletionVector(@Nullable DeletionVectorDescriptor dv, DataOutputSerializer out)
            throws IOException {
        out.writeBoolean(dv != null);
        if (dv != null) {
            writeLongString(dv.getStorageType(), out);
            writeLongString(dv.getPathOrInlineDv(), out);
            writeNullableLong(dv.getOffset().map(Integer::longValue).orElse(null), out);
            out.writeInt(dv.getSizeInBytes());
            out.writeLong(dv.getCardinality());
        }
    }

    @Nullable
    static DeletionVectorDescriptor readDeletionVector(DataInputDeserializer in)
            throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String storageType = readLongString(in);
        String pathOrInline = readLongString(in);
        Long offset = readNullableLong(in);
        return new DeletionVectorDescriptor(
                storageType,
                pathOrInline,
                Optional.ofNullable(offset).map(Long::intValue),
                in.readInt(),
                in.readLong());
    }

    private static void writeNullableLongString(@Nullable String value, DataOutputSerializer out)
            throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeLongString(value, out);
        }
    }

    @Nullable
    private static String readNullableLongString(DataInputDeserializer in) throws IOException {
        return in.readBoolean() ? readLongString(in) : null;
    }

    private static void writeNullableLong(@Nullable Long value, DataOutputSerializer out)
            throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    @Nullable
    private static Long readNullableLong(DataInputDeserializer in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
