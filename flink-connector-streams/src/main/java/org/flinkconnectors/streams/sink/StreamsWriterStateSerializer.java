package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Versioned serializer of {@link StreamsWriterState}. */
@Internal
public class StreamsWriterStateSerializer implements SimpleVersionedSerializer<StreamsWriterState> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

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
        out.writeInt(state.getPending().size());
        for (StreamsCommittable committable : state.getPending()) {
            StreamsCommittableSerializer.write(committable, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public StreamsWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "StreamsWriterState", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String prefix = in.readUTF();
        int parallelism = in.readInt();
        int subtaskId = in.readInt();
        int poolSize = in.readInt();
        int pendingCount = in.readInt();
        List<StreamsCommittable> pending = new ArrayList<>(pendingCount);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(StreamsCommittableSerializer.read(in));
        }
        return new StreamsWriterState(prefix, parallelism, subtaskId, poolSize, pending);
    }
}
