package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeSplit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeEnumStateSerializerTest {

    private final LakeEnumStateSerializer serializer = new LakeEnumStateSerializer();

    @Test
    void roundTripsInitialState() throws IOException {
        assertThat(roundTrip(LakeEnumState.initial())).isEqualTo(LakeEnumState.initial());
    }

    @Test
    void roundTripsPlannedVersionWithUnassignedSplits() throws IOException {
        LakeEnumState state =
                new LakeEnumState(
                        true,
                        -4_611_686_018_427_387_904L,
                        List.of(
                                new LakeSplit("v-0", 9, "/a", new byte[] {1, 2}, 0),
                                new LakeSplit("v-1", 9, "/b", new byte[] {3}, 17)));

        LakeEnumState restored = roundTrip(state);

        assertThat(restored).isEqualTo(state);
        assertThat(restored.plannedVersion()).isEqualTo(-4_611_686_018_427_387_904L);
        assertThat(restored.unassignedSplits())
                .extracting(LakeSplit::path)
                .containsExactly("/a", "/b");
    }

    @Test
    void readsFrozenVersion1Bytes() throws IOException {
        // Written by version 1: planned version 42, one unassigned split "42-0" of /f, skip 3.
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "0101000000000000002a000000010000000100000021"
                                        + "000434322d30000000000000002a000000022f66000000"
                                        + "01070000000000000003");

        assertThat(serializer.deserialize(LakeEnumStateSerializer.VERSION_1, v1))
                .isEqualTo(
                        new LakeEnumState(
                                true,
                                42L,
                                List.of(new LakeSplit("42-0", 42, "/f", new byte[] {7}, 3))));
    }

    @Test
    void roundTripsAPlanOfATableWithoutVersions() throws IOException {
        LakeEnumState plannedEmpty = new LakeEnumState(true, null, List.of());

        assertThat(roundTrip(plannedEmpty)).isEqualTo(plannedEmpty);
        assertThat(roundTrip(plannedEmpty).planned()).isTrue();
    }

    @Test
    void unknownVersionFails() {
        assertThatThrownBy(() -> serializer.deserialize(3, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("LakeEnumState");
    }

    private LakeEnumState roundTrip(LakeEnumState state) throws IOException {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
    }
}
