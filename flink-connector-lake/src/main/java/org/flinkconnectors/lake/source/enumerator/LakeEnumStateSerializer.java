package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.base.serialization.VersionedSerialization;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.List;

/**
 * Versioned binary form of {@link LakeEnumState}.
 *
 * <p>Version 1: whether the scan was planned (boolean); whether a version was planned (boolean) and
 * if so the version (long); then the unassigned splits as a list of splits written with their own
 * serializer version.
 */
@Internal
public final class LakeEnumStateSerializer implements SimpleVersionedSerializer<LakeEnumState> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    private final LakeSplitSerializer splitSerializer = LakeSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LakeEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeBoolean(state.planned());
        Long version = state.plannedVersion();
        out.writeBoolean(version != null);
        if (version != null) {
            out.writeLong(version);
        }
        VersionedSerialization.writeVersionedList(splitSerializer, state.unassignedSplits(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public LakeEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion("LakeEnumState", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        boolean planned = in.readBoolean();
        Long plannedVersion = in.readBoolean() ? in.readLong() : null;
        List<LakeSplit> unassigned = VersionedSerialization.readVersionedList(splitSerializer, in);
        return new LakeEnumState(planned, plannedVersion, unassigned);
    }
}
