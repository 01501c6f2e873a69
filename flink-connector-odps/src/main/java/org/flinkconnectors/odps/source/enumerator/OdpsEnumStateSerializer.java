package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.base.serialization.VersionedSerialization;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.source.split.OdpsSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Versioned binary form of {@link OdpsEnumState}.
 *
 * <p>Version 1: the initial-discovery flag (boolean); the number of partitions (int) and for each
 * its spec (modified UTF-8), planned rows and last modification time (longs); then the unassigned
 * splits as a list of splits written with their own serializer version.
 *
 * <p>Version 2: as version 1, with each partition's fingerprint after its modification time: a flag
 * (boolean) and, if set, the hashes of its first and last planned row (longs). Version 1 state
 * restores without fingerprints: such partitions are only checked for shrinking until their next
 * look records one.
 */
@Internal
public final class OdpsEnumStateSerializer implements SimpleVersionedSerializer<OdpsEnumState> {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

    private final OdpsSplitSerializer splitSerializer = OdpsSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(OdpsEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeBoolean(state.isInitialDiscoveryFinished());
        out.writeInt(state.getPartitions().size());
        for (Map.Entry<String, PartitionProgress> entry : state.getPartitions().entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeLong(entry.getValue().getPlannedRows());
            PartitionProgress progress = entry.getValue();
            out.writeLong(progress.getLastModifiedMillis());
            out.writeBoolean(progress.isFingerprinted());
            if (progress.isFingerprinted()) {
                out.writeLong(progress.getFirstRowHash());
                out.writeLong(progress.getLastRowHash());
            }
        }
        VersionedSerialization.writeVersionedList(
                splitSerializer, state.getUnassignedSplits(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public OdpsEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw VersionedSerialization.unknownVersion("OdpsEnumState", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        boolean initialDiscoveryFinished = in.readBoolean();
        int count = in.readInt();
        Map<String, PartitionProgress> partitions = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String spec = in.readUTF();
            long plannedRows = in.readLong();
            long lastModified = in.readLong();
            if (version >= VERSION_2 && in.readBoolean()) {
                partitions.put(
                        spec,
                        new PartitionProgress(
                                plannedRows, lastModified, in.readLong(), in.readLong()));
            } else {
                partitions.put(spec, new PartitionProgress(plannedRows, lastModified));
            }
        }
        List<OdpsSplit> unassigned = VersionedSerialization.readVersionedList(splitSerializer, in);
        return new OdpsEnumState(partitions, unassigned, initialDiscoveryFinished);
    }
}
