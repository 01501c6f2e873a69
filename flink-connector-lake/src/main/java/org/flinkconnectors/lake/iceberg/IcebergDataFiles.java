package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ContentFileParser;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.util.JsonUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The payload of an Iceberg {@link org.flinkconnectors.lake.core.LakeWriteResult}: written data and
 * delete files in Iceberg's own JSON form ({@link ContentFileParser}, the form its REST protocol
 * uses), which keeps metrics, partition values, equality field ids and the spec id and does not
 * depend on Java serialization.
 *
 * <p>Version 1 (data files only): version (int), file count (int), then per file its JSON (int
 * length + UTF-8). Version 2 appends the delete files the same way, then the locations of the data
 * files their position deletes refer to (count, then UTF strings). Both versions are read.
 */
@Internal
final class IcebergDataFiles {

    static final int VERSION_1 = 1;
    static final int VERSION_2 = 2;
    static final int CURRENT_VERSION = VERSION_2;

    private IcebergDataFiles() {}

    /** What one writer wrote for one checkpoint. */
    record Written(
            List<DataFile> dataFiles, List<DeleteFile> deleteFiles, List<String> referenced) {

        int fileCount() {
            return dataFiles.size() + deleteFiles.size();
        }

        boolean isEmpty() {
            return dataFiles.isEmpty() && deleteFiles.isEmpty();
        }

        /** The locations of all data and delete files. */
        List<String> locations() {
            List<String> locations = new java.util.ArrayList<>();
            dataFiles.forEach(file -> locations.add(file.location()));
            deleteFiles.forEach(file -> locations.add(file.location()));
            return locations;
        }
    }

    static byte[] encode(Collection<DataFile> files, Map<Integer, PartitionSpec> specs)
            throws IOException {
        return encode(new Written(List.copyOf(files), List.of(), List.of()), specs);
    }

    static byte[] encode(Written written, Map<Integer, PartitionSpec> specs) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512 * Math.max(1, written.fileCount()));
        out.writeInt(CURRENT_VERSION);
        writeFiles(out, written.dataFiles(), specs);
        writeFiles(out, written.deleteFiles(), specs);
        out.writeInt(written.referenced().size());
        for (String location : written.referenced()) {
            out.writeUTF(location);
        }
        return out.getCopyOfBuffer();
    }

    private static void writeFiles(
            DataOutputSerializer out,
            List<? extends ContentFile<?>> files,
            Map<Integer, PartitionSpec> specs)
            throws IOException {
        out.writeInt(files.size());
        for (ContentFile<?> file : files) {
            VersionedSerialization.writeLongString(
                    ContentFileParser.toJson(file, specs.get(file.specId())), out);
        }
    }

    /**
     * Reads the data files back; {@code specs} are the table's specs by id. Fails if the payload
     * also holds delete files, which only a row delta can commit.
     */
    static List<DataFile> decode(byte[] payload, Map<Integer, PartitionSpec> specs)
            throws IOException {
        Written written = decodeAll(payload, specs);
        if (!written.deleteFiles().isEmpty()) {
            throw new IOException(
                    "Expected only data files but read "
                            + written.deleteFiles().size()
                            + " delete files (written by an upserting sink)");
        }
        return written.dataFiles();
    }

    /** Reads data files, delete files and referenced locations back, of either version. */
    static Written decodeAll(byte[] payload, Map<Integer, PartitionSpec> specs) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(payload);
        int version = in.readInt();
        if (version != VERSION_1 && version != VERSION_2) {
            throw VersionedSerialization.unknownVersion(
                    "Iceberg data files", version, CURRENT_VERSION);
        }
        List<DataFile> dataFiles = readFiles(in, specs, DataFile.class);
        if (version == VERSION_1) {
            return new Written(dataFiles, List.of(), List.of());
        }
        List<DeleteFile> deleteFiles = readFiles(in, specs, DeleteFile.class);
        int referencedCount = in.readInt();
        List<String> referenced = new ArrayList<>(referencedCount);
        for (int i = 0; i < referencedCount; i++) {
            referenced.add(in.readUTF());
        }
        return new Written(dataFiles, deleteFiles, referenced);
    }

    private static <F extends ContentFile<F>> List<F> readFiles(
            DataInputDeserializer in, Map<Integer, PartitionSpec> specs, Class<F> kind)
            throws IOException {
        int count = in.readInt();
        List<F> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ContentFile<?> file =
                    JsonUtil.parse(
                            VersionedSerialization.readLongString(in),
                            node -> ContentFileParser.fromJson(node, specs));
            if (!kind.isInstance(file)) {
                throw new IOException(
                        "Expected a " + kind.getSimpleName() + " but read " + file.content());
            }
            files.add(kind.cast(file));
        }
        return files;
    }
}
