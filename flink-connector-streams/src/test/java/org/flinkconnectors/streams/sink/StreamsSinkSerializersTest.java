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
            new StreamsCommittable("orders-2-1-0", 4711L, (short) 3);
    private final StreamsWriterState state =
            new StreamsWriterState(
                    "orders",
                    2,
                    1,
                    3,
                    List.of(committable, new StreamsCommittable("orders-2-1-2", 12L, (short) 0)));

    @Test
    void committableRoundTrips() throws IOException {
        byte[] bytes = committables.serialize(committable);
        assertThat(committables.deserialize(committables.getVersion(), bytes))
                .isEqualTo(committable);
    }

    @Test
    void writerStateRoundTrips() throws IOException {
        byte[] bytes = states.serialize(state);
        assertThat(states.deserialize(states.getVersion(), bytes)).isEqualTo(state);
    }

    @Test
    void versionOneBytesStayReadable() throws IOException {
        // Written by version 1; a change of the format must keep reading these.
        byte[] committableV1 = Base64.getDecoder().decode("AAxvcmRlcnMtMi0xLTAAAAAAAAASZwAD");
        assertThat(committables.deserialize(1, committableV1)).isEqualTo(committable);
        assertThat(Base64.getEncoder().encodeToString(committables.serialize(committable)))
                .isEqualTo("AAxvcmRlcnMtMi0xLTAAAAAAAAASZwAD");
    }

    @Test
    void unknownVersionsFailClearly() {
        assertThatThrownBy(() -> committables.deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
        assertThatThrownBy(() -> states.deserialize(2, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("StreamsWriterState");
    }
}
