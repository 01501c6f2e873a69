package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.CommitActions;
import io.delta.kernel.CommitRange;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.utils.CloseableIterator;

import javax.annotation.Nullable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans the row changes of one Delta version as change splits, by the reader rules of the Delta
 * protocol for change data files:
 *
 * <ul>
 *   <li>A version with {@code cdc} actions: only its {@code _change_data} files, each planned
 *       twice, a delete-phase split of its {@code delete} and {@code update_preimage} rows and an
 *       insert-phase split of its {@code insert} and {@code update_postimage} rows.
 *   <li>Otherwise each data-changing {@code add} inserts the rows its deletion vector leaves, and
 *       each data-changing {@code remove} deletes the rows the file had before (the remove's
 *       vector). A file removed and added again (a deletion vector written or replaced) deletes the
 *       positions only the new vector marks and restores those only the old one marked; an equal
 *       vector changes no row.
 *   <li>Only {@code dataChange = false} actions (OPTIMIZE), or none: no row changed.
 * </ul>
 *
 * <p>Without change data files a rewritten file (copy-on-write DELETE or UPDATE, with the change
 * data feed off) is a delete of all its old rows and an insert of all its new ones: still exact as
 * a multiset, but every untouched row of the file comes as a -D/+I pair, which an upsert sink or
 * ChangelogNormalize absorbs. The planner accepts that rather than refusing such versions, as Spark
 * does when the feed was off.
 *
 * <p>Costs per version: one read of the commit file; one file status per file to read (to fail
 * early when VACUUM deleted it, and for the size a {@code remove} may leave out); both deletion
 * vectors of each file whose vector changed. Reading then costs one read of each change data file
 * per phase, or of each added or removed file; a file whose vector changed is read once per
 * direction that has rows (usually only the delete direction).
 *
 * <p>A version that cannot be read as changes fails with an {@link IllegalStateException} naming
 * it: a reader feature Kernel does not support, a file that is gone, a {@code remove} of a
 * partitioned table without partition values.
 */
@Internal
final class DeltaChangePlanner {

    private final Engine engine;
    private final String name;
    private final String tableRoot;
    private final boolean partitioned;

    DeltaChangePlanner(Engine engine, String name, String tableRoot, boolean partitioned) {
        this.engine = engine;
        this.name = name;
        this.tableRoot = tableRoot;
        this.partitioned = partitioned;
    }

    LakeIncrement plan(CommitRange range, long version) throws IOException {
        VersionActions actions = new VersionActions();
        try (CloseableIterator<CommitActions> commits =
                range.getCommitActions(
                        engine,
                        EnumSet.of(
                                DeltaAction.ADD,
                                DeltaAction.REMOVE,
                                DeltaAction.CDC,
                                DeltaAction.COMMITINFO))) {
            CommitActions commit = commits.next();
            try {
                actions.collect(commit);
            } finally {
                DeltaHistory.close(commit);
            }
        } catch (KernelException e) {
            throw cannotRead(version, e.getMessage(), e);
        }
        List<LakeSplit> splits = new ArrayList<>();
        if (!actions.changeData.isEmpty()) {
            for (DeltaFileAction cdc : actions.changeData) {
                byte[] task = DeltaChangeTask.changeData(encode(version, cdc, null)).toBytes();
                add(splits, version, cdc, ChangePhase.DELETE, task);
                add(splits, version, cdc, ChangePhase.INSERT, task);
            }
            return LakeIncrement.changes(version, actions.operation, splits);
        }
        boolean changed = false;
        for (DeltaFileAction removed : actions.removed.values()) {
            DeltaFileAction added = actions.added.remove(removed.path());
            if (added != null) {
                changed |= planReplaced(version, removed, added, splits);
            } else if (removed.dataChange()) {
                changed = true;
                byte[] scanFile = encode(version, removed, removed.deletionVector());
                add(splits, version, removed, ChangePhase.DELETE, live(scanFile));
            }
        }
        for (DeltaFileAction added : actions.added.values()) {
            if (added.dataChange()) {
                changed = true;
                byte[] scanFile = encode(version, added, added.deletionVector());
                add(splits, version, added, ChangePhase.INSERT, live(scanFile));
            }
        }
        return changed
                ? LakeIncrement.changes(version, actions.operation, splits)
                : LakeIncrement.noDataChange(version, actions.operation);
    }

    /** A file removed and added again in one version; whether rows may have changed. */
    private boolean planReplaced(
            long version, DeltaFileAction removed, DeltaFileAction added, List<LakeSplit> splits)
            throws IOException {
        DeletionVectorDescriptor before = removed.deletionVector();
        DeletionVectorDescriptor after = added.deletionVector();
        if (!removed.dataChange() && !added.dataChange()) {
            return false;
        }
        if (Objects.equals(before, after)) {
            return true;
        }
        byte[] scanFile = encode(version, added, null);
        if (after != null && !diff(version, added, after, before).isEmpty()) {
            byte[] task = DeltaChangeTask.markedOnly(scanFile, after, before).toBytes();
            add(splits, version, added, ChangePhase.DELETE, task);
        }
        if (before != null && !diff(version, added, before, after).isEmpty()) {
            byte[] task = DeltaChangeTask.markedOnly(scanFile, before, after).toBytes();
            add(splits, version, added, ChangePhase.INSERT, task);
        }
        return true;
    }

    private DeltaDeletionVectorDiff diff(
            long version,
            DeltaFileAction file,
            DeletionVectorDescriptor marked,
            @Nullable DeletionVectorDescriptor unmarked) {
        try {
            return DeltaDeletionVectorDiff.load(engine, tableRoot, marked, unmarked);
        } catch (RuntimeException e) {
            throw cannotRead(
                    version,
                    "the deletion vectors of its data file "
                            + file.path()
                            + " cannot be read ("
                            + e.getMessage()
                            + "; VACUUM may have deleted them)",
                    e);
        }
    }

    /**
     * The scan file payload of an action's file read with {@code dv}, after checking that the file
     * (and an on-disk vector) still exists.
     */
    private byte[] encode(
            long version, DeltaFileAction action, @Nullable DeletionVectorDescriptor dv)
            throws IOException {
        if (action.partitionValues() == null && partitioned) {
            throw cannotRead(
                    version,
                    "its remove action of "
                            + action.path()
                            + " has no partition values (a writer without extended file"
                            + " metadata wrote it), so the removed rows cannot be read",
                    null);
        }
        Row located = action.scanFile(tableRoot, null, 0);
        String path = InternalScanFileUtils.getAddFileStatus(located).getPath();
        long size = fileSize(version, path, "file");
        if (dv != null && dv.isOnDisk()) {
            fileSize(version, dv.getAbsolutePath(tableRoot), "deletion vector file");
        }
        return DeltaScanFile.encode(action.scanFile(tableRoot, dv, size));
    }

    private long fileSize(long version, String path, String what) throws IOException {
        try {
            return engine.getFileSystemClient().getFileStatus(path).getSize();
        } catch (FileNotFoundException e) {
            throw cannotRead(
                    version,
                    "its " + what + " " + path + " no longer exists (VACUUM may have deleted it)",
                    e);
        }
    }

    private static byte[] live(byte[] scanFile) throws IOException {
        return DeltaChangeTask.live(scanFile).toBytes();
    }

    private void add(
            List<LakeSplit> splits,
            long version,
            DeltaFileAction file,
            ChangePhase phase,
            byte[] task) {
        String id = version + (phase == ChangePhase.DELETE ? "-d-" : "-i-") + splits.size();
        String path =
                InternalScanFileUtils.getAddFileStatus(file.scanFile(tableRoot, null, 0)).getPath();
        splits.add(LakeSplit.change(id, version, path, task, phase, file.routingKey()));
    }

    private IllegalStateException cannotRead(long version, String why, @Nullable Throwable cause) {
        return new IllegalStateException(
                "version " + version + " of " + name + " cannot be read as changes: " + why, cause);
    }

    /** The file actions of one version, by kind; adds and removes by path. */
    private static final class VersionActions {
        String operation = DeltaHistory.UNKNOWN_OPERATION;
        final Map<String, DeltaFileAction> added = new LinkedHashMap<>();
        final Map<String, DeltaFileAction> removed = new LinkedHashMap<>();
        final List<DeltaFileAction> changeData = new ArrayList<>();

        void collect(CommitActions commit) throws IOException {
            try (CloseableIterator<ColumnarBatch> batches = commit.getActions()) {
                while (batches.hasNext()) {
                    ColumnarBatch batch = batches.next();
                    ColumnVector adds = DeltaHistory.column(batch, DeltaAction.ADD);
                    ColumnVector removes = DeltaHistory.column(batch, DeltaAction.REMOVE);
                    ColumnVector cdcs = DeltaHistory.column(batch, DeltaAction.CDC);
                    ColumnVector infos = DeltaHistory.column(batch, DeltaAction.COMMITINFO);
                    for (int row = 0; row < batch.getSize(); row++) {
                        if (!adds.isNullAt(row)) {
                            DeltaFileAction add = DeltaFileAction.of(adds, row);
                            added.put(add.path(), add);
                        }
                        if (!removes.isNullAt(row)) {
                            DeltaFileAction remove = DeltaFileAction.of(removes, row);
                            removed.put(remove.path(), remove);
                        }
                        if (!cdcs.isNullAt(row)) {
                            changeData.add(DeltaFileAction.of(cdcs, row));
                        }
                        if (!infos.isNullAt(row)) {
                            operation = DeltaHistory.operation(infos, row);
                        }
                    }
                }
            }
        }
    }
}
