package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.Objects;

/**
 * The files one writer completed for one checkpoint, not yet committed. The {@link #files()}
 * payload is the format's own versioned encoding of its file descriptions (Iceberg: its JSON form
 * of each {@code DataFile}); the counts are for logs and metrics.
 *
 * @param fileCount the number of data files
 * @param recordCount the number of rows in them
 * @param byteCount the size of the files in bytes; 0 where unknown (results of older versions)
 * @param files the format-specific payload, read back by {@link LakeTable#commit}
 */
@PublicEvolving
public record LakeWriteResult(int fileCount, long recordCount, long byteCount, byte[] files) {

    public LakeWriteResult {
        Objects.requireNonNull(files, "files");
    }

    /** A result whose file sizes are unknown. */
    public LakeWriteResult(int fileCount, long recordCount, byte[] files) {
        this(fileCount, recordCount, 0, files);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LakeWriteResult other
                && fileCount == other.fileCount
                && recordCount == other.recordCount
                && byteCount == other.byteCount
                && Arrays.equals(files, other.files);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(fileCount, recordCount, byteCount) + Arrays.hashCode(files);
    }

    @Override
    public String toString() {
        return "LakeWriteResult{files="
                + fileCount
                + ", records="
                + recordCount
                + ", bytes="
                + byteCount
                + '}';
    }
}
