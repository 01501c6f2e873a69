package org.flinkconnectors.streams.source.enumerator;

import org.flinkconnectors.base.serialization.VersionedSerialization;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.List;

/**
 * Versioned binary form of {@link StreamsEnumState}.
 *
 * <p>Version 1: the initial-discovery flag (boolean), then the assigned and the unassigned splits,
 * each a list of splits written with their own serializer version.
 */
@Internal
public final class StreamsEnumStateSerializer
        implements SimpleVersionedSerializer<StreamsEnumState> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    private final StreamsPartitionSplitSerializer splitSerializer =
            StreamsPartitionSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(StreamsEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeBoolean(state.isInitialDiscoveryFinished());
        VersionedSerialization.writeVersionedList(splitSerializer, state.getAssignedSplits(), out);
        VersionedSerialization.writeVersionedList(
                splitSerializer, state.getUnassignedSplits(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public StreamsEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "StreamsEnumState", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        boolean initialDiscoveryFinished = in.readBoolean();
        List<StreamsPartitionSplit> assigned =
                VersionedSerialization.readVersionedList(splitSerializer, in);
        List<StreamsPartitionSplit> unassigned =
                VersionedSerialization.readVersionedList(splitSerializer, in);
        return new StreamsEnumState(assigned, unassigned, initialDiscoveryFinished);
    }
}
