package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which version of a table to read: the latest, an exact version (an Iceberg snapshot id or a Delta
 * table version), the version that was current at a point in time, or a named reference (an Iceberg
 * tag or branch; Delta has none).
 *
 * <p>A selector is resolved once, when the source is built, so every reader and every restore reads
 * the same version even if the table moves on meanwhile.
 */
@PublicEvolving
public final class LakeVersionSelector implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What a selector points at. */
    @PublicEvolving
    public enum Kind {
        LATEST,
        VERSION,
        AS_OF_TIMESTAMP,
        REF
    }

    private static final LakeVersionSelector LATEST = new LakeVersionSelector(Kind.LATEST, 0, null);

    private final Kind kind;
    private final long value;
    @Nullable private final String ref;

    private LakeVersionSelector(Kind kind, long value, @Nullable String ref) {
        this.kind = kind;
        this.value = value;
        this.ref = ref;
    }

    public static LakeVersionSelector latest() {
        return LATEST;
    }

    /** An Iceberg snapshot id or a Delta table version. */
    public static LakeVersionSelector version(long version) {
        return new LakeVersionSelector(Kind.VERSION, version, null);
    }

    /** The version that was current at {@code epochMillis} (the last commit at or before it). */
    public static LakeVersionSelector asOfTimestamp(long epochMillis) {
        return new LakeVersionSelector(Kind.AS_OF_TIMESTAMP, epochMillis, null);
    }

    /** A named reference: an Iceberg tag or branch. */
    public static LakeVersionSelector ref(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A table reference name must not be empty.");
        }
        return new LakeVersionSelector(Kind.REF, 0, name);
    }

    public Kind kind() {
        return kind;
    }

    /** The version for {@link Kind#VERSION}. */
    public long version() {
        requireKind(Kind.VERSION);
        return value;
    }

    /** The point in time (epoch millis) for {@link Kind#AS_OF_TIMESTAMP}. */
    public long timestampMillis() {
        requireKind(Kind.AS_OF_TIMESTAMP);
        return value;
    }

    /** The reference name for {@link Kind#REF}. */
    public String refName() {
        requireKind(Kind.REF);
        return ref;
    }

    private void requireKind(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException("Selector " + this + " is not of kind " + expected);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LakeVersionSelector)) {
            return false;
        }
        LakeVersionSelector that = (LakeVersionSelector) o;
        return kind == that.kind && value == that.value && Objects.equals(ref, that.ref);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value, ref);
    }

    @Override
    public String toString() {
        switch (kind) {
            case VERSION:
                return "version " + value;
            case AS_OF_TIMESTAMP:
                return "as of " + java.time.Instant.ofEpochMilli(value);
            case REF:
                return "ref '" + ref + "'";
            default:
                return "latest";
        }
    }
}
