package org.flinkconnectors.base.serialization;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionedSerializationTest {

    /** Version 2 writes upper case; version 1 data is read as it is. */
    private static final SimpleVersionedSerializer<String> NESTED =
            new SimpleVersionedSerializer<>() {
                @Override
                public int getVersion() {
                    return 2;
                }

                @Override
                public byte[] serialize(String obj) {
                    return obj.toUpperCase().getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public String deserialize(int version, byte[] serialized) throws IOException {
                    if (version > 2) {
                        throw VersionedSerialization.unknownVersion("nested", version, 2);
                    }
                    return new String(serialized, StandardCharsets.UTF_8);
                }
            };

    @Test
    void roundTripsNestedListsAndNullableStrings() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        VersionedSerialization.writeVersionedList(NESTED, Arrays.asList("a", "bc"), out);
        VersionedSerialization.writeNullableString(null, out);
        VersionedSerialization.writeNullableString("x", out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<String> values = VersionedSerialization.readVersionedList(NESTED, in);

        assertThat(values).containsExactly("A", "BC");
        assertThat(VersionedSerialization.readNullableString(in)).isNull();
        assertThat(VersionedSerialization.readNullableString(in)).isEqualTo("x");
    }

    @Test
    void roundTripsBytesAndStringsBeyondWriteUtfsLimit() throws IOException {
        String wide = "é".repeat(40_000); // 80,000 UTF-8 bytes: writeUTF would fail
        DataOutputSerializer out = new DataOutputSerializer(64);
        VersionedSerialization.writeLongString(wide, out);
        VersionedSerialization.writeBytes(new byte[] {1, 2, 3}, out);
        byte[] written = out.getCopyOfBuffer();

        // The format is an int length and the bytes, as the lake connector's state has it.
        assertThat(new DataInputDeserializer(written).readInt()).isEqualTo(80_000);
        assertThat(written).hasSize(4 + 80_000 + 4 + 3);
        DataInputDeserializer in = new DataInputDeserializer(written);
        assertThat(VersionedSerialization.readLongString(in)).isEqualTo(wide);
        assertThat(VersionedSerialization.readBytes(in)).containsExactly(1, 2, 3);
        assertThat(in.available()).isZero();
    }

    @Test
    void unknownVersionIsAClearError() {
        assertThatThrownBy(() -> NESTED.deserialize(7, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 7")
                .hasMessageContaining("up to 2");
    }
}
