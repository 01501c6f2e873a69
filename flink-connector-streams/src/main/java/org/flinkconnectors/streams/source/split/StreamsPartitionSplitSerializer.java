package org.flinkconnectors.streams.source.split;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;

/**
 * Versioned binary form of {@link StreamsPartitionSplit} for checkpoints and for the RPC that
 * assigns splits to readers.
 *
 * <p>Version 1: topic (modified UTF-8), partition (int), starting offset (long), a flag for the
 * presence of a stopping offset and, if present, the stopping offset (long).
 */
@Internal
public final class StreamsPartitionSplitSerializer
        implements SimpleVersionedSerializer<StreamsPartitionSplit> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public static final StreamsPartitionSplitSerializer INSTANCE =
            new StreamsPartitionSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(StreamsPartitionSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(32);
        out.writeUTF(split.getTopic());
        out.writeInt(split.getPartition());
        out.writeLong(split.getStartingOffset());
        out.writeBoolean(split.getStoppingOffset().isPresent());
        if (split.getStoppingOffset().isPresent()) {
            out.writeLong(split.getStoppingOffset().get());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public StreamsPartitionSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw VersionedSerialization.unknownVersion(
                    "StreamsPartitionSplit", version, CURRENT_VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        TopicPartition topicPartition = new TopicPartition(in.readUTF(), in.readInt());
        long start = in.readLong();
        long stop = in.readBoolean() ? in.readLong() : StreamsPartitionSplit.NO_STOPPING_OFFSET;
        return new StreamsPartitionSplit(topicPartition, start, stop);
    }
}
