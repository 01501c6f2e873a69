package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;
import java.util.Objects;

/**
 * What one committed version changed, as far as a streaming read cares: whether it only appended
 * rows (then its splits cover exactly the appended files), did not change any row (Iceberg {@code
 * replace} snapshots of compaction, Delta commits whose actions all have {@code dataChange =
 * false}, schema or property changes), or removed or rewrote rows (Iceberg {@code overwrite} and
 * {@code delete}, Delta commits with data-changing {@code remove} actions), which an append stream
 * cannot express.
 *
 * @param version the version
 * @param kind how the version changed the rows
 * @param operation the format's name of the commit, for messages (Iceberg's snapshot operation,
 *     Delta's {@code commitInfo.operation}), e.g. {@code append}, {@code overwrite}, {@code WRITE}
 * @param splits the appended files' splits for {@link Kind#APPEND}; empty otherwise
 * @param changes for {@link Kind#REWRITE}, what the commit added and removed, as far as the
 *     format's metadata tells (files, rows, delete files), for messages; empty otherwise
 */
@PublicEvolving
public record LakeIncrement(
        long version, Kind kind, String operation, List<LakeSplit> splits, String changes) {

    /** How a version changed the table's rows. */
    @PublicEvolving
    public enum Kind {
        /** Only added rows; reading its splits streams exactly those rows. */
        APPEND,
        /** Reorganized files or changed metadata; every row stayed as it was. */
        NO_DATA_CHANGE,
        /** Deleted, replaced or updated rows. */
        REWRITE
    }

    public LakeIncrement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(changes, "changes");
        splits = List.copyOf(splits);
        if (kind != Kind.APPEND && !splits.isEmpty()) {
            throw new IllegalArgumentException(
                    "Only an append has splits to stream; version " + version + " is " + kind);
        }
    }

    public static LakeIncrement append(long version, String operation, List<LakeSplit> splits) {
        return new LakeIncrement(version, Kind.APPEND, operation, splits, "");
    }

    public static LakeIncrement noDataChange(long version, String operation) {
        return new LakeIncrement(version, Kind.NO_DATA_CHANGE, operation, List.of(), "");
    }

    /**
     * @param changes what the commit added and removed, e.g. {@code "adds 2 data files (1,000
     *     rows), removes 1 data file (600 rows)"}
     */
    public static LakeIncrement rewrite(long version, String operation, String changes) {
        return new LakeIncrement(version, Kind.REWRITE, operation, List.of(), changes);
    }
}
