package org.flinkconnectors.odps.sink;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trip and the frozen version-1 bytes of {@link OdpsCommittableSerializer}. */
class OdpsCommittableSerializerTest {

    private static final OdpsCommittable COMMITTABLE =
            new OdpsCommittable(
                    "proj", "orders", "ds=20261121", "session-1", new long[] {0, 1, 7}, 42);

    // Serialized with version 1; must keep deserializing as long as version 1 is supported.
    private static final String VERSION_1_BYTES =
            "AARwcm9qAAZvcmRlcnMAC2RzPTIwMjYxMTIxAAlzZXNzaW9uLTEAAAADAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAHAAAAAAAAACo=";

    private final OdpsCommittableSerializer serializer = new OdpsCommittableSerializer();

    @Test
    void roundTrip() throws Exception {
        byte[] bytes = serializer.serialize(COMMITTABLE);
        assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(COMMITTABLE);
    }

    @Test
    void readsFrozenVersion1() throws Exception {
        assertThat(
                        serializer.deserialize(
                                OdpsCommittableSerializer.VERSION_1,
                                Base64.getDecoder().decode(VERSION_1_BYTES)))
                .isEqualTo(COMMITTABLE);
        assertThat(Base64.getEncoder().encodeToString(serializer.serialize(COMMITTABLE)))
                .isEqualTo(VERSION_1_BYTES);
    }

    @Test
    void rejectsUnknownVersion() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0]))
                .hasMessageContaining("99");
    }
}
