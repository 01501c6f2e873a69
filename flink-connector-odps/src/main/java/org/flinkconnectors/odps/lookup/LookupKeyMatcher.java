package org.flinkconnectors.odps.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.Objects;

/**
 * Decides whether a scanned row matches a lookup key: the row's key columns (data or partition
 * columns alike) equal the key's fields one by one. As with SQL {@code =}, a null never matches, so
 * a key with a null field matches no row.
 */
@Internal
final class LookupKeyMatcher implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RowData.FieldGetter[] rowFields;
    private final RowData.FieldGetter[] keyFields;

    /**
     * @param producedType the rows that are scanned
     * @param keyPositions for each field of the key row, the position of its column in the rows
     */
    LookupKeyMatcher(RowType producedType, int[] keyPositions) {
        this.rowFields = new RowData.FieldGetter[keyPositions.length];
        this.keyFields = new RowData.FieldGetter[keyPositions.length];
        for (int i = 0; i < keyPositions.length; i++) {
            LogicalType type = producedType.getTypeAt(keyPositions[i]);
            rowFields[i] = RowData.createFieldGetter(type, keyPositions[i]);
            keyFields[i] = RowData.createFieldGetter(type, i);
        }
    }

    /** Whether some field of the key is null, so that nothing can match it. */
    boolean hasNull(RowData key) {
        for (RowData.FieldGetter field : keyFields) {
            if (field.getFieldOrNull(key) == null) {
                return true;
            }
        }
        return false;
    }

    boolean matches(RowData row, RowData key) {
        for (int i = 0; i < rowFields.length; i++) {
            Object expected = keyFields[i].getFieldOrNull(key);
            Object actual = rowFields[i].getFieldOrNull(row);
            // deepEquals: BINARY and VARBINARY values are byte arrays.
            if (expected == null || actual == null || !Objects.deepEquals(expected, actual)) {
                return false;
            }
        }
        return true;
    }
}
