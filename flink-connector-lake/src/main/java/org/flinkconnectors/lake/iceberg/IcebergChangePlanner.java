package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.BaseFileScanTask;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.Projections;
import org.apache.iceberg.expressions.ResidualEvaluator;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.TableScanUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Plans the row changes of one Iceberg snapshot S against its parent P as change splits, from
 * Iceberg's public API only ({@code IncrementalChangelogScan} refuses tables with delete files):
 *
 * <ul>
 *   <li>{@code replace}: no row changes.
 *   <li>Data files S removed: every row they had at P (read with P's deletes) is deleted.
 *   <li>Data files S added: every row is inserted, except those the position deletes and deletion
 *       vectors of S delete. Equality deletes of S never apply to files of S (they apply to lower
 *       sequence numbers only).
 *   <li>Delete files S added, on P's other data files: the rows alive at P that they delete are
 *       deleted. A deletion vector that replaces an older one (which S removes) therefore yields
 *       only the newly deleted positions, since P's read already drops the old ones.
 * </ul>
 *
 * <p>Costs per snapshot: removed files and files with new position deletes or deletion vectors are
 * read once each. Equality deletes are the expensive kind: every data file of P in the delete's
 * partition (all of P for an unpartitioned delete) whose key statistics can match is read and each
 * row tested; the candidate scan of P is pruned by identity-partition values and by the keys
 * ({@code IN} of up to {@value IcebergEqualityDeleteKeys#MAX_LISTED_KEYS} keys of a one-column key,
 * read from the delete file while planning; otherwise the delete file's key bounds), so an upsert
 * commit over random keys can still read the whole partition. Planning P reads P's manifests,
 * whenever S removes files or adds delete files.
 *
 * <p>S's removed delete files must be explained by the change: deletion vectors and position
 * deletes of removed data files, or replaced by a new one for the same data file (partition, for
 * position delete files without a referenced file). A snapshot that drops deletes otherwise would
 * resurrect rows, which this planner does not compute; it is reported as {@link
 * LakeIncrement.Kind#REWRITE}, as is a snapshot that deletes rows after its parent expired.
 */
@Internal
final class IcebergChangePlanner {

    private final Table table;
    private final LakeScanSpec spec;
    private final ExecutorService planning;
    private final Expression filter;
    private final InclusiveMetricsEvaluator metrics;

    IcebergChangePlanner(Table table, LakeScanSpec spec, ExecutorService planning) {
        this.table = table;
        this.spec = spec;
        this.planning = planning;
        this.filter = IcebergPredicates.toExpression(spec.filters());
        this.metrics = new InclusiveMetricsEvaluator(table.schema(), filter, true);
    }

    LakeIncrement plan(Snapshot snapshot) throws IOException {
        long version = snapshot.snapshotId();
        String operation = snapshot.operation() == null ? "unknown" : snapshot.operation();
        if (DataOperations.REPLACE.equals(operation)) {
            return LakeIncrement.noDataChange(version, operation);
        }
        Snapshot parent = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
        List<DataFile> added = list(snapshot.addedDataFiles(table.io()));
        Set<String> addedLocations = locations(added);
        Set<String> removedLocations = locations(snapshot.removedDataFiles(table.io()));
        IcebergAddedDeletes deletes =
                new IcebergAddedDeletes(
                        snapshot.addedDeleteFiles(table.io()),
                        table.specs(),
                        schemaOf(parent == null ? snapshot : parent),
                        IcebergDeleteFiles.opener(table));
        Optional<String> unexplained =
                unexplainedRemovedDeletes(
                        snapshot.removedDeleteFiles(table.io()), removedLocations, deletes);
        if (unexplained.isPresent()) {
            return LakeIncrement.rewrite(
                    version,
                    operation,
                    IcebergHistory.changes(snapshot) + "; it " + unexplained.get());
        }
        boolean deletesRows =
                !removedLocations.isEmpty() || deletes.reachesFilesOtherThan(addedLocations);
        if (deletesRows && parent == null && snapshot.parentId() != null) {
            return LakeIncrement.rewrite(
                    version,
                    operation,
                    IcebergHistory.changes(snapshot)
                            + "; its parent snapshot "
                            + snapshot.parentId()
                            + " expired, so the rows it deleted cannot be read");
        }
        List<LakeSplit> splits = new ArrayList<>();
        if (deletesRows && parent != null) {
            planDeletes(version, parent, removedLocations, addedLocations, deletes, splits);
        }
        planInserts(snapshot, added, deletes, splits);
        return LakeIncrement.changes(version, operation, splits);
    }

    private void planDeletes(
            long version,
            Snapshot parent,
            Set<String> removedLocations,
            Set<String> addedLocations,
            IcebergAddedDeletes deletes,
            List<LakeSplit> splits)
            throws IOException {
        TableScan scan =
                table.newScan()
                        .useSnapshot(parent.snapshotId())
                        .caseSensitive(true)
                        .filter(filter)
                        .planWith(planning);
        boolean keyPruned =
                removedLocations.isEmpty() && deletes.onlyEqualityDeletesReach(addedLocations);
        if (keyPruned) {
            scan = scan.filter(deletes.equalityCandidates());
        }
        if (!deletes.keyColumns().isEmpty()) {
            scan = scan.includeColumnStats(deletes.keyColumns());
        }
        if (keyPruned || !IcebergLakeTable.filtersOnProjectedColumnsOnly(spec)) {
            scan = scan.ignoreResiduals();
        }
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                if (removedLocations.contains(task.file().location())) {
                    addSplits(version, ChangePhase.DELETE, task, List.of(), splits);
                } else {
                    List<DeleteFile> applicable = deletes.forExistingFile(task.file());
                    if (!applicable.isEmpty()) {
                        addSplits(version, ChangePhase.DELETE, task, applicable, splits);
                    }
                }
            }
        }
    }

    private void planInserts(
            Snapshot snapshot,
            List<DataFile> added,
            IcebergAddedDeletes deletes,
            List<LakeSplit> splits)
            throws IOException {
        String schema = SchemaParser.toJson(schemaOf(snapshot));
        for (DataFile file : added) {
            PartitionSpec fileSpec = table.specs().get(file.specId());
            if (!mayMatchFilter(file, fileSpec)) {
                continue;
            }
            ResidualEvaluator residuals =
                    IcebergLakeTable.filtersOnProjectedColumnsOnly(spec)
                            ? ResidualEvaluator.of(fileSpec, filter, true)
                            : ResidualEvaluator.unpartitioned(Expressions.alwaysTrue());
            FileScanTask task =
                    new BaseFileScanTask(
                            file,
                            deletes.forAddedFile(file).toArray(new DeleteFile[0]),
                            schema,
                            PartitionSpecParser.toJson(fileSpec),
                            residuals);
            addSplits(snapshot.snapshotId(), ChangePhase.INSERT, task, List.of(), splits);
        }
    }

    /** The partition of the task's file, which routes its changes to one reader. */
    static String routingKey(FileScanTask task) {
        return task.spec().isUnpartitioned()
                ? ""
                : task.spec().partitionToPath(task.file().partition());
    }

    /** Byte ranges of the spec's split size, each split carrying the same added deletes. */
    private void addSplits(
            long version,
            ChangePhase phase,
            FileScanTask task,
            List<DeleteFile> addedDeletes,
            List<LakeSplit> splits)
            throws IOException {
        String routingKey = routingKey(task);
        try (CloseableIterable<FileScanTask> pieces =
                TableScanUtil.splitFiles(
                        CloseableIterable.withNoopClose(List.of(task)), spec.splitSizeBytes())) {
            for (FileScanTask piece : pieces) {
                IcebergChangeTask change =
                        addedDeletes.isEmpty()
                                ? IcebergChangeTask.allRows(piece)
                                : IcebergChangeTask.deletedBy(piece, addedDeletes);
                String id = version + (phase == ChangePhase.DELETE ? "-d-" : "-i-") + splits.size();
                splits.add(
                        LakeSplit.change(
                                id,
                                version,
                                piece.file().location(),
                                change.toBytes(table.specs()),
                                phase,
                                routingKey));
            }
        }
    }

    /** Whether the file's partition and column statistics may match the spec's filters. */
    private boolean mayMatchFilter(DataFile file, PartitionSpec fileSpec) {
        if (filter.equals(Expressions.alwaysTrue())) {
            return true;
        }
        Evaluator partitions =
                new Evaluator(
                        fileSpec.partitionType(),
                        Projections.inclusive(fileSpec, true).project(filter),
                        true);
        return partitions.eval(file.partition()) && metrics.eval(file);
    }

    /** Why the snapshot's removed delete files are not covered by its changes, if they are not. */
    private static Optional<String> unexplainedRemovedDeletes(
            Iterable<DeleteFile> removed, Set<String> removedDataFiles, IcebergAddedDeletes added) {
        for (DeleteFile delete : removed) {
            if (delete.content() == FileContent.POSITION_DELETES) {
                String referenced = ContentFileUtil.referencedDataFileLocation(delete);
                boolean replacedOrGone =
                        referenced == null
                                ? added.deletePositionsInPartitionOf(delete)
                                : removedDataFiles.contains(referenced)
                                        || added.deletePositionsOf(referenced);
                if (replacedOrGone) {
                    continue;
                }
            }
            return Optional.of(
                    "removes the "
                            + delete.content().name().toLowerCase().replace('_', ' ')
                            + " file "
                            + delete.location()
                            + " without replacing it, which may bring deleted rows back");
        }
        return Optional.empty();
    }

    private Schema schemaOf(Snapshot snapshot) {
        Integer id = snapshot.schemaId();
        Schema schema = id == null ? null : table.schemas().get(id);
        return schema == null ? table.schema() : schema;
    }

    private static <T> List<T> list(Iterable<T> items) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    private static Set<String> locations(Iterable<DataFile> files) {
        Set<String> locations = new HashSet<>();
        files.forEach(file -> locations.add(file.location()));
        return locations;
    }
}
