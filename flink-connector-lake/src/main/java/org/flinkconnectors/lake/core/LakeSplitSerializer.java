package org.flinkconnectors.lake.core;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Versioned binary form of {@link LakeSplit}, for checkpoints and split assignment.
 *
 * <p>Version 1: split id (modified UTF-8), version (long), path (int length + UTF-8 bytes, since
 * object store paths may exceed the 64 KB of modified UTF-8), task payload (int length + bytes),
 * records to skip (long).
 */
@Internal
public final class LakeSplitSerializer implements SimpleVersionedSerializer<LakeSplit> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public static final LakeSplitSerializer INSTANCE = new LakeSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LakeSplit split) throws IOException {
        byte[] path = split.path().getBytes(StandardCharsets.UTF_8);
        DataOutputSerializer out = new DataOutputSerializer(64 + path.length + split.task().length);
        out.writeUTF(split.splitId());
        out.writeLong(split.version());
        VersionedSerialization.writeBytes(path, out);
        VersionedSerialization.writeBytes(split.task(), out);
        out.writeLong(split.recordsToSkip());
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion("LakeSplit", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String splitId = in.readUTF();
        long tableVersion = in.readLong();
        String path = new String(VersionedSerialization.readBytes(in), StandardCharsets.UTF_8);
        byte[] task = VersionedSerialization.readBytes(in);
        return new LakeSplit(splitId, tableVersion, path, task, in.readLong());
    }
}
