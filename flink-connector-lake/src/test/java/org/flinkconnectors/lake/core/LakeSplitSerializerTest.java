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
    void unknownVersionFails() throws IOException {
        byte[] bytes = serializer.serialize(new LakeSplit("1-0", 1, "/f", new byte[0], 0));

        assertThatThrownBy(() -> serializer.deserialize(2, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 2")
                .hasMessageContaining("LakeSplit");
    }

    @Test
    void rejectsNegativeProgress() {
        assertThatThrownBy(() -> new LakeSplit("1-0", 1, "/f", new byte[0], -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/f");
    }
}
