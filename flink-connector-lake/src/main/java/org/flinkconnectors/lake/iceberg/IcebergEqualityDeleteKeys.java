package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeSet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A row filter that every row an equality delete file deletes satisfies, to prune the data files
 * that could hold such rows by their column statistics.
 *
 * <p>A small delete file with a single key column is read on the planning side and becomes {@code
 * key IN (...)}; otherwise the delete file's own lower and upper bounds of each key column become a
 * range. Up to {@value #MAX_LISTED_KEYS} keys are listed because Iceberg's metrics evaluator stops
 * pruning {@code IN} predicates with more literals. The filter may match more rows than the delete
 * does; the exact test happens when the data file is read.
 */
@Internal
final class IcebergEqualityDeleteKeys {

    static final int MAX_LISTED_KEYS = 200;

    private IcebergEqualityDeleteKeys() {}

    static Expression filter(
            DeleteFile delete, Schema schema, Function<DeleteFile, InputFile> inputFiles) {
        List<Integer> ids = delete.equalityFieldIds();
        if (ids.size() == 1 && delete.recordCount() <= MAX_LISTED_KEYS) {
            Types.NestedField field = schema.findField(ids.get(0));
            if (field != null && field.type().isPrimitiveType()) {
                return listedKeys(delete, new Schema(field), field.name(), inputFiles);
            }
        }
        Expression ranges = Expressions.alwaysTrue();
        for (int id : ids) {
            Types.NestedField field = schema.findField(id);
            if (field != null && field.type().isPrimitiveType()) {
                ranges = Expressions.and(ranges, range(delete, field));
            }
        }
        return ranges;
    }

    private static Expression listedKeys(
            DeleteFile delete,
            Schema keySchema,
            String column,
            Function<DeleteFile, InputFile> inputFiles) {
        StructLikeSet keys =
                new BaseDeleteLoader(inputFiles).loadEqualityDeletes(List.of(delete), keySchema);
        List<Object> values = new ArrayList<>(keys.size());
        boolean hasNull = false;
        for (StructLike key : keys) {
            Object value = key.get(0, Object.class);
            if (value == null) {
                hasNull = true;
            } else {
                values.add(value);
            }
        }
        Expression listed =
                values.isEmpty() ? Expressions.alwaysFalse() : Expressions.in(column, values);
        return hasNull ? Expressions.or(listed, Expressions.isNull(column)) : listed;
    }

    /**
     * {@code lower <= column <= upper} from the delete file's statistics, or null if it has one.
     */
    private static Expression range(DeleteFile delete, Types.NestedField field) {
        Object lower = bound(delete.lowerBounds(), field);
        Object upper = bound(delete.upperBounds(), field);
        Map<Integer, Long> nullCounts = delete.nullValueCounts();
        Long nulls = nullCounts == null ? null : nullCounts.get(field.fieldId());
        if (lower == null || upper == null) {
            // Only nulls, or no statistics: nothing to prune by.
            return nulls != null && nulls == delete.recordCount()
                    ? Expressions.isNull(field.name())
                    : Expressions.alwaysTrue();
        }
        Expression range =
                Expressions.and(
                        Expressions.greaterThanOrEqual(field.name(), lower),
                        Expressions.lessThanOrEqual(field.name(), upper));
        return nulls != null && nulls == 0
                ? range
                : Expressions.or(range, Expressions.isNull(field.name()));
    }

    private static Object bound(Map<Integer, ByteBuffer> bounds, Types.NestedField field) {
        ByteBuffer bound = bounds == null ? null : bounds.get(field.fieldId());
        return bound == null ? null : Conversions.fromByteBuffer(field.type(), bound.duplicate());
    }
}
