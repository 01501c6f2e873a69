package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.source.LakeRowConverter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The first column of a {@code (value STRING)} row as a string: Flink's test suites compare sorted
 * records, which {@code RowData} cannot be.
 */
public final class StringValueConverter implements LakeRowConverter<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String convert(RowData row) {
        return row.getString(0).toString();
    }

    @Override
    public TypeInformation<String> producedType(RowType rowType) {
        return Types.STRING;
    }
}
