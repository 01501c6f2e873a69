package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Whether rows fit a lake table before any file is written: the same column names in the same
 * order, then the same type column by column. Nullability is left to the writers, which check it
 * per row. Shared by the Iceberg and Delta writer factories so both say the same thing.
 */
@Internal
public final class LakeSchemaCheck {

    private LakeSchemaCheck() {}

    /**
     * Throws {@link IllegalArgumentException} naming {@code tableName} when {@code rowType} does
     * not have the columns of {@code tableType}.
     */
    public static void checkFits(String tableName, RowType tableType, RowType rowType) {
        checkFits(tableName, tableType, rowType, column -> {});
    }

    /**
     * As {@link #checkFits(String, RowType, RowType)}, running {@code columnCheck} (a format's own
     * limits) on each column index just before that column's type is compared.
     */
    public static void checkFits(
            String tableName, RowType tableType, RowType rowType, IntConsumer columnCheck) {
        List<String> expected = tableType.getFieldNames();
        if (!expected.equals(rowType.getFieldNames())) {
            throw new IllegalArgumentException(
                    "The rows to write have the columns "
                            + rowType.getFieldNames()
                            + " but "
                            + tableName
                            + " has the columns "
                            + expected
                            + "; write rows with exactly the table's columns in its order.");
        }
        for (int i = 0; i < expected.size(); i++) {
            columnCheck.accept(i);
            LogicalType want = tableType.getTypeAt(i).copy(true);
            LogicalType have = rowType.getTypeAt(i).copy(true);
            if (!want.equals(have)) {
                throw new IllegalArgumentException(
                        "Column '"
                                + expected.get(i)
                                + "' of "
                                + tableName
                                + " has the type "
                                + want.asSummaryString()
                                + " but the rows to write have "
                                + have.asSummaryString()
                                + '.');
            }
        }
    }
}
