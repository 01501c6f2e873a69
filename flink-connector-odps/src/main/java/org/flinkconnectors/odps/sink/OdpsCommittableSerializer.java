package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned serializer of {@link OdpsCommittable}. Version 1 (upload sessions only), version 2
 * (adds the session type, by name) and version 3 (adds the bytes sent, last) are frozen by byte
 * fixtures; version 1 still deserializes, as an upload session, and versions 1 and 2 with 0 bytes.
 */
@Internal
public final class OdpsCommittableSerializer implements SimpleVersionedSerializer<OdpsCommittable> {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int VERSION_3 = 3;
    public static final int CURRENT_VERSION = VERSION_3;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(OdpsCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF(committable.type().id());
        out.writeUTF(committable.project());
        out.writeUTF(committable.table());
        out.writeUTF(committable.partition());
        out.writeUTF(committable.sessionId());
        long[] blocks = committable.blockIds();
        out.writeInt(blocks.length);
        for (long block : blocks) {
            out.writeLong(block);
        }
        out.writeLong(committable.rowCount());
        out.writeLong(committable.byteCount());
        return out.getCopyOfBuffer();
    }

    @Override
    public OdpsCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version < VERSION_1 || version > VERSION_3) {
            throw VersionedSerialization.unknownVersion(
                    "OdpsCommittable", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        OdpsCommittable.SessionType type = OdpsCommittable.SessionType.UPLOAD;
        if (version >= VERSION_2) {
            String id = in.readUTF();
            try {
                type = OdpsCommittable.SessionType.ofId(id);
            } catch (IllegalArgumentException e) {
                throw new IOException("Unknown OdpsCommittable session type '" + id + "'", e);
            }
        }
        String project = in.readUTF();
        String table = in.readUTF();
        String partition = in.readUTF();
        String session = in.readUTF();
        long[] blocks = new long[in.readInt()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = in.readLong();
        }
        long rows = in.readLong();
        long bytes = version >= VERSION_3 ? in.readLong() : 0;
        return new OdpsCommittable(type, project, table, partition, session, blocks, rows, bytes);
    }
}
