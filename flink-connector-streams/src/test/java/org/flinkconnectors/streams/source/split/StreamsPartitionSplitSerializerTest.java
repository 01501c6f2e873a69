package org.flinkconnectors.streams.source.split;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;

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
