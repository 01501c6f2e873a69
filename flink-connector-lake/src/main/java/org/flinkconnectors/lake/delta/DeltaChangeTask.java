package org.flinkconnectors.lake.delta;

import org.flinkconnectors.base.serialization.VersionedSerialization;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.delta.kernel.internal.actions.DeletionVectorDescriptor;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * The payload of a Delta change split: a file as a {@link DeltaScanFile} payload, and which of its
 * rows are the change.
 *
 * <ul>
 *   <li>{@link Rows#LIVE}: the rows its deletion vector (in the scan file) leaves; an added file's
 *       rows, or the rows a removed file had before the version (the remove's vector).
 *   <li>{@link Rows#CHANGE_DATA}: the rows of a {@code _change_data} file whose {@code
 *       _change_type} belongs to the split's phase.
 *   <li>{@link Rows#MARKED_ONLY}: the rows at positions that {@link #marked()} holds and {@link
 *       #unmarked()} does not; a file removed and added again with another deletion vector deletes
 *       the positions of the new vector missing from the old one, and restores the reverse.
 * </ul>
 *
 * <p>Binary form (format 1): format (byte), rows code (byte), the scan file payload (int length +
 * bytes), and for {@link Rows#MARKED_ONLY} the two nullable deletion vector descriptors.
 */
@Internal
final class DeltaChangeTask {

    private static final byte FORMAT_1 = 1;

    /** Which rows of the file are the change. */
    enum Rows {
        LIVE((byte) 1),
        CHANGE_DATA((byte) 2),
        MARKED_ONLY((byte) 3);

        private final byte code;

        Rows(byte code) {
            this.code = code;
        }

        static Rows fromCode(byte code) throws IOException {
            for (Rows rows : values()) {
                if (rows.code == code) {
                    return rows;
                }
            }
            throw new IOException("Unknown Delta change rows code " + code);
        }
    }

    private final Rows rows;
    private final byte[] scanFile;
    @Nullable private final DeletionVectorDescriptor marked;
    @Nullable private final DeletionVectorDescriptor unmarked;

    private DeltaChangeTask(
            Rows rows,
            byte[] scanFile,
            @Nullable DeletionVectorDescriptor marked,
            @Nullable DeletionVectorDescriptor unmarked) {
        this.rows = rows;
        this.scanFile = scanFile;
        this.marked = marked;
        this.unmarked = unmarked;
    }

    static DeltaChangeTask live(byte[] scanFile) {
        return new DeltaChangeTask(Rows.LIVE, scanFile, null, null);
    }

    static DeltaChangeTask changeData(byte[] scanFile) {
        return new DeltaChangeTask(Rows.CHANGE_DATA, scanFile, null, null);
    }

    /** Rows marked by {@code marked} but not by {@code unmarked}; a null vector marks none. */
    static DeltaChangeTask markedOnly(
            byte[] scanFile,
            @Nullable DeletionVectorDescriptor marked,
            @Nullable DeletionVectorDescriptor unmarked) {
        if (marked == null) {
            throw new IllegalArgumentException("No deletion vector marks rows to read");
        }
        return new DeltaChangeTask(Rows.MARKED_ONLY, scanFile, marked, unmarked);
    }

    Rows rows() {
        return rows;
    }

    /** The {@link DeltaScanFile} payload of the file, without a deletion vector unless LIVE. */
    byte[] scanFile() {
        return scanFile;
    }

    @Nullable
    DeletionVectorDescriptor marked() {
        return marked;
    }

    @Nullable
    DeletionVectorDescriptor unmarked() {
        return unmarked;
    }

    byte[] toBytes() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(FORMAT_1);
        out.writeByte(rows.code);
        VersionedSerialization.writeBytes(scanFile, out);
        if (rows == Rows.MARKED_ONLY) {
            DeltaScanFile.writeDeletionVector(marked, out);
            DeltaScanFile.writeDeletionVector(unmarked, out);
        }
        return out.getCopyOfBuffer();
    }

    static DeltaChangeTask fromBytes(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        byte format = in.readByte();
        if (format != FORMAT_1) {
            throw new IOException(
                    "Unknown Delta change task format " + format + "; this reader knows 1");
        }
        Rows rows = Rows.fromCode(in.readByte());
        byte[] scanFile = VersionedSerialization.readBytes(in);
        if (rows != Rows.MARKED_ONLY) {
            return new DeltaChangeTask(rows, scanFile, null, null);
        }
        DeletionVectorDescriptor marked = DeltaScanFile.readDeletionVector(in);
        return new DeltaChangeTask(rows, scanFile, marked, DeltaScanFile.readDeletionVector(in));
    }
}
