package org.flinkconnectors.streams.sink;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips, frozen version-1 bytes and unknown versions of the sink's state serializers. */
class StreamsSinkSerializersTest {

    private final StreamsCommittableSerializer committables = new StreamsCommittableSerializer();
    private final StreamsWriterStateSerializer states = new StreamsWriterStateSerializer();

    private final StreamsCommittable committable =
            new StreamsCommittable("orders-2-1-0", 4711L, (short) 3, 42L);
    private final StreamsWriterState state =
            new StreamsWriterState(
                    "orders",
                    2,
                    1,
                    3,
                    List.of(
                            committable,
                            new StreamsCommittable("orders-2-1-2", 12L, (short) 0, 43L)));

    @Test
    void committableRoundTripsWithItsCheckpointId() throws IOException {
        byte[] bytes = committables.serialize(committable);
        StreamsCommittable read = committables.deserialize(committables.getVersion(), bytes);
        assertThat(read).isEqualTo(committable);
        assertThat(read.getCheckpointId()).isEqualTo(42L);
    }

    @Test
    void writerStateRoundTrips() throws IOException {
        byte[] bytes = states.serialize(state);
        assertThat(states.deserialize(states.getVersion(), bytes)).isEqualTo(state);
    }

    @Test
    void versionOneCommittableBytesStayReadable() throws IOException {
        // Written by version 1, before committables carried their checkpoint id.
        byte[] committableV1 = Base64.getDecoder().decode("AAxvcmRlcnMtMi0xLTAAAAAAAAASZwAD");
        assertThat(committables.deserialize(1, committableV1))
                .isEqualTo(
                        new StreamsCommittable(
                                "orders-2-1-0",
                                4711L,
                                (short) 3,
                                StreamsCommittable.UNKNOWN_CHECKPOINT));
    }

    @Test
    void versionOneWriterStateBytesStayReadable() throws IOException {
        byte[] stateV1 =
                Base64.getDecoder()
                        .decode(
                                "AAZvcmRlcnMAAAACAAAAAQAAAAMAAAACAAxvcmRlcnMtMi0xLTAAAAAAAAASZwAD"
                                        + "AAxvcmRlcnMtMi0xLTIAAAAAAAAADAAA");
        assertThat(states.deserialize(1, stateV1))
                .isEqualTo(
                        new StreamsWriterState(
                                "orders",
                                2,
                                1,
                                3,
                                List.of(
                                        new StreamsCommittable(
                                                "orders-2-1-0",
                                                4711L,
                                                (short) 3,
                                                StreamsCommittable.UNKNOWN_CHECKPOINT),
                                        new StreamsCommittable(
                                                "orders-2-1-2",
                                                12L,
                                                (short) 0,
                                                StreamsCommittable.UNKNOWN_CHECKPOINT))));
    }

    @Test
    void versionTwoBytesAreFrozen() throws IOException {
        String committableV2 = "AAxvcmRlcnMtMi0xLTAAAAAAAAASZwADAAAAAAAAACo=";
        assertThat(Base64.getEncoder().encodeToString(committables.serialize(committable)))
                .isEqualTo(committableV2);
        assertThat(committables.deserialize(2, Base64.getDecoder().decode(committableV2)))
                .isEqualTo(committable);
    }

    @Test
    void unknownVersionsFailClearly() {
        assertThatThrownBy(() -> committables.deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
        assertThatThrownBy(() -> states.deserialize(3, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("StreamsWriterState");
    }
}
