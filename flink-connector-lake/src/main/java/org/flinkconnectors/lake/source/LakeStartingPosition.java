package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a streaming read of a table starts; after it, the read tails every version committed later.
 *
 * <ul>
 *   <li>{@link #latest()}: nothing that exists when the job starts, only later commits.
 *   <li>{@link #earliest()}: every live row of the version current when the job starts (a full
 *       scan, deletes applied), then later commits.
 *   <li>{@link #version(long)}: the rows appended by that version (an Iceberg snapshot id, a Delta
 *       version) and by each later one.
 *   <li>{@link #timestamp(long)}: the rows appended by each version committed at or after that
 *       time; if there is none yet, the read waits for it.
 * </ul>
 */
@PublicEvolving
public final class LakeStartingPosition implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The kinds of starting positions; see the class documentation. */
    @PublicEvolving
    public enum Kind {
        LATEST,
        EARLIEST,
        VERSION,
        TIMESTAMP
    }

    private static final LakeStartingPosition LATEST = new LakeStartingPosition(Kind.LATEST, 0);
    private static final LakeStartingPosition EARLIEST = new LakeStartingPosition(Kind.EARLIEST, 0);

    private final Kind kind;
    private final long value;

    private LakeStartingPosition(Kind kind, long value) {
        this.kind = kind;
        this.value = value;
    }

    public static LakeStartingPosition latest() {
        return LATEST;
    }

    public static LakeStartingPosition earliest() {
        return EARLIEST;
    }

    public static LakeStartingPosition version(long version) {
        return new LakeStartingPosition(Kind.VERSION, version);
    }

    public static LakeStartingPosition timestamp(long epochMillis) {
        return new LakeStartingPosition(Kind.TIMESTAMP, epochMillis);
    }

    public Kind kind() {
        return kind;
    }

    /** The first version to read, for {@link Kind#VERSION}. */
    public long version() {
        requireKind(Kind.VERSION);
        return value;
    }

    /** The earliest commit time to read (epoch millis), for {@link Kind#TIMESTAMP}. */
    public long timestampMillis() {
        requireKind(Kind.TIMESTAMP);
        return value;
    }

    private void requireKind(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException("Starting position " + this + " is not " + expected);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LakeStartingPosition that && kind == that.kind && value == that.value;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VERSION -> "from version " + value;
            case TIMESTAMP -> "from commits at or after " + Instant.ofEpochMilli(value);
            case EARLIEST -> "earliest (the current version in full, then later commits)";
            default -> "latest (only later commits)";
        };
    }
}
