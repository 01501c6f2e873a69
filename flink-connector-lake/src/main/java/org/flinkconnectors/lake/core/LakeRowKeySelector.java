package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keys rows by the values of some columns (a primary key, Delta partition columns), as a hash: rows
 * with equal values get equal keys, so {@code keyBy} sends them to the same writer subtask. The
 * hash uses the values' own content hashes ({@code BinaryStringData}, {@code DecimalData}, boxed
 * numbers; byte arrays by content), which are the same in every JVM, so all upstream subtasks route
 * a key alike.
 */
@Internal
public final class LakeRowKeySelector implements KeySelector<RowData, Integer> {

    private static final long serialVersionUID = 1L;

    private final RowData.FieldGetter[] getters;

    public LakeRowKeySelector(RowType rowType, List<String> columns) {
        this.getters = new RowData.FieldGetter[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            int index = rowType.getFieldIndex(columns.get(i));
            if (index < 0) {
                throw new IllegalArgumentException(
                        "The key column '"
                                + columns.get(i)
                                + "' is not one of the written columns "
                                + rowType.getFieldNames()
                                + '.');
            }
            getters[i] = RowData.createFieldGetter(rowType.getTypeAt(index), index);
        }
    }

    @Override
    public Integer getKey(RowData row) {
        int hash = 1;
        for (RowData.FieldGetter getter : getters) {
            Object value = getter.getFieldOrNull(row);
            hash =
                    31 * hash
                            + (value instanceof byte[] bytes
                                    ? Arrays.hashCode(bytes)
                                    : Objects.hashCode(value));
        }
        return hash;
    }
}
