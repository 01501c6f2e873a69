package org.flinkconnectors.odps.sink;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips and the frozen version-1, -2 and -3 bytes of {@link OdpsCommittableSerializer}. */
class OdpsCommittableSerializerTest {

    private static final OdpsCommittable UPLOAD =
            new OdpsCommittable(
                    "proj", "orders", "ds=20261121", "session-1", new long[] {0, 1, 7}, 42, 4096);

    private static final OdpsCommittable UPSERT =
            OdpsCommittable.ofUpsertSession("proj", "customers", "", "upsert-9", 17, 512);

    // What versions 1 and 2 restore: they carry no bytes.
    private static final OdpsCommittable UPLOAD_WITHOUT_BYTES =
            new OdpsCommittable(
                    "proj", "orders", "ds=20261121", "session-1", new long[] {0, 1, 7}, 42, 0);
    private static final OdpsCommittable UPSERT_WITHOUT_BYTES =
            OdpsCommittable.ofUpsertSession("proj", "customers", "", "upsert-9", 17, 0);

    // Serialized with version 1 (upload sessions only); must keep deserializing, as an upload.
    private static final String VERSION_1_BYTES =
            "AARwcm9qAAZvcmRlcnMAC2RzPTIwMjYxMTIxAAlzZXNzaW9uLTEAAAADAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAHAAAAAAAAACo=";

    // Serialized with version 2 (session type by name first).
    private static final String VERSION_2_UPLOAD_BYTES =
            "AAZ1cGxvYWQABHByb2oABm9yZGVycwALZHM9MjAyNjExMjEACXNlc3Npb24tMQAAAAMAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAcAAAAAAAAAKg==";
    private static final String VERSION_2_UPSERT_BYTES =
            "AAZ1cHNlcnQABHByb2oACWN1c3RvbWVycwAAAAh1cHNlcnQtOQAAAAAAAAAAAAAAEQ==";

    // Serialized with version 3 (the bytes sent last).
    private static final String VERSION_3_UPLOAD_BYTES =
            "AAZ1cGxvYWQABHByb2oABm9yZGVycwALZHM9MjAyNjExMjEACXNlc3Npb24tMQAAAAMAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAcAAAAAAAAAKgAAAAAAABAA";
    private static final String VERSION_3_UPSERT_BYTES =
            "AAZ1cHNlcnQABHByb2oACWN1c3RvbWVycwAAAAh1cHNlcnQtOQAAAAAAAAAAAAAAEQAAAAAAAAIA";

    private final OdpsCommittableSerializer serializer = new OdpsCommittableSerializer();

    @Test
    void roundTripOfBothSessionTypes() throws Exception {
        for (OdpsCommittable committable : new OdpsCommittable[] {UPLOAD, UPSERT}) {
            byte[] bytes = serializer.serialize(committable);
            assertThat(serializer.deserialize(serializer.getVersion(), bytes))
                    .isEqualTo(committable);
        }
        assertThat(serializer.getVersion()).isEqualTo(OdpsCommittableSerializer.VERSION_3);
    }

    @Test
    void readsFrozenVersion1AsUploadSession() throws Exception {
        OdpsCommittable restored =
                serializer.deserialize(
                        OdpsCommittableSerializer.VERSION_1,
                        Base64.getDecoder().decode(VERSION_1_BYTES));
        assertThat(restored).isEqualTo(UPLOAD_WITHOUT_BYTES);
        assertThat(restored.type()).isEqualTo(OdpsCommittable.SessionType.UPLOAD);
    }

    @Test
    void readsFrozenVersion2WithoutBytes() throws Exception {
        OdpsCommittable upload =
                serializer.deserialize(
                        OdpsCommittableSerializer.VERSION_2,
                        Base64.getDecoder().decode(VERSION_2_UPLOAD_BYTES));
        assertThat(upload).isEqualTo(UPLOAD_WITHOUT_BYTES);
        OdpsCommittable upsert =
                serializer.deserialize(
                        OdpsCommittableSerializer.VERSION_2,
                        Base64.getDecoder().decode(VERSION_2_UPSERT_BYTES));
        assertThat(upsert).isEqualTo(UPSERT_WITHOUT_BYTES);
        assertThat(upsert.type()).isEqualTo(OdpsCommittable.SessionType.UPSERT);
        assertThat(upsert.partition()).isEmpty();
        assertThat(upsert.rowCount()).isEqualTo(17);
        assertThat(upsert.byteCount()).isZero();
    }

    @Test
    void writesAndReadsFrozenVersion3() throws Exception {
        assertThat(Base64.getEncoder().encodeToString(serializer.serialize(UPLOAD)))
                .isEqualTo(VERSION_3_UPLOAD_BYTES);
        assertThat(Base64.getEncoder().encodeToString(serializer.serialize(UPSERT)))
                .isEqualTo(VERSION_3_UPSERT_BYTES);
        OdpsCommittable upsert =
                serializer.deserialize(
                        OdpsCommittableSerializer.VERSION_3,
                        Base64.getDecoder().decode(VERSION_3_UPSERT_BYTES));
        assertThat(upsert).isEqualTo(UPSERT);
        assertThat(upsert.byteCount()).isEqualTo(512);
    }

    @Test
    void rejectsUnknownVersionAndSessionType() throws Exception {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0]))
                .hasMessageContaining("99");
        byte[] unknownType = Base64.getDecoder().decode(VERSION_2_UPSERT_BYTES);
        unknownType[2] = 'x'; // the type name "upsert" becomes "xpsert"
        assertThatThrownBy(() -> serializer.deserialize(2, unknownType))
                .hasMessageContaining("session type");
    }
}
