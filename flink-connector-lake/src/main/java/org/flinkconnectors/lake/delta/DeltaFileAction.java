package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;

import javax.annotation.Nullable;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The file fields of one {@code add}, {@code remove} or {@code cdc} action of the log, as far as
 * reading the file needs them. Fields an action kind does not have (a {@code cdc} action's deletion
 * vector, a {@code remove}'s modification time) are absent; the protocol lets a {@code remove}
 * leave out its size and partition values.
 *
 * @param path the path as the log has it (relative to the table, or an absolute URI)
 * @param partitionValues by physical column name; null if the action does not carry them
 * @param size in bytes; -1 if the action does not carry it
 */
@Internal
record DeltaFileAction(
        String path,
        @Nullable Map<String, String> partitionValues,
        long size,
        long modificationTime,
        @Nullable DeletionVectorDescriptor deletionVector,
        Optional<Long> baseRowId,
        Optional<Long> defaultRowCommitVersion,
        boolean dataChange) {

    /** The action in this row of an {@code add}, {@code remove} or {@code cdc} column. */
    static DeltaFileAction of(ColumnVector actions, int row) {
        StructType schema = (StructType) actions.getDataType();
        ColumnVector partitions = child(actions, schema, "partitionValues");
        ColumnVector dv = child(actions, schema, "deletionVector");
        ColumnVector dataChange = child(actions, schema, "dataChange");
        return new DeltaFileAction(
                child(actions, schema, "path").getString(row),
                partitions == null || partitions.isNullAt(row)
                        ? null
                        : VectorUtils.toJavaMap(partitions.getMap(row)),
                longOr(child(actions, schema, "size"), row, -1),
                longOr(child(actions, schema, "modificationTime"), row, 0),
                dv == null ? null : DeletionVectorDescriptor.fromColumnVector(dv, row),
                optionalLong(child(actions, schema, "baseRowId"), row),
                optionalLong(child(actions, schema, "defaultRowCommitVersion"), row),
                // cdc actions carry no data themselves; a missing flag on others means a change
                dataChange == null || dataChange.isNullAt(row) || dataChange.getBoolean(row));
    }

    /**
     * The scan file row that reads this file with {@code dv} applied, with its actual size when the
     * action does not say.
     */
    Row scanFile(String tableRoot, @Nullable DeletionVectorDescriptor dv, long actualSize) {
        return DeltaScanFile.scanFile(
                path,
                partitionValues == null ? Map.of() : partitionValues,
                size >= 0 ? size : actualSize,
                modificationTime,
                Optional.ofNullable(dv),
                baseRowId,
                defaultRowCommitVersion,
                tableRoot);
    }

    /**
     * The partition as {@code k1=v1/k2=v2} in key order, {@code ""} if unpartitioned: equal for all
     * files of a partition.
     */
    String routingKey() {
        return routingKey(partitionValues);
    }

    /** The partition values as {@code k=v} joined by {@code /} in key order; "" if none. */
    static String routingKey(@Nullable Map<String, String> partitionValues) {
        if (partitionValues == null || partitionValues.isEmpty()) {
            return "";
        }
        return new TreeMap<>(partitionValues)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("/"));
    }

    @Nullable
    private static ColumnVector child(ColumnVector actions, StructType schema, String field) {
        int index = schema.indexOf(field);
        return index < 0 ? null : actions.getChild(index);
    }

    private static long longOr(@Nullable ColumnVector vector, int row, long absent) {
        return vector == null || vector.isNullAt(row) ? absent : vector.getLong(row);
    }

    private static Optional<Long> optionalLong(@Nullable ColumnVector vector, int row) {
        return vector == null || vector.isNullAt(row)
                ? Optional.empty()
                : Optional.of(vector.getLong(row));
    }
}
