package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * How a sink writes files. Settings left {@code null} take the table's own defaults (Iceberg:
 * {@code write.target-file-size-bytes} and {@code write.format.default}).
 *
 * @param targetFileSizeBytes the size at which a writer rolls to a new file, or null
 * @param bufferMemoryBytes the memory one writer may buffer over all partitions before it writes
 *     out the largest buffer, or null for the format's default; only formats whose writers buffer
 *     rows themselves (Delta) take it
 */
@PublicEvolving
public record LakeWriteSpec(@Nullable Long targetFileSizeBytes, @Nullable Long bufferMemoryBytes)
        implements Serializable {

    public LakeWriteSpec {
        if (targetFileSizeBytes != null && targetFileSizeBytes <= 0) {
            throw new IllegalArgumentException(
                    "The target file size must be positive, but is " + targetFileSizeBytes);
        }
        if (bufferMemoryBytes != null && bufferMemoryBytes <= 0) {
            throw new IllegalArgumentException(
                    "The buffer memory must be positive, but is " + bufferMemoryBytes);
        }
    }

    /** The target file size; the buffer memory as the format defaults. */
    public LakeWriteSpec(@Nullable Long targetFileSizeBytes) {
        this(targetFileSizeBytes, null);
    }

    /** Everything as the table says. */
    public static LakeWriteSpec tableDefaults() {
        return new LakeWriteSpec(null, null);
    }
}
