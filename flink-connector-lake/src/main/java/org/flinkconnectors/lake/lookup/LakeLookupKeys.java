package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.lake.core.LakePredicate;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A probe key as filters a format prunes files with: one equality per key column whose value has a
 * {@link LakePredicate} literal type; other columns only filter the rows read.
 */
@Internal
final class LakeLookupKeys {

    private LakeLookupKeys() {}

    static List<LakePredicate> equalities(RowType rowType, int[] keyPositions, RowData probeKey) {
        List<LakePredicate> filters = new ArrayList<>();
        for (int i = 0; i < keyPositions.length; i++) {
            LogicalType type = rowType.getTypeAt(keyPositions[i]);
            Object literal =
                    literal(type, RowData.createFieldGetter(type, i).getFieldOrNull(probeKey));
            if (literal != null) {
                filters.add(
                        LakePredicate.equal(rowType.getFieldNames().get(keyPositions[i]), literal));
            }
        }
        return filters;
    }

    private static Object literal(LogicalType type, Object value) {
        if (value == null) {
            return null;
        }
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return value.toString();
            case BOOLEAN:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
                return value;
            case TINYINT:
            case SMALLINT:
                return ((Number) value).intValue();
            case DECIMAL:
                return ((DecimalData) value).toBigDecimal();
            case DATE:
                return LocalDate.ofEpochDay((Integer) value);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return ((TimestampData) value).toLocalDateTime();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return ((TimestampData) value).toInstant();
            default:
                return null;
        }
    }
}
