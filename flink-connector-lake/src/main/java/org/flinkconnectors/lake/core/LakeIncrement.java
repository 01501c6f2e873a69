package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.flinkconnectors.lake.core.LakeSplit.ChangePhase.DELETE;
import static org.flinkconnectors.lake.core.LakeSplit.ChangePhase.INSERT;

/**
 * What one committed version changed, as far as a streaming read cares: whether it only appended
 * rows (then its splits cover exactly the appended files), did not change any row (Iceberg {@code
 * replace} snapshots of compaction, Delta commits whose actions all have {@code dataChange =
 * false}, schema or property changes), or removed or rewrote rows (Iceberg {@code overwrite} and
 * {@code delete}, Delta commits with data-changing {@code remove} actions), which an append stream
 * cannot express. A changelog read ({@link LakeScanSpec#changelog()}) plans such versions, and
 * appends, as {@link Kind#CHANGES}: splits of the deleted rows, then splits of the inserted ones.
 *
 * @param version the version
 * @param kind how the version changed the rows
 * @param operation the format's name of the commit, for messages (Iceberg's snapshot operation,
 *     Delta's {@code commitInfo.operation}), e.g. {@code append}, {@code overwrite}, {@code WRITE}
 * @param splits the appended files' splits for {@link Kind#APPEND}; for {@link Kind#CHANGES} the
 *     change splits, every delete-phase split before every insert-phase split; empty otherwise
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
        /** Deleted, replaced or updated rows, which this read cannot express. */
        REWRITE,
        /**
         * Any row changes, as change splits: reading the delete-phase splits yields the rows the
         * version removed (full rows), reading the insert-phase splits the rows it added.
         */
        CHANGES
    }

    public LakeIncrement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(changes, "changes");
        splits = List.copyOf(splits);
        if (kind != Kind.APPEND && kind != Kind.CHANGES && !splits.isEmpty()) {
            throw new IllegalArgumentException(
                    "Only appends and changes have splits to stream; version "
                            + version
                            + " is "
                            + kind);
        }
        if (kind == Kind.CHANGES) {
            checkChangeOrder(version, splits);
        } else if (splits.stream().anyMatch(s -> s.changePhase().isPresent())) {
            throw new IllegalArgumentException(
                    "Change splits belong to a " + Kind.CHANGES + " increment, not " + kind);
        }
    }

    private static void checkChangeOrder(long version, List<LakeSplit> splits) {
        boolean inserting = false;
        for (LakeSplit split : splits) {
            LakeSplit.ChangePhase phase =
                    split.changePhase()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "Split "
                                                            + split.splitId()
                                                            + " of version "
                                                            + version
                                                            + " has no change phase"));
            if (phase == LakeSplit.ChangePhase.INSERT) {
                inserting = true;
            } else if (inserting) {
                throw new IllegalArgumentException(
                        "Delete split "
                                + split.splitId()
                                + " of version "
                                + version
                                + " comes after an insert split; deletes must come first");
            }
        }
    }

    public static LakeIncrement append(long version, String operation, List<LakeSplit> splits) {
        return new LakeIncrement(version, Kind.APPEND, operation, splits, "");
    }

    /**
     * The change splits of a version, put in reading order: the delete-phase splits first, each
     * phase in the given order.
     */
    public static LakeIncrement changes(long version, String operation, List<LakeSplit> splits) {
        List<LakeSplit> ordered = new ArrayList<>(splits.size());
        for (LakeSplit.ChangePhase phase : List.of(DELETE, INSERT)) {
            splits.stream()
                    .filter(s -> s.changePhase().orElse(null) == phase)
                    .forEach(ordered::add);
        }
        if (ordered.size() != splits.size()) {
            // Splits without a phase: let the constructor name one.
            ordered = splits;
        }
        return new LakeIncrement(version, Kind.CHANGES, operation, ordered, "");
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
