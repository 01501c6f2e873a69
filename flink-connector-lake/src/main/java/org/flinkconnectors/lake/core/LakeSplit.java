package org.flinkconnectors.lake.core;

import org.flinkconnectors.base.source.split.PositionedSplit;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A piece of one data file of one table version, plus how many of its records were already emitted
 * (the checkpointed progress).
 *
 * <p>The core knows the file path and the version for messages and metadata columns; everything
 * else a format needs to read the piece travels in the opaque {@link #task() task} payload, which
 * only the format's {@link LakeReaderFactory} interprets: for Iceberg the file scan task with its
 * byte range, delete files, partition spec and residual filter; for Delta the scan file row with
 * its deletion vector descriptor and partition values.
 *
 * <p>A split of a changelog read ({@link LakeIncrement.Kind#CHANGES}) also has a {@link
 * #changePhase() change phase}, whether its rows were deleted or inserted by the version, and a
 * {@link #routingKey() routing key}, the partition the rows belong to, so that the changes of one
 * partition can be read by one reader in order. Splits of a plain read have neither.
 */
@PublicEvolving
public final class LakeSplit implements PositionedSplit<LakeSplit> {

    /**
     * Whether a changelog split's rows were removed or added by its version. A version's deletes
     * are read before its inserts, so a row rewritten with the same key arrives as -D then +I.
     */
    @PublicEvolving
    public enum ChangePhase {
        DELETE((byte) 1, RowKind.DELETE),
        INSERT((byte) 2, RowKind.INSERT);

        private final byte code;
        private final RowKind rowKind;

        ChangePhase(byte code, RowKind rowKind) {
            this.code = code;
            this.rowKind = rowKind;
        }

        /** A stable code for serialized splits (never the ordinal). */
        public byte code() {
            return code;
        }

        /** The kind the phase's rows are emitted with. */
        public RowKind rowKind() {
            return rowKind;
        }

        public static ChangePhase fromCode(byte code) {
            for (ChangePhase phase : values()) {
                if (phase.code == code) {
                    return phase;
                }
            }
            throw new IllegalArgumentException("Unknown change phase code " + code);
        }
    }

    private final String splitId;
    private final long version;
    private final String path;
    private final byte[] task;
    private final long recordsToSkip;
    @Nullable private final ChangePhase changePhase;
    @Nullable private final String routingKey;

    /** A split of a plain read: no change phase, no routing key. */
    public LakeSplit(String splitId, long version, String path, byte[] task, long recordsToSkip) {
        this(splitId, version, path, task, recordsToSkip, null, null);
    }

    /** A split with all fields; the change phase and the routing key are both set or both null. */
    public LakeSplit(
            String splitId,
            long version,
            String path,
            byte[] task,
            long recordsToSkip,
            @Nullable ChangePhase changePhase,
            @Nullable String routingKey) {
        if (recordsToSkip < 0) {
            throw new IllegalArgumentException(
                    "Records to skip must not be negative, got " + recordsToSkip + " for " + path);
        }
        if ((changePhase == null) != (routingKey == null)) {
            throw new IllegalArgumentException(
                    "A change split needs both a phase and a routing key, got "
                            + changePhase
                            + " and "
                            + routingKey
                            + " for "
                            + path);
        }
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.version = version;
        this.path = Objects.requireNonNull(path, "path");
        this.task = Objects.requireNonNull(task, "task");
        this.recordsToSkip = recordsToSkip;
        this.changePhase = changePhase;
        this.routingKey = routingKey;
    }

    /** A changelog split whose rows the version deleted or inserted, in the routing key's group. */
    public static LakeSplit change(
            String splitId,
            long version,
            String path,
            byte[] task,
            ChangePhase phase,
            String routingKey) {
        return new LakeSplit(
                splitId,
                version,
                path,
                task,
                0,
                Objects.requireNonNull(phase, "phase"),
                Objects.requireNonNull(routingKey, "routingKey"));
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

    /** Where a reader resumes: {@link #recordsToSkip()}. */
    @Override
    public long position() {
        return recordsToSkip;
    }

    @Override
    public LakeSplit atPosition(long recordsEmitted) {
        return withRecordsToSkip(recordsEmitted);
    }

    /** For a changelog split, whether its rows were deleted or inserted; empty otherwise. */
    public Optional<ChangePhase> changePhase() {
        return Optional.ofNullable(changePhase);
    }

    /**
     * For a changelog split, the group its rows belong to (for partitioned tables the partition,
     * otherwise the empty string); splits with the same key must be read by one reader, in order.
     */
    public Optional<String> routingKey() {
        return Optional.ofNullable(routingKey);
    }

    public LakeSplit withRecordsToSkip(long records) {
        return new LakeSplit(splitId, version, path, task, records, changePhase, routingKey);
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
                && Arrays.equals(task, that.task)
                && changePhase == that.changePhase
                && Objects.equals(routingKey, that.routingKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, version, path, recordsToSkip, changePhase, routingKey) * 31
                + Arrays.hashCode(task);
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
                + (changePhase == null ? "" : ", phase=" + changePhase + ", route=" + routingKey)
                + '}';
    }
}
