package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;
import org.flinkconnectors.lake.core.LakeCommitId;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned binary form of {@link LakeCommittable}, kept in the committer's checkpointed state
 * until the commit succeeded.
 *
 * <p>Version 1: job id, operator id (modified UTF-8), checkpoint id (long), then the write results
 * as a list of values each written with its {@link LakeWriteResultSerializer} version.
 */
@Internal
public final class LakeCommittableSerializer implements SimpleVersionedSerializer<LakeCommittable> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public static final LakeCommittableSerializer INSTANCE = new LakeCommittableSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LakeCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        LakeCommitId id = committable.commitId();
        out.writeUTF(id.jobId());
        out.writeUTF(id.operatorId());
        out.writeLong(id.checkpointId());
        VersionedSerialization.writeVersionedList(
                LakeWriteResultSerializer.INSTANCE, committable.writeResults(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "LakeCommittable", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        LakeCommitId id = new LakeCommitId(in.readUTF(), in.readUTF(), in.readLong());
        return new LakeCommittable(
                id,
                VersionedSerialization.readVersionedList(LakeWriteResultSerializer.INSTANCE, in));
    }
}
