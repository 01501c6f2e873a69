package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * How a sink writes files. Settings left {@code null} take the table's own defaults (Iceberg:
 * {@code write.target-file-size-bytes} and {@code write.format.default}).
 *
 * @param targetFileSizeBytes the size at which a writer rolls to a new file, or null
 */
@PublicEvolving
public record LakeWriteSpec(@Nullable Long targetFileSizeBytes) implements Serializable {

    public LakeWriteSpec {
        if (targetFileSizeBytes != null && targetFileSizeBytes <= 0) {
            throw new IllegalArgumentException(
                    "The target file size must be positive, but is " + targetFileSizeBytes);
        }
    }

    /** Everything as the table says. */
    public static LakeWriteSpec tableDefaults() {
        return new LakeWriteSpec(null);
    }
}
