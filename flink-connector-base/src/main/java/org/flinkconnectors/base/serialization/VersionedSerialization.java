package org.flinkconnectors.base.serialization;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers for hand-written {@link SimpleVersionedSerializer}s: nested values written with their own
 * version, nullable strings, length-prefixed bytes and strings longer than {@code writeUTF}'s 64
 * KiB, and a clear error for versions the reader does not know.
 */
@PublicEvolving
public final class VersionedSerialization {

    private VersionedSerialization() {}

    /** The exception a serializer throws for a version it cannot read. */
    public static IOException unknownVersion(String what, int version, int currentVersion) {
        return new IOException(
                String.format(
                        "Unknown serialization version %d of %s; this build reads versions up"
                                + " to %d. Was the state written by a newer connector?",
                        version, what, currentVersion));
    }

    /** Writes {@code value} prefixed with its serializer's version and length. */
    public static <T> void writeVersioned(
            SimpleVersionedSerializer<T> serializer, T value, DataOutputView out)
            throws IOException {
        byte[] bytes = serializer.serialize(value);
        out.writeInt(serializer.getVersion());
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads a value written by {@link #writeVersioned}. */
    public static <T> T readVersioned(SimpleVersionedSerializer<T> serializer, DataInputView in)
            throws IOException {
        int version = in.readInt();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return serializer.deserialize(version, bytes);
    }

    /** Writes a list of versioned values. */
    public static <T> void writeVersionedList(
            SimpleVersionedSerializer<T> serializer, List<T> values, DataOutputView out)
            throws IOException {
        out.writeInt(values.size());
        for (T value : values) {
            writeVersioned(serializer, value, out);
        }
    }

    /** Reads a list written by {@link #writeVersionedList}. */
    public static <T> List<T> readVersionedList(
            SimpleVersionedSerializer<T> serializer, DataInputView in) throws IOException {
        int size = in.readInt();
        List<T> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(readVersioned(serializer, in));
        }
        return values;
    }

    /** Writes a string that may be null. */
    public static void writeNullableString(@Nullable String value, DataOutputView out)
            throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    /** Reads a string written by {@link #writeNullableString}. */
    @Nullable
    public static String readNullableString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Writes {@code bytes} prefixed with their length. */
    public static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads bytes written by {@link #writeBytes}. */
    public static byte[] readBytes(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * Writes a string of any length as length-prefixed UTF-8 ({@code writeUTF} fails beyond 64 KiB,
     * which paths, JSON and statistics of wide tables can exceed).
     */
    public static void writeLongString(String value, DataOutputView out) throws IOException {
        writeBytes(value.getBytes(StandardCharsets.UTF_8), out);
    }

    /** Reads a string written by {@link #writeLongString}. */
    public static String readLongString(DataInputView in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}
