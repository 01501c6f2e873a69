package org.flinkconnectors.streams.source.split;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsPartitionSplitSerializerTest {

    private final StreamsPartitionSplitSerializer serializer =
            StreamsPartitionSplitSerializer.INSTANCE;

    @Test
    void roundTripsUnboundedSplit() throws IOException {
        StreamsPartitionSplit split =
                new StreamsPartitionSplit(new TopicPartition("orders", 3), 42);

        StreamsPartitionSplit restored = roundTrip(split);

        assertThat(restored).isEqualTo(split);
        assertThat(restored.getStoppingOffset()).isEmpty();
        assertThat(restored.splitId()).isEqualTo("orders-3");
    }

    @Test
    void roundTripsBoundedSplitWithUnicodeTopic() throws IOException {
        StreamsPartitionSplit split =
                new StreamsPartitionSplit(new TopicPartition("bestellungen.ä", 0), 0, 17);

        StreamsPartitionSplit restored = roundTrip(split);

        assertThat(restored).isEqualTo(split);
        assertThat(restored.getStoppingOffset()).contains(17L);
    }

    @Test
    void readsFrozenVersion1Bytes() throws IOException {
        // Written by version 1; must stay readable by every later version.
        byte[] v1 = HexFormat.of().parseHex("000174000000020000000000000005010000000000000009");

        assertThat(serializer.deserialize(StreamsPartitionSplitSerializer.VERSION_1, v1))
                .isEqualTo(new StreamsPartitionSplit(new TopicPartition("t", 2), 5, 9));
    }

    @Test
    void unknownVersionFails() throws IOException {
        byte[] bytes =
                serializer.serialize(new StreamsPartitionSplit(new TopicPartition("t", 0), 1));

        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("99")
                .hasMessageContaining("StreamsPartitionSplit");
    }

    @Test
    void stateCheckpointsCurrentOffset() {
        StreamsPartitionSplitState state =
                new StreamsPartitionSplitState(
                        new StreamsPartitionSplit(new TopicPartition("t", 1), 5, 10));

        state.setCurrentOffset(8);

        assertThat(state.toSplit())
                .isEqualTo(new StreamsPartitionSplit(new TopicPartition("t", 1), 8, 10));
    }

    private StreamsPartitionSplit roundTrip(StreamsPartitionSplit split) throws IOException {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
    }
}
