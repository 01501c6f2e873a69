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
 * <p>Version 2: write id, job id, operator id (modified UTF-8), checkpoint id (long), then the
 * write results as a list of values each written with its {@link LakeWriteResultSerializer}
 * version. Version 1 had no write id; its commits were keyed by the job id, which a version 1
 * committable therefore keeps as its write id, so the commit it may already have made is still
 * found.
 */
@Internal
public final class LakeCommittableSerializer implements SimpleVersionedSerializer<LakeCommittable> {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

    public static final LakeCommittableSerializer INSTANCE = new LakeCommittableSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LakeCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        LakeCommitId id = committable.commitId();
        out.writeUTF(id.writeId());
        out.writeUTF(id.jobId());
        out.writeUTF(id.operatorId());
        out.writeLong(id.checkpointId());
        VersionedSerialization.writeVersionedList(
                LakeWriteResultSerializer.INSTANCE, committable.writeResults(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw VersionedSerialization.unknownVersion(
                    "LakeCommittable", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        LakeCommitId id;
        if (version == VERSION_1) {
            String jobId = in.readUTF();
            id = new LakeCommitId(jobId, jobId, in.readUTF(), in.readLong());
        } else {
            id = new LakeCommitId(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong());
        }
        return new LakeCommittable(
                id,
                VersionedSerialization.readVersionedList(LakeWriteResultSerializer.INSTANCE, in));
    }
}
