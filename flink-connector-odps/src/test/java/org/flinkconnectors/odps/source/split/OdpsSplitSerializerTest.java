package org.flinkconnectors.odps.source.split;

import org.flinkconnectors.base.source.split.SplitPosition;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OdpsSplitSerializerTest {

    private final OdpsSplitSerializer serializer = OdpsSplitSerializer.INSTANCE;

    @Test
    void roundTripsPartitionedSplitWithProgress() throws IOException {
        OdpsSplit split = new OdpsSplit("ds=20261121,hh=08", "2026112108a1b2", 2_000_000, 3, 2);

        OdpsSplit restored = roundTrip(split);

        assertThat(restored).isEqualTo(split);
        assertThat(restored.getNextRow()).isEqualTo(2_000_002);
        assertThat(restored.getEndRow()).isEqualTo(2_000_003);
        assertThat(restored.splitId()).isEqualTo(split.splitId());
    }

    @Test
    void roundTripsUnpartitionedSplitWithUnicode() throws IOException {
        OdpsSplit split = new OdpsSplit("", "sessión-ä", 0, 1_000_000);

        assertThat(roundTrip(split)).isEqualTo(split);
        assertThat(split.splitId()).isEqualTo("@sessión-ä[0,1000000)");
    }

    @Test
    void readsFrozenVersion1Bytes() throws IOException {
        // Written by version 1; must stay readable by every later version.
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "000964733d312c68683d32000373696400000000000003e8"
                                        + "00000000000001f40000000000000007");

        assertThat(serializer.deserialize(OdpsSplitSerializer.VERSION_1, v1))
                .isEqualTo(new OdpsSplit("ds=1,hh=2", "sid", 1000, 500, 7));
    }

    @Test
    void unknownVersionFails() throws IOException {
        byte[] bytes = serializer.serialize(new OdpsSplit("", "s", 0, 1));

        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("99")
                .hasMessageContaining("OdpsSplit");
    }

    @Test
    void stateCheckpointsRowsEmittedSoFar() {
        OdpsSplit split = new OdpsSplit("ds=1", "s", 100, 50, 5);
        SplitPosition<OdpsSplit> state = new SplitPosition<>(split);
        assertThat(state.position()).isEqualTo(105);

        state.advanceTo(140);

        assertThat(state.toSplit()).isEqualTo(new OdpsSplit("ds=1", "s", 100, 50, 40));
        assertThat(state.toSplit().splitId()).isEqualTo(split.splitId());
    }

    @Test
    void rejectsInvalidRanges() {
        assertThatThrownBy(() -> new OdpsSplit("ds=1", "s", 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ds=1");
        assertThatThrownBy(() -> new OdpsSplit("ds=1", "s", 0, 5, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private OdpsSplit roundTrip(OdpsSplit split) throws IOException {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
    }
}
