package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

/**
 * Flink column types to Delta Kernel types for new Delta tables: the inverse of the Delta binding's
 * read mapping, for flat rows of primitive columns. {@code TIMESTAMP} becomes {@code timestamp_ntz}
 * and {@code TIMESTAMP_LTZ} becomes {@code timestamp}; nested types are not supported yet.
 */
@Internal
final class DeltaSchemas {

    private DeltaSchemas() {}

    static StructType toDelta(RowType rowType, String table) {
        StructType schema = new StructType();
        for (RowType.RowField field : rowType.getFields()) {
            LogicalType type = field.getType();
            schema =
                    schema.add(
                            field.getName(),
                            toDelta(type, field.getName(), table),
                            type.isNullable());
        }
        return schema;
    }

    private static DataType toDelta(LogicalType type, String column, String table) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return BooleanType.BOOLEAN;
            case TINYINT:
                return ByteType.BYTE;
            case SMALLINT:
                return ShortType.SHORT;
            case INTEGER:
                return IntegerType.INTEGER;
            case BIGINT:
                return LongType.LONG;
            case FLOAT:
                return FloatType.FLOAT;
            case DOUBLE:
                return DoubleType.DOUBLE;
            case CHAR:
            case VARCHAR:
                return StringType.STRING;
            case BINARY:
            case VARBINARY:
                return BinaryType.BINARY;
            case DATE:
                return DateType.DATE;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampNTZType.TIMESTAMP_NTZ;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampType.TIMESTAMP;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return new io.delta.kernel.types.DecimalType(
                        decimal.getPrecision(), decimal.getScale());
            default:
                throw new ValidationException(
                        String.format(
                                "Column '%s' of the new Delta table %s has the type %s, which the"
                                        + " lake catalog cannot create in Delta tables yet; use"
                                        + " BOOLEAN, TINYINT..BIGINT, FLOAT, DOUBLE, STRING,"
                                        + " BYTES, DATE, TIMESTAMP, TIMESTAMP_LTZ or DECIMAL, or"
                                        + " 'table-format' = 'iceberg'.",
                                column, table, type));
        }
    }
}
