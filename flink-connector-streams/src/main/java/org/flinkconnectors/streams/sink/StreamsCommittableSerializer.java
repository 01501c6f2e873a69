package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Versioned serializer of {@link StreamsCommittable}. */
@Internal
public class StreamsCommittableSerializer implements SimpleVersionedSerializer<StreamsCommittable> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(StreamsCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        write(committable, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public StreamsCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "StreamsCommittable", version, CURRENT_VERSION);
        }
        return read(new DataInputDeserializer(serialized));
    }

    static void write(StreamsCommittable committable, DataOutputView out) throws IOException {
        out.writeUTF(committable.getTransactionalId());
        out.writeLong(committable.getProducerId());
        out.writeShort(committable.getEpoch());
    }

    static StreamsCommittable read(DataInputView in) throws IOException {
        return new StreamsCommittable(in.readUTF(), in.readLong(), in.readShort());
    }
}
