package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned serializer of {@link StreamsCommittable}. Version 1 has no checkpoint id; such
 * committables read back with {@link StreamsCommittable#UNKNOWN_CHECKPOINT}. Versions 1 and 2 have
 * no record and byte counts; they read back as 0.
 */
@Internal
public class StreamsCommittableSerializer implements SimpleVersionedSerializer<StreamsCommittable> {

    public static final int VERSION_1 = 1;

    /** Adds the checkpoint id. */
    public static final int VERSION_2 = 2;

    /** Adds the record and byte counts of the transaction, for the committer's metrics. */
    public static final int VERSION_3 = 3;

    public static final int CURRENT_VERSION = VERSION_3;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(StreamsCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(committable.getTransactionalId());
        out.writeLong(committable.getProducerId());
        out.writeShort(committable.getEpoch());
        out.writeLong(committable.getCheckpointId());
        out.writeLong(committable.getRecordCount());
        out.writeLong(committable.getByteCount());
        return out.getCopyOfBuffer();
    }

    @Override
    public StreamsCommittable deserialize(int version, byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        switch (version) {
            case VERSION_1:
                return readVersion1(in);
            case VERSION_2:
                return new StreamsCommittable(
                        in.readUTF(), in.readLong(), in.readShort(), in.readLong());
            case VERSION_3:
                return new StreamsCommittable(
                        in.readUTF(),
                        in.readLong(),
                        in.readShort(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong());
            default:
                throw VersionedSerialization.unknownVersion(
                        "StreamsCommittable", version, CURRENT_VERSION);
        }
    }

    /** Reads the unversioned version-1 layout that version-1 writer states embed. */
    static StreamsCommittable readVersion1(DataInputView in) throws IOException {
        return new StreamsCommittable(
                in.readUTF(), in.readLong(), in.readShort(), StreamsCommittable.UNKNOWN_CHECKPOINT);
    }
}
