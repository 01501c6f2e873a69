package org.flinkconnectors.odps.source.split;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned binary form of {@link OdpsSplit}, for checkpoints and for the RPC that assigns splits.
 *
 * <p>Version 1: partition spec and session id (modified UTF-8), then start row, row count and rows
 * read (longs).
 */
@Internal
public final class OdpsSplitSerializer implements SimpleVersionedSerializer<OdpsSplit> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public static final OdpsSplitSerializer INSTANCE = new OdpsSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(OdpsSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(96);
        out.writeUTF(split.getPartitionSpec());
        out.writeUTF(split.getSessionId());
        out.writeLong(split.getStartRow());
        out.writeLong(split.getRowCount());
        out.writeLong(split.getRowsRead());
        return out.getCopyOfBuffer();
    }

    @Override
    public OdpsSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion("OdpsSplit", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        return new OdpsSplit(
                in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong());
    }
}
