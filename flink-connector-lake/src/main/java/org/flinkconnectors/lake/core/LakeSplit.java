package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Arrays;
import java.util.Objects;

/**
 * A piece of one data file of one table version, plus how many of its records were already emitted
 * (the checkpointed progress).
 *
 * <p>The core knows the file path and the version for messages and metadata columns; everything
 * else a format needs to read the piece travels in the opaque {@link #task() task} payload, which
 * only the format's {@link LakeReaderFactory} interprets: for Iceberg the file scan task with its
 * byte range, delete files, partition spec and residual filter; for Delta the scan file row with
 * its deletion vector descriptor and partition values.
 */
@PublicEvolving
public final class LakeSplit implements SourceSplit {

    private final String splitId;
    private final long version;
    private final String path;
    private final byte[] task;
    private final long recordsToSkip;

    public LakeSplit(String splitId, long version, String path, byte[] task, long recordsToSkip) {
        if (recordsToSkip < 0) {
            throw new IllegalArgumentException(
                    "Records to skip must not be negative, got " + recordsToSkip + " for " + path);
        }
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.version = version;
        this.path = Objects.requireNonNull(path, "path");
        this.task = Objects.requireNonNull(task, "task");
        this.recordsToSkip = recordsToSkip;
    }

    @Override
    public String splitId() {
        return splitId;
    }

    /** The table version (Iceberg snapshot id, Delta version) the file was planned from. */
    public long version() {
        return version;
    }

    /** The data file's location. */
    public String path() {
        return path;
    }

    /** The format's description of the piece; not to be modified. */
    public byte[] task() {
        return task;
    }

    /** Records of the piece already emitted; reading resumes after them. */
    public long recordsToSkip() {
        return recordsToSkip;
    }

    public LakeSplit withRecordsToSkip(long records) {
        return new LakeSplit(splitId, version, path, task, records);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LakeSplit)) {
            return false;
        }
        LakeSplit that = (LakeSplit) o;
        return version == that.version
                && recordsToSkip == that.recordsToSkip
                && splitId.equals(that.splitId)
                && path.equals(that.path)
                && Arrays.equals(task, that.task);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, version, path, recordsToSkip) * 31 + Arrays.hashCode(task);
    }

    @Override
    public String toString() {
        return "LakeSplit{"
                + splitId
                + ", version="
                + version
                + ", path="
                + path
                + ", skip="
                + recordsToSkip
                + '}';
    }
}
