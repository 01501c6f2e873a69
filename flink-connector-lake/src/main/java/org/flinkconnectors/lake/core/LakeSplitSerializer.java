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
 *
 * <p>Version 2: version 1's fields, then the change phase's {@link LakeSplit.ChangePhase#code()
 * code} (byte, 0 for a split of a plain read) and, for a change split, the routing key (int length
 * + UTF-8 bytes).
 */
@Internal
public final class LakeSplitSerializer implements SimpleVersionedSerializer<LakeSplit> {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

    private static final byte NO_CHANGE_PHASE = 0;

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
        if (split.changePhase().isPresent()) {
            out.writeByte(split.changePhase().get().code());
            VersionedSerialization.writeBytes(
                    split.routingKey().orElseThrow().getBytes(StandardCharsets.UTF_8), out);
        } else {
            out.writeByte(NO_CHANGE_PHASE);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw VersionedSerialization.unknownVersion("LakeSplit", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String splitId = in.readUTF();
        long tableVersion = in.readLong();
        String path = new String(VersionedSerialization.readBytes(in), StandardCharsets.UTF_8);
        byte[] task = VersionedSerialization.readBytes(in);
        long recordsToSkip = in.readLong();
        if (version == VERSION_1) {
            return new LakeSplit(splitId, tableVersion, path, task, recordsToSkip);
        }
        byte phaseCode = in.readByte();
        if (phaseCode == NO_CHANGE_PHASE) {
            return new LakeSplit(splitId, tableVersion, path, task, recordsToSkip);
        }
        LakeSplit.ChangePhase phase;
        try {
            phase = LakeSplit.ChangePhase.fromCode(phaseCode);
        } catch (IllegalArgumentException e) {
            throw new IOException("Corrupt LakeSplit " + splitId + ": " + e.getMessage(), e);
        }
        String routingKey =
                new String(VersionedSerialization.readBytes(in), StandardCharsets.UTF_8);
        return new LakeSplit(splitId, tableVersion, path, task, recordsToSkip, phase, routingKey);
    }
}
