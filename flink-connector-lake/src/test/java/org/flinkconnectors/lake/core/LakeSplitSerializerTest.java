package org.flinkconnectors.lake.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeSplitSerializerTest {

    private final LakeSplitSerializer serializer = LakeSplitSerializer.INSTANCE;

    @Test
    void roundTripsSplitWithPayloadAndProgress() throws IOException {
        LakeSplit split =
                new LakeSplit(
                        "7301-4",
                        7301L,
                        "file:/warehouse/db/t/data/ünï-0001.parquet",
                        "{\"task\":1}".getBytes(StandardCharsets.UTF_8),
                        250);

        LakeSplit restored =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(restored).isEqualTo(split);
        assertThat(restored.path()).isEqualTo("file:/warehouse/db/t/data/ünï-0001.parquet");
        assertThat(restored.recordsToSkip()).isEqualTo(250);
    }

    @Test
    void roundTripsPathsLongerThanModifiedUtf8Allows() throws IOException {
        String path = "s3://bucket/" + "p/".repeat(40_000) + "f.parquet";
        LakeSplit split = new LakeSplit("1-0", 1, path, new byte[0], 0);

        assertThat(serializer.deserialize(1, serializer.serialize(split))).isEqualTo(split);
    }

    @Test
    void readsFrozenVersion1Bytes() throws IOException {
        // Written by version 1; every later version must still read it.
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "0003372d3200000000000000070000000c2f642f612e7061"
                                        + "7271756574000000037b317d0000000000000005");

        assertThat(serializer.deserialize(LakeSplitSerializer.VERSION_1, v1))
                .isEqualTo(
                        new LakeSplit(
                                "7-2",
                                7,
                                "/d/a.parquet",
                                "{1}".getBytes(StandardCharsets.UTF_8),
                                5));
    }

    @Test
    void roundTripsChangeSplitWithPhaseRoutingKeyAndProgress() throws IOException {
        LakeSplit split =
                LakeSplit.change(
                                "9-d-3",
                                9,
                                "/d/b.parquet",
                                new byte[] {1, 2, 3},
                                LakeSplit.ChangePhase.DELETE,
                                "day=2026-01-02")
                        .withRecordsToSkip(11);

        LakeSplit restored =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(restored).isEqualTo(split);
        assertThat(restored.changePhase()).contains(LakeSplit.ChangePhase.DELETE);
        assertThat(restored.routingKey()).contains("day=2026-01-02");
        assertThat(restored.recordsToSkip()).isEqualTo(11);
    }

    @Test
    void plainSplitsStayPlainInVersion2() throws IOException {
        LakeSplit split = new LakeSplit("1-0", 1, "/f", new byte[] {4}, 2);

        LakeSplit restored =
                serializer.deserialize(LakeSplitSerializer.VERSION_2, serializer.serialize(split));

        assertThat(restored).isEqualTo(split);
        assertThat(restored.changePhase()).isEmpty();
        assertThat(restored.routingKey()).isEmpty();
    }

    @Test
    void readsFrozenVersion2Bytes() throws IOException {
        // Written by version 2: an insert-phase change split routed to partition "p=1".
        byte[] v2 =
                HexFormat.of()
                        .parseHex(
                                "0003372d3200000000000000070000000c2f642f612e7061"
                                        + "7271756574000000037b317d000000000000000502"
                                        + "00000003703d31");

        assertThat(serializer.deserialize(LakeSplitSerializer.VERSION_2, v2))
                .isEqualTo(
                        LakeSplit.change(
                                        "7-2",
                                        7,
                                        "/d/a.parquet",
                                        "{1}".getBytes(StandardCharsets.UTF_8),
                                        LakeSplit.ChangePhase.INSERT,
                                        "p=1")
                                .withRecordsToSkip(5));
    }

    @Test
    void aChangeSplitNeedsBothPhaseAndRoutingKey() {
        assertThatThrownBy(
                        () ->
                                new LakeSplit(
                                        "1-0",
                                        1,
                                        "/f",
                                        new byte[0],
                                        0,
                                        LakeSplit.ChangePhase.INSERT,
                                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/f");
    }

    @Test
    void unknownVersionFails() throws IOException {
        byte[] bytes = serializer.serialize(new LakeSplit("1-0", 1, "/f", new byte[0], 0));

        assertThatThrownBy(() -> serializer.deserialize(3, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 3")
                .hasMessageContaining("LakeSplit");
    }

    @Test
    void rejectsNegativeProgress() {
        assertThatThrownBy(() -> new LakeSplit("1-0", 1, "/f", new byte[0], -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/f");
    }
}
