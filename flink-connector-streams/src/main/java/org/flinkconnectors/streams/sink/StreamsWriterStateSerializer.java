package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned serializer of {@link StreamsWriterState}. Version 1 embedded its committables in the
 * unversioned version-1 layout; version 2 writes each with its own serializer version.
 */
@Internal
public class StreamsWriterStateSerializer implements SimpleVersionedSerializer<StreamsWriterState> {

    public static final int VERSION_1 = 1;

    /** Nested committables carry their own version (and so the checkpoint id). */
    public static final int VERSION_2 = 2;

    public static final int CURRENT_VERSION = VERSION_2;

    private final StreamsCommittableSerializer committables = new StreamsCommittableSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(StreamsWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF(state.getTransactionalIdPrefix());
        out.writeInt(state.getParallelism());
        out.writeInt(state.getSubtaskId());
        out.writeInt(state.getPoolSize());
        VersionedSerialization.writeVersionedList(committables, state.getPending(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public StreamsWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw VersionedSerialization.unknownVersion(
                    "StreamsWriterState", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String prefix = in.readUTF();
        int parallelism = in.readInt();
        int subtaskId = in.readInt();
        int poolSize = in.readInt();
        List<StreamsCommittable> pending;
        if (version == VERSION_1) {
            int count = in.readInt();
            pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pending.add(StreamsCommittableSerializer.readVersion1(in));
            }
        } else {
            pending = VersionedSerialization.readVersionedList(committables, in);
        }
        return new StreamsWriterState(prefix, parallelism, subtaskId, poolSize, pending);
    }
}
