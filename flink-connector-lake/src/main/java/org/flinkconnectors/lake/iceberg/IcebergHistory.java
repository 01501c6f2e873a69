package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.DataOperations;
import org.apache.iceberg.IncrementalAppendScan;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;

/**
 * The history of an Iceberg table for streaming reads: the ancestors of the current snapshot after
 * a cursor, and what each snapshot did, by its operation: {@code append} adds files (planned with
 * Iceberg's {@link IncrementalAppendScan}, which takes the files a snapshot added and none of the
 * delete files), {@code replace} rewrites files without changing rows (compaction), {@code
 * overwrite} and {@code delete} remove or replace rows.
 *
 * <p>A {@link LakeScanSpec#changelog() changelog} read plans every snapshot but {@code replace}
 * with {@link IcebergChangePlanner} instead.
 *
 * <p>Branches are out of scope: the history is the main branch's, the ancestry of the current
 * snapshot.
 */
@Internal
final class IcebergHistory {

    private IcebergHistory() {}

    /**
     * Walks from the current snapshot back to the cursor by parent ids, so the cursor snapshot
     * itself may have expired as long as its children have not.
     */
    static List<LakeCommit> commitsAfter(Table table, String name, OptionalLong afterVersion) {
        List<LakeCommit> commits = new ArrayList<>();
        Snapshot snapshot = table.currentSnapshot();
        boolean reachedCursor = afterVersion.isEmpty();
        while (snapshot != null) {
            if (afterVersion.isPresent() && snapshot.snapshotId() == afterVersion.getAsLong()) {
                reachedCursor = true;
                break;
            }
            commits.add(new LakeCommit(snapshot.snapshotId(), snapshot.timestampMillis()));
            Long parent = snapshot.parentId();
            if (parent != null && afterVersion.isPresent() && parent == afterVersion.getAsLong()) {
                reachedCursor = true;
                break;
            }
            snapshot = parent == null ? null : table.snapshot(parent);
        }
        if (!reachedCursor) {
            throw new IllegalStateException(
                    String.format(
                            "snapshot %d, the last one read from %s, is not an ancestor of the"
                                    + " current snapshot %s: the table was rolled back, or the"
                                    + " snapshots after it expired before they were read.",
                            afterVersion.getAsLong(),
                            name,
                            table.currentSnapshot() == null
                                    ? "(none)"
                                    : table.currentSnapshot().snapshotId()));
        }
        Collections.reverse(commits);
        return commits;
    }

    /** The field ids of the schema's top-level columns, as {@link LakeTable#columnIds} says. */
    static List<String> columnIds(Schema schema) {
        return schema.columns().stream().map(field -> String.valueOf(field.fieldId())).toList();
    }

    static LakeIncrement planIncrement(
            Table table, String name, long version, LakeScanSpec spec, ExecutorService planning)
            throws IOException {
        Snapshot snapshot = table.snapshot(version);
        if (snapshot == null) {
            throw new IllegalArgumentException(
                    "snapshot id " + version + " does not exist in " + name);
        }
        if (spec.changelog()) {
            return new IcebergChangePlanner(table, spec, planning).plan(snapshot);
        }
        String operation = snapshot.operation() == null ? "unknown" : snapshot.operation();
        switch (operation) {
            case DataOperations.APPEND:
                return LakeIncrement.append(
                        version, operation, planAppended(table, version, spec, planning));
            case DataOperations.REPLACE:
                return LakeIncrement.noDataChange(version, operation);
            default:
                // overwrite, delete, and anything Iceberg may add later: rows may have changed.
                return LakeIncrement.rewrite(version, operation, changes(snapshot));
        }
    }

    private static List<LakeSplit> planAppended(
            Table table, long version, LakeScanSpec spec, ExecutorService planning)
            throws IOException {
        IncrementalAppendScan scan =
                table.newIncrementalAppendScan()
                        .fromSnapshotInclusive(version)
                        .toSnapshot(version)
                        .caseSensitive(true)
                        .filter(IcebergPredicates.toExpression(spec.filters()))
                        .planWith(planning);
        if (!IcebergLakeTable.filtersOnProjectedColumnsOnly(spec)) {
            scan = scan.ignoreResiduals();
        }
        return IcebergLakeTable.toSplits(version, scan.planFiles(), spec);
    }

    /** What a snapshot added and removed, from its summary. */
    static String changes(Snapshot snapshot) {
        Map<String, String> summary = snapshot.summary();
        return String.format(
                "adds %s data files (%s rows) and %s delete files (%s position, %s equality"
                        + " deletes), removes %s data files (%s rows)",
                summary.getOrDefault("added-data-files", "0"),
                summary.getOrDefault("added-records", "0"),
                summary.getOrDefault("added-delete-files", "0"),
                summary.getOrDefault("added-position-deletes", "0"),
                summary.getOrDefault("added-equality-deletes", "0"),
                summary.getOrDefault("deleted-data-files", "0"),
                summary.getOrDefault("deleted-records", "0"));
    }
}
