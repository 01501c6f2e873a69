package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OdpsEnumStateSerializerTest {

    private final OdpsEnumStateSerializer serializer = new OdpsEnumStateSerializer();

    @Test
    void roundTripsProgressAndUnassignedSplitsInOrder() throws IOException {
        Map<String, PartitionProgress> partitions = new LinkedHashMap<>();
        partitions.put("ds=20261122", new PartitionProgress(7, 1_763_800_000_000L));
        partitions.put("ds=20261121", new PartitionProgress(3_000_000, 1_763_700_000_000L));
        partitions.put("ds=20261123", new PartitionProgress(2, 1_763_900_000_000L, -5L, 42L));
        OdpsEnumState state =
                new OdpsEnumState(
                        partitions,
                        List.of(
                                new OdpsSplit("ds=20261121", "a", 2_000_000, 1_000_000),
                                new OdpsSplit("ds=20261122", "b", 0, 7)),
                        true);

        OdpsEnumState restored = roundTrip(state);

        assertThat(restored).isEqualTo(state);
        assertThat(restored.getPartitions().keySet())
                .containsExactly("ds=20261122", "ds=20261121", "ds=20261123");
        PartitionProgress fingerprinted = restored.getPartitions().get("ds=20261123");
        assertThat(fingerprinted.isFingerprinted()).isTrue();
        assertThat(fingerprinted.getFirstRowHash()).isEqualTo(-5L);
        assertThat(fingerprinted.getLastRowHash()).isEqualTo(42L);
        assertThat(restored.getPartitions().get("ds=20261122").isFingerprinted()).isFalse();
    }

    @Test
    void roundTripsInitialState() throws IOException {
        assertThat(roundTrip(OdpsEnumState.initial())).isEqualTo(OdpsEnumState.initial());
    }

    @Test
    void readsFrozenVersion1Bytes() throws IOException {
        // Written by version 1 (nested splits of version 1); must stay readable.
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "0100000002000464733d3100000000000005dc0000018bcfe568000000"
                                        + "0000000000000003ffffffffffffffff00000001000000010000"
                                        + "0021000464733d3100017300000000000003e800000000000001"
                                        + "f40000000000000000");
        Map<String, PartitionProgress> partitions = new LinkedHashMap<>();
        partitions.put("ds=1", new PartitionProgress(1500, 1_700_000_000_000L));
        partitions.put("", new PartitionProgress(3, PartitionProgress.UNKNOWN_TIME));

        assertThat(serializer.deserialize(OdpsEnumStateSerializer.VERSION_1, v1))
                .isEqualTo(
                        new OdpsEnumState(
                                partitions, List.of(new OdpsSplit("ds=1", "s", 1000, 500)), true));
    }

    @Test
    void unknownVersionFails() throws IOException {
        byte[] bytes = serializer.serialize(OdpsEnumState.initial());

        assertThatThrownBy(
                        () -> serializer.deserialize(OdpsEnumStateSerializer.VERSION_2 + 1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("OdpsEnumState");
    }

    private OdpsEnumState roundTrip(OdpsEnumState state) throws IOException {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
    }
}
