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
 * <p>Version 2: file count (int), record count (long), byte count (long), format payload (int
 * length + bytes; the payload carries the format's own version). Version 1 had no byte count; its
 * results read back with 0 bytes.
 */
@Internal
public final class LakeWriteResultSerializer implements SimpleVersionedSerializer<LakeWriteResult> {

    public static final int VERSION_1 = 1;

    /** Adds the byte count, for the committer's metrics. */
    public static final int VERSION_2 = 2;

    public static final int CURRENT_VERSION = VERSION_2;

    public static final LakeWriteResultSerializer INSTANCE = new LakeWriteResultSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LakeWriteResult result) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(24 + result.files().length);
        out.writeInt(result.fileCount());
        out.writeLong(result.recordCount());
        out.writeLong(result.byteCount());
        VersionedSerialization.writeBytes(result.files(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeWriteResult deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw VersionedSerialization.unknownVersion(
                    "LakeWriteResult", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int fileCount = in.readInt();
        long recordCount = in.readLong();
        long byteCount = version == VERSION_1 ? 0 : in.readLong();
        byte[] files = VersionedSerialization.readBytes(in);
        return new LakeWriteResult(fileCount, recordCount, byteCount, files);
    }
}
