package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to read from a table, independent of its format: the version, the projected top-level
 * columns (in output order), filters for file pruning and the target split size.
 *
 * <p>A {@link #changelog() changelog} spec asks streaming reads for every row change: versions that
 * delete or rewrite rows are planned as {@link LakeIncrement.Kind#CHANGES} rather than {@link
 * LakeIncrement.Kind#REWRITE}, and the reader emits each row with its {@link
 * org.apache.flink.types.RowKind}.
 *
 * <p>Filters only prune: a format uses them to skip partitions and files by their statistics, and
 * may drop rows it can prove do not match, but it need not; callers keep evaluating them.
 *
 * <pre>{@code
 * LakeScanSpec spec =
 *         LakeScanSpec.builder()
 *                 .version(LakeVersionSelector.asOfTimestamp(ts))
 *                 .project(List.of("id", "amount"))
 *                 .filter(LakePredicate.greaterThan("amount", 100L))
 *                 .build();
 * }</pre>
 */
@PublicEvolving
public final class LakeScanSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Splits larger files into pieces of about this many bytes unless told otherwise. */
    public static final long DEFAULT_SPLIT_SIZE_BYTES = 128L * 1024 * 1024;

    private final LakeVersionSelector version;
    @Nullable private final List<String> projectedFields;
    private final List<LakePredicate> filters;
    private final long splitSizeBytes;
    private final boolean changelog;

    private LakeScanSpec(Builder builder) {
        this.version = builder.version;
        this.projectedFields =
                builder.projectedFields == null ? null : List.copyOf(builder.projectedFields);
        this.filters = List.copyOf(builder.filters);
        this.splitSizeBytes = builder.splitSizeBytes;
        this.changelog = builder.changelog;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Everything of the latest version. */
    public static LakeScanSpec latest() {
        return builder().build();
    }

    public LakeVersionSelector version() {
        return version;
    }

    /** The top-level columns to read in output order; null for all columns in table order. */
    @Nullable
    public List<String> projectedFields() {
        return projectedFields;
    }

    /** Conjuncts for pruning; empty if nothing is filtered. */
    public List<LakePredicate> filters() {
        return filters;
    }

    public long splitSizeBytes() {
        return splitSizeBytes;
    }

    /** Whether streaming reads plan every row change (deletes and inserts), not only appends. */
    public boolean changelog() {
        return changelog;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LakeScanSpec)) {
            return false;
        }
        LakeScanSpec that = (LakeScanSpec) o;
        return splitSizeBytes == that.splitSizeBytes
                && changelog == that.changelog
                && version.equals(that.version)
                && Objects.equals(projectedFields, that.projectedFields)
                && filters.equals(that.filters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, projectedFields, filters, splitSizeBytes, changelog);
    }

    @Override
    public String toString() {
        return "LakeScanSpec{"
                + version
                + ", columns="
                + (projectedFields == null ? "all" : projectedFields)
                + ", filters="
                + filters
                + ", splitSize="
                + splitSizeBytes
                + (changelog ? ", changelog" : "")
                + '}';
    }

    /** Builds a {@link LakeScanSpec}; see the class documentation for an example. */
    @PublicEvolving
    public static final class Builder {
        private LakeVersionSelector version = LakeVersionSelector.latest();
        @Nullable private List<String> projectedFields;
        private final List<LakePredicate> filters = new ArrayList<>();
        private long splitSizeBytes = DEFAULT_SPLIT_SIZE_BYTES;
        private boolean changelog;

        private Builder() {}

        public Builder version(LakeVersionSelector version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder project(List<String> fields) {
            if (fields.isEmpty() || fields.stream().distinct().count() != fields.size()) {
                throw new IllegalArgumentException(
                        "Projected columns must be distinct and not empty, got " + fields);
            }
            this.projectedFields = new ArrayList<>(fields);
            return this;
        }

        public Builder filter(LakePredicate predicate) {
            filters.add(Objects.requireNonNull(predicate, "predicate"));
            return this;
        }

        public Builder splitSizeBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("Split size must be positive, got " + bytes);
            }
            this.splitSizeBytes = bytes;
            return this;
        }

        /** Plans every row change of streamed versions; see {@link LakeScanSpec#changelog()}. */
        public Builder changelog(boolean changelog) {
            this.changelog = changelog;
            return this;
        }

        public LakeScanSpec build() {
            return new LakeScanSpec(this);
        }
    }
}
