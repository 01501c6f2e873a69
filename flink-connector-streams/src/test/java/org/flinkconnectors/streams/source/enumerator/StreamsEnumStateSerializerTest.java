package org.flinkconnectors.streams.source.enumerator;

import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsEnumStateSerializerTest {

    private final StreamsEnumStateSerializer serializer = new StreamsEnumStateSerializer();

    @Test
    void roundTripsAssignedAndUnassignedSplits() throws IOException {
        StreamsEnumState state =
                new StreamsEnumState(
                        List.of(
                                new StreamsPartitionSplit(new TopicPartition("a", 0), 0),
                                new StreamsPartitionSplit(new TopicPartition("a", 1), 7, 9)),
                        List.of(new StreamsPartitionSplit(new TopicPartition("b", 4), 3)),
                        true);

        StreamsEnumState restored =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(restored).isEqualTo(state);
        assertThat(restored.isInitialDiscoveryFinished()).isTrue();
    }

    @Test
    void roundTripsInitialState() throws IOException {
        StreamsEnumState restored =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(StreamsEnumState.initial()));

        assertThat(restored).isEqualTo(StreamsEnumState.initial());
    }

    @Test
    void readsFrozenVersion1Bytes() throws IOException {
        // Written by version 1 (nested splits of version 1); must stay readable.
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "0100000001000000010000001800017400000002000000000000000501"
                                        + "0000000000000009000000010000000100000010000174000000"
                                        + "00000000000000000300");

        assertThat(serializer.deserialize(StreamsEnumStateSerializer.VERSION_1, v1))
                .isEqualTo(
                        new StreamsEnumState(
                                List.of(
                                        new StreamsPartitionSplit(
                                                new TopicPartition("t", 2), 5, 9)),
                                List.of(new StreamsPartitionSplit(new TopicPartition("t", 0), 3)),
                                true));
    }

    @Test
    void unknownVersionFails() throws IOException {
        byte[] bytes = serializer.serialize(StreamsEnumState.initial());

        assertThatThrownBy(
                        () ->
                                serializer.deserialize(
                                        StreamsEnumStateSerializer.VERSION_1 + 1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("StreamsEnumState");
    }
}
