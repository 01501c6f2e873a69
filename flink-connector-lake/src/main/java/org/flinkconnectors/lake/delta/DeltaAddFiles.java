package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.json.JsonUtils;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.flinkconnectors.base.serialization.VersionedSerialization.readLongString;
import static org.flinkconnectors.base.serialization.VersionedSerialization.writeLongString;

/**
 * The payload of a Delta {@code LakeWriteResult}: the append actions Kernel generated for the
 * written files ({@code add} with path, size, partition values and statistics), in Kernel's JSON
 * form of each action row, after a format version byte and the rows' schema.
 */
@Internal
final class DeltaAddFiles {

    private static final int VERSION = 1;

    private DeltaAddFiles() {}

    static byte[] encode(List<Row> actions) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        out.writeByte(VERSION);
        out.writeInt(actions.size());
        if (!actions.isEmpty()) {
            // Statistics of wide tables can exceed writeUTF's 64 KiB, hence long strings.
            writeLongString(actions.get(0).getSchema().toJson(), out);
            for (Row action : actions) {
                writeLongString(JsonUtils.rowToJson(action), out);
            }
        }
        return out.getCopyOfBuffer();
    }

    static List<Row> decode(byte[] payload) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(payload);
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException("Unknown version " + version + " of Delta write results");
        }
        int count = in.readInt();
        List<Row> actions = new ArrayList<>(count);
        if (count > 0) {
            StructType schema = DataTypeJsonSerDe.deserializeStructType(readLongString(in));
            for (int i = 0; i < count; i++) {
                actions.add(JsonUtils.rowFromJson(readLongString(in), schema));
            }
        }
        return actions;
    }
}
