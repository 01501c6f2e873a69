package org.flinkconnectors.e2e.bench;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * The rows of the lake benchmark: the six columns of the ODPS benchmark's orders, without the
 * partition, as an Iceberg schema and as Flink {@link RowData}. Every writer gets the same rows
 * from {@link #fill}, so the variants differ only in how rows reach Parquet.
 */
final class LakeBenchRows {

    static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "category", Types.StringType.get()),
                    Types.NestedField.optional(4, "amount", Types.DoubleType.get()),
                    Types.NestedField.optional(5, "quantity", Types.IntegerType.get()),
                    Types.NestedField.optional(6, "ts", Types.TimestampType.withZone()));

    static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

    // Built once: the writers are measured, not the making of strings.
    private static final StringData[] NAMES = names("customer-", 1000);
    private static final StringData[] CATEGORIES = names("category-", 16);
    private static final long BASE_MILLIS = 1_795_000_000_000L;

    private LakeBenchRows() {}

    static TypeInformation<RowData> typeInfo() {
        return InternalTypeInfo.of(ROW_TYPE);
    }

    /** Sets the values of row {@code i} into a row of the six columns. */
    static GenericRowData fill(GenericRowData row, long i) {
        row.setField(0, i);
        row.setField(1, NAMES[(int) (i % NAMES.length)]);
        row.setField(2, CATEGORIES[(int) (i % CATEGORIES.length)]);
        row.setField(3, (i % 100_000) / 100.0);
        row.setField(4, (int) (i % 50));
        row.setField(5, TimestampData.fromEpochMillis(BASE_MILLIS + i * 1000));
        return row;
    }

    static GenericRowData newRow() {
        return new GenericRowData(SCHEMA.columns().size());
    }

    private static StringData[] names(String prefix, int count) {
        StringData[] names = new StringData[count];
        for (int i = 0; i < count; i++) {
            names[i] = StringData.fromString(prefix + i);
        }
        return names;
    }

    /** Turns a sequence number into its row; reuses one row, as the sinks copy what they keep. */
    static final class ToRow implements MapFunction<Long, RowData> {
        private transient GenericRowData row;

        @Override
        public RowData map(Long i) {
            if (row == null) {
                row = newRow();
            }
            return fill(row, i);
        }
    }
}
