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
            new StreamsCommittable("orders-2-1-0", 4711L, (short) 3, 42L, 1_000L, 64_000L);
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
    void committableRoundTripsWithItsCheckpointIdAndCounts() throws IOException {
        byte[] bytes = committables.serialize(committable);
        StreamsCommittable read = committables.deserialize(committables.getVersion(), bytes);
        assertThat(read).isEqualTo(committable);
        assertThat(read.getCheckpointId()).isEqualTo(42L);
        assertThat(read.getRecordCount()).isEqualTo(1_000L);
        assertThat(read.getByteCount()).isEqualTo(64_000L);
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
        StreamsCommittable read = committables.deserialize(1, committableV1);
        assertThat(read)
                .isEqualTo(
                        new StreamsCommittable(
                                "orders-2-1-0",
                                4711L,
                                (short) 3,
                                StreamsCommittable.UNKNOWN_CHECKPOINT));
        // Nor the record and byte counts: the committer reports 0 for such a transaction.
        assertThat(read.getRecordCount()).isZero();
        assertThat(read.getByteCount()).isZero();
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
    void versionTwoCommittableBytesStayReadable() throws IOException {
        // Written by version 2, before committables carried their record and byte counts.
        String committableV2 = "AAxvcmRlcnMtMi0xLTAAAAAAAAASZwADAAAAAAAAACo=";
        assertThat(committables.deserialize(2, Base64.getDecoder().decode(committableV2)))
                .isEqualTo(new StreamsCommittable("orders-2-1-0", 4711L, (short) 3, 42L));
    }

    @Test
    void versionThreeBytesAreFrozen() throws IOException {
        String committableV3 = "AAxvcmRlcnMtMi0xLTAAAAAAAAASZwADAAAAAAAAACoAAAAAAAAD6AAAAAAAAPoA";
        assertThat(Base64.getEncoder().encodeToString(committables.serialize(committable)))
                .isEqualTo(committableV3);
        assertThat(committables.deserialize(3, Base64.getDecoder().decode(committableV3)))
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
