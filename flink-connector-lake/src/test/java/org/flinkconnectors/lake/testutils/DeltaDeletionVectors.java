package org.flinkconnectors.lake.testutils;

import org.roaringbitmap.RoaringBitmap;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Deletes rows of Delta data files by deletion vectors, written as the Delta protocol specifies
 * them, because Kernel itself does not write deletion vectors: a commit removes the file and adds
 * it again with a deletion vector descriptor, either inline (storage type {@code i}, the bitmap
 * Z85-encoded in the descriptor) or in a deletion vector file next to the data (storage type {@code
 * u}, a UUID-named file holding the bitmap with its size and CRC-32).
 *
 * <p>The bitmap is a {@code RoaringBitmapArray} in the portable format: magic number 1681511377,
 * the number of 32-bit bitmaps, then each bitmap's key and its standard Roaring serialization, all
 * little-endian.
 */
public final class DeltaDeletionVectors {

    private static final int PORTABLE_MAGIC = 1681511377;
    private static final String Z85 =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private DeltaDeletionVectors() {}

    /** How the deletion vector is stored. */
    public enum Storage {
        INLINE,
        UUID_FILE
    }

    /**
     * Commits the next version of the table: the file's rows at {@code positions} are deleted.
     * Returns the version.
     */
    public static long delete(
            DeltaTestTables tables,
            String table,
            DeltaTestTables.DataFile file,
            Storage storage,
            long... positions)
            throws IOException {
        byte[] bitmap = serialize(positions);
        String descriptor;
        if (storage == Storage.INLINE) {
            descriptor = descriptor("i", z85(bitmap), null, bitmap.length, positions.length);
        } else {
            UUID uuid = UUID.randomUUID();
            writeDeletionVectorFile(
                    Path.of(tables.path(table)).resolve("deletion_vector_" + uuid + ".bin"),
                    bitmap);
            // The file's format version byte comes first; the vector starts after it.
            descriptor = descriptor("u", z85(uuidBytes(uuid)), 1, bitmap.length, positions.length);
        }
        long now = System.currentTimeMillis();
        String commit =
                String.format(
                        "{\"commitInfo\":{\"timestamp\":%d,\"operation\":\"DELETE\","
                                + "\"operationParameters\":{},\"isBlindAppend\":false}}%n"
                                + "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%d,"
                                + "\"dataChange\":true,\"extendedFileMetadata\":true,"
                                + "\"partitionValues\":{},\"size\":%d}}%n"
                                + "{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":%d,"
                                + "\"modificationTime\":%d,\"dataChange\":true,"
                                + "\"deletionVector\":%s}}%n",
                        now,
                        file.path(),
                        now,
                        file.size(),
                        file.path(),
                        file.size(),
                        file.modificationTime(),
                        descriptor);
        return tables.commitJson(table, commit);
    }

    private static String descriptor(
            String storageType, String pathOrInline, Integer offset, int size, long cardinality) {
        return "{\"storageType\":\""
                + storageType
                + "\",\"pathOrInlineDv\":\""
                + pathOrInline
                + "\""
                + (offset == null ? "" : ",\"offset\":" + offset)
                + ",\"sizeInBytes\":"
                + size
                + ",\"cardinality\":"
                + cardinality
                + "}";
    }

    /** The portable RoaringBitmapArray of row positions below 2^32 (a single bitmap, key 0). */
    static byte[] serialize(long... positions) {
        RoaringBitmap bitmap = new RoaringBitmap();
        for (long position : positions) {
            bitmap.add((int) position);
        }
        bitmap.runOptimize();
        ByteBuffer buffer =
                ByteBuffer.allocate(4 + 8 + 4 + bitmap.serializedSizeInBytes())
                        .order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(PORTABLE_MAGIC).putLong(1).putInt(0);
        bitmap.serialize(buffer);
        return buffer.array();
    }

    /** A deletion vector file: format version 1, then size, the vector and its CRC-32. */
    private static void writeDeletionVectorFile(Path path, byte[] bitmap) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(bitmap.length);
            out.write(bitmap);
            CRC32 crc = new CRC32();
            crc.update(bitmap);
            out.writeInt((int) crc.getValue());
        }
        Files.write(path, bytes.toByteArray(), StandardOpenOption.CREATE_NEW);
    }

    private static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }

    /** Z85: each 4 bytes (big-endian, zero-padded at the end) become 5 characters. */
    static String z85(byte[] data) {
        int padded = (data.length + 3) / 4 * 4;
        byte[] input = Arrays.copyOf(data, padded);
        StringBuilder out = new StringBuilder(padded / 4 * 5);
        for (int i = 0; i < padded; i += 4) {
            long value = ByteBuffer.wrap(input, i, 4).getInt() & 0xFFFFFFFFL;
            char[] chunk = new char[5];
            for (int j = 4; j >= 0; j--) {
                chunk[j] = Z85.charAt((int) (value % 85));
                value /= 85;
            }
            out.append(chunk);
        }
        return out.toString();
    }
}
