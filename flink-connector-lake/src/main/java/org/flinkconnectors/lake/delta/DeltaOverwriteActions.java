package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeOverwrite;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.utils.CloseableIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code remove} actions an overwrite adds to its new files, for the live files of the snapshot
 * it commits on: all of an unpartitioned table, those of a static partition, or, for a dynamic
 * overwrite, those in the partitions the new files went to. Delta's partition values are strings,
 * so a static value from SQL compares as written.
 */
@Internal
final class DeltaOverwriteActions {

    private DeltaOverwriteActions() {}

    /** Whether the overwrite commits even without new files (it may replace rows with nothing). */
    static boolean replacesWithoutFiles(Snapshot snapshot, LakeOverwrite overwrite) {
        return snapshot.getPartitionColumnNames().isEmpty()
                || !overwrite.staticPartition().isEmpty();
    }

    static List<Row> removes(
            Engine engine, Snapshot snapshot, List<Row> adds, LakeOverwrite overwrite) {
        boolean partitioned = !snapshot.getPartitionColumnNames().isEmpty();
        Set<Map<String, String>> written = new HashSet<>();
        for (Row action : adds) {
            written.add(partitionValues(action.getStruct(SingleAction.ADD_FILE_ORDINAL)));
        }
        long now = System.currentTimeMillis();
        List<Row> removes = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> files = batches.next().getRows()) {
                    while (files.hasNext()) {
                        Row add = files.next().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                        Map<String, String> partition = partitionValues(add);
                        if (!partitioned || replaced(partition, written, overwrite)) {
                            removes.add(
                                    SingleAction.createRemoveFileSingleAction(
                                            new AddFile(add)
                                                    .toRemoveFileRow(true, Optional.of(now))));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removes;
    }

    private static boolean replaced(
            Map<String, String> partition,
            Set<Map<String, String>> written,
            LakeOverwrite overwrite) {
        if (overwrite.staticPartition().isEmpty()) {
            return written.contains(partition);
        }
        for (Map.Entry<String, String> fixed : overwrite.staticPartition().entrySet()) {
            if (!java.util.Objects.equals(partition.get(fixed.getKey()), fixed.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> partitionValues(Row add) {
        return VectorUtils.toJavaMap(add.getMap(add.getSchema().indexOf("partitionValues")));
    }
}
