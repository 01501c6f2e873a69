package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned binary form of {@link LakeWriteResult}, for the writers' results on their way to the
 * aggregating operator (and in unaligned checkpoints' channel state).
 *
 * <p>Version 1: file count (int), record count (long), format payload (int length + bytes; the
 * payload carries the format's own version).
 */
@Internal
public final class LakeWriteResultSerializer implements SimpleVersionedSerializer<LakeWriteResult> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public static final LakeWriteResultSerializer INSTANCE = new LakeWriteResultSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LakeWriteResult result) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16 + result.files().length);
        out.writeInt(result.fileCount());
        out.writeLong(result.recordCount());
        VersionedSerialization.writeBytes(result.files(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeWriteResult deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "LakeWriteResult", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int fileCount = in.readInt();
        long recordCount = in.readLong();
        byte[] files = VersionedSerialization.readBytes(in);
        return new LakeWriteResult(fileCount, recordCount, files);
    }
}
