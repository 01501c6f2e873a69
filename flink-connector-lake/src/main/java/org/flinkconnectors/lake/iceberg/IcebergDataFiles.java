package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ContentFileParser;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.util.JsonUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The payload of an Iceberg {@link org.flinkconnectors.lake.core.LakeWriteResult}: written data
 * files in Iceberg's own JSON form ({@link ContentFileParser}, the form its REST protocol uses),
 * which keeps metrics, partition values and the spec id and does not depend on Java serialization.
 *
 * <p>Version 1: version (int), file count (int), then per file its JSON (int length + UTF-8).
 */
@Internal
final class IcebergDataFiles {

    static final int VERSION_1 = 1;
    static final int CURRENT_VERSION = VERSION_1;

    private IcebergDataFiles() {}

    static byte[] encode(Collection<DataFile> files, Map<Integer, PartitionSpec> specs)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512 * Math.max(1, files.size()));
        out.writeInt(CURRENT_VERSION);
        out.writeInt(files.size());
        for (DataFile file : files) {
            byte[] json =
                    ContentFileParser.toJson(file, specs.get(file.specId()))
                            .getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
        }
        return out.getCopyOfBuffer();
    }

    /** Reads the files back; {@code specs} are the table's specs by id. */
    static List<DataFile> decode(byte[] payload, Map<Integer, PartitionSpec> specs)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(payload);
        int version = in.readInt();
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "Iceberg data files", version, CURRENT_VERSION);
        }
        int count = in.readInt();
        List<DataFile> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            ContentFile<?> file =
                    JsonUtil.parse(
                            new String(json, StandardCharsets.UTF_8),
                            node -> ContentFileParser.fromJson(node, specs));
            if (!(file instanceof DataFile dataFile)) {
                throw new IOException("Expected a data file but read " + file.content());
            }
            files.add(dataFile);
        }
        return files;
    }
}
