package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.CommitActions;
import io.delta.kernel.CommitRange;
import io.delta.kernel.CommitRangeBuilder.CommitBoundary;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.internal.DeltaHistoryManager;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.data.StructRow;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.util.ColumnMapping;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The history of a Delta table for streaming reads: the versions of its log after a cursor, and
 * what each one did, told by its {@code add} and {@code remove} actions (Kernel's {@link
 * CommitRange}):
 *
 * <ul>
 *   <li>a {@code remove} with {@code dataChange = true} removed rows (DELETE, UPDATE, MERGE, an
 *       overwrite, or a deletion vector added to an existing file, which removes the file and adds
 *       it again): a rewrite;
 *   <li>otherwise {@code add}s with {@code dataChange = true} are an append of exactly those files;
 *   <li>otherwise no row changed: files rearranged with {@code dataChange = false} (OPTIMIZE,
 *       compaction), or only metadata, protocol or properties changed (a schema change among them).
 * </ul>
 *
 * <p>An appended file's split carries the add action as Kernel's scan would have returned it
 * (partition values keyed by physical names, deletion vector descriptor), so it is read like any
 * other split, with the scan state of its version. The scan's filters do not prune appended files;
 * they only prune, so the rows stay right.
 *
 * <p>A {@link LakeScanSpec#changelog() changelog} read plans every version with {@link
 * DeltaChangePlanner} instead, as the row changes it made.
 */
@Internal
final class DeltaHistory {

    static final String UNKNOWN_OPERATION = "unknown";

    private DeltaHistory() {}

    /**
     * The log's versions after the cursor up to {@code latest}, with their commit times (the
     * in-commit timestamp where the table has them, else the commit file's time); without a cursor
     * from the oldest commit file still in the log.
     */
    static List<LakeCommit> commitsAfter(
            Engine engine, Snapshot latest, String name, OptionalLong afterVersion)
            throws IOException {
        long latestVersion = latest.getVersion();
        long first;
        if (afterVersion.isPresent()) {
            if (afterVersion.getAsLong() > latestVersion) {
                throw new IllegalStateException(
                        String.format(
                                "version %d, the last one read from %s, is after its latest"
                                        + " version %d: the table was replaced by another one.",
                                afterVersion.getAsLong(), name, latestVersion));
            }
            first = afterVersion.getAsLong() + 1;
        } else {
            first = earliestCommit(engine, latest);
        }
        if (first > latestVersion) {
            return List.of();
        }
        CommitRange range;
        try {
            range = range(engine, latest, first, latestVersion);
        } catch (KernelException e) {
            throw new IllegalStateException(
                    String.format(
                            "the versions of %s after version %d can no longer be read: %s"
                                    + " (the log was cleaned up before they were read).",
                            name, first - 1, e.getMessage()),
                    e);
        }
        List<LakeCommit> commits = new ArrayList<>();
        try (CloseableIterator<CommitActions> versions =
                range.getCommitActions(engine, EnumSet.of(DeltaAction.COMMITINFO))) {
            while (versions.hasNext()) {
                CommitActions commit = versions.next();
                commits.add(new LakeCommit(commit.getVersion(), commit.getTimestamp()));
                close(commit);
            }
        }
        return commits;
    }

    /**
     * The physical names of the schema's top-level columns, as {@link
     * org.flinkconnectors.lake.core.LakeTable#columnIds} says: under column mapping a rename keeps
     * them and a drop retires them; without it they are the names.
     */
    static List<String> columnIds(StructType schema) {
        return schema.fields().stream().map(ColumnMapping::getPhysicalName).toList();
    }

    /**
     * What one version did; see the class documentation. A changelog spec plans the version's row
     * changes with {@link DeltaChangePlanner} instead.
     */
    static LakeIncrement planIncrement(
            Engine engine, Snapshot latest, String name, long version, LakeScanSpec spec)
            throws IOException {
        if (version < 0 || version > latest.getVersion()) {
            throw new IllegalArgumentException(
                    String.format(
                            "version %d does not exist in %s; the latest version is %d",
                            version, name, latest.getVersion()));
        }
        CommitRange range;
        try {
            range = range(engine, latest, version, version);
        } catch (KernelException e) {
            throw new IllegalArgumentException(
                    "version " + version + " of " + name + " cannot be read: " + e.getMessage(), e);
        }
        String tableRoot = new Path(latest.getPath()).toUri().toString();
        if (spec.changelog()) {
            boolean partitioned = !latest.getPartitionColumnNames().isEmpty();
            return new DeltaChangePlanner(engine, name, tableRoot, partitioned)
                    .plan(range, version);
        }
        Set<DeltaAction> actions =
                EnumSet.of(DeltaAction.ADD, DeltaAction.REMOVE, DeltaAction.COMMITINFO);
        String operation = UNKNOWN_OPERATION;
        boolean removedRows = false;
        List<LakeSplit> appended = new ArrayList<>();
        DeltaChangeCount added = new DeltaChangeCount();
        DeltaChangeCount removed = new DeltaChangeCount();
        try (CloseableIterator<CommitActions> commits = range.getCommitActions(engine, actions)) {
            CommitActions commit = commits.next();
            try (CloseableIterator<ColumnarBatch> batches = commit.getActions()) {
                while (batches.hasNext()) {
                    ColumnarBatch batch = batches.next();
                    ColumnVector adds = column(batch, DeltaAction.ADD);
                    ColumnVector removes = column(batch, DeltaAction.REMOVE);
                    ColumnVector infos = column(batch, DeltaAction.COMMITINFO);
                    for (int row = 0; row < batch.getSize(); row++) {
                        if (changesData(removes, row)) {
                            removedRows = true;
                            removed.count(removes, row);
                        }
                        if (changesData(adds, row)) {
                            appended.add(split(version, appended.size(), adds, row, tableRoot));
                            added.count(adds, row);
                        }
                        if (!infos.isNullAt(row)) {
                            operation = operation(infos, row);
                        }
                    }
                }
            } finally {
                close(commit);
            }
        }
        if (removedRows) {
            return LakeIncrement.rewrite(
                    version,
                    operation,
                    "adds " + added.describe() + ", removes " + removed.describe());
        }
        return appended.isEmpty()
                ? LakeIncrement.noDataChange(version, operation)
                : LakeIncrement.append(version, operation, appended);
    }

    private static CommitRange range(Engine engine, Snapshot latest, long first, long last) {
        return TableManager.loadCommitRange(latest.getPath(), CommitBoundary.atVersion(first))
                .withEndBoundary(CommitBoundary.atVersion(last))
                .build(engine);
    }

    private static long earliestCommit(Engine engine, Snapshot latest) {
        Path log = new Path(latest.getPath(), "_delta_log");
        return DeltaHistoryManager.getEarliestDeltaFile(engine, log, Optional.empty());
    }

    static ColumnVector column(ColumnarBatch batch, DeltaAction action) {
        return batch.getColumnVector(batch.getSchema().indexOf(action.colName));
    }

    /**
     * Whether the add or remove action in this row changes data. The protocol requires the flag;
     * were it missing, assuming a change is the safe reading.
     */
    private static boolean changesData(ColumnVector actions, int row) {
        if (actions.isNullAt(row)) {
            return false;
        }
        StructType schema = (StructType) actions.getDataType();
        ColumnVector dataChange = actions.getChild(schema.indexOf("dataChange"));
        return dataChange.isNullAt(row) || dataChange.getBoolean(row);
    }

    static String operation(ColumnVector commitInfos, int row) {
        StructType schema = (StructType) commitInfos.getDataType();
        ColumnVector operation = commitInfos.getChild(schema.indexOf("operation"));
        return operation.isNullAt(row) ? UNKNOWN_OPERATION : operation.getString(row);
    }

    /**
     * The split of an added file. The add action's leading fields are those of a scan file's {@code
     * add} (the full schema only appends statistics), so the action becomes a scan file row as it
     * is.
     */
    private static LakeSplit split(
            long version, int index, ColumnVector adds, int row, String tableRoot)
            throws IOException {
        Row add = StructRow.fromStructVector(adds, row);
        Row scanFile =
                new GenericRow(
                        InternalScanFileUtils.SCAN_FILE_SCHEMA,
                        Map.of(
                                InternalScanFileUtils.SCAN_FILE_SCHEMA.indexOf("add"),
                                add,
                                InternalScanFileUtils.SCAN_FILE_SCHEMA.indexOf("tableRoot"),
                                tableRoot));
        String path = InternalScanFileUtils.getAddFileStatus(scanFile).getPath();
        return new LakeSplit(
                version + "-" + index, version, path, DeltaScanFile.encode(scanFile), 0);
    }

    static void close(CommitActions commit) throws IOException {
        try {
            commit.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(
                    "Could not close the actions of version " + commit.getVersion(), e);
        }
    }
}
