package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;

import java.util.ArrayList;
import java.util.List;

/**
 * Delta Kernel types to Flink logical types. Delta's {@code timestamp} is an instant (UTC-adjusted)
 * and becomes {@code TIMESTAMP_LTZ(6)}; {@code timestamp_ntz} becomes {@code TIMESTAMP(6)}; both
 * keep Delta's microsecond precision. Field names are the logical names, whatever the column
 * mapping mode.
 */
@Internal
final class DeltaTypes {

    private DeltaTypes() {}

    /**
     * Whether a column of this type holds single values (a number, string, binary, date, timestamp
     * or decimal), not arrays, maps or structs.
     */
    static boolean isScalar(DataType type) {
        return type instanceof io.delta.kernel.types.BooleanType
                || type instanceof ByteType
                || type instanceof ShortType
                || type instanceof IntegerType
                || type instanceof LongType
                || type instanceof io.delta.kernel.types.FloatType
                || type instanceof io.delta.kernel.types.DoubleType
                || type instanceof StringType
                || type instanceof BinaryType
                || type instanceof io.delta.kernel.types.DateType
                || type instanceof io.delta.kernel.types.TimestampType
                || type instanceof TimestampNTZType
                || type instanceof io.delta.kernel.types.DecimalType;
    }

    /** The row type of a Delta schema; fails naming the column for types Flink cannot hold. */
    static RowType toRowType(StructType schema) {
        List<RowType.RowField> fields = new ArrayList<>(schema.length());
        for (StructField field : schema.fields()) {
            fields.add(
                    new RowType.RowField(
                            field.getName(),
                            toLogicalType(
                                    field.getDataType(), field.isNullable(), field.getName())));
        }
        return new RowType(fields);
    }

    private static LogicalType toLogicalType(DataType type, boolean nullable, String column) {
        if (type instanceof io.delta.kernel.types.BooleanType) {
            return new BooleanType(nullable);
        } else if (type instanceof ByteType) {
            return new TinyIntType(nullable);
        } else if (type instanceof ShortType) {
            return new SmallIntType(nullable);
        } else if (type instanceof IntegerType) {
            return new IntType(nullable);
        } else if (type instanceof LongType) {
            return new BigIntType(nullable);
        } else if (type instanceof io.delta.kernel.types.FloatType) {
            return new FloatType(nullable);
        } else if (type instanceof io.delta.kernel.types.DoubleType) {
            return new DoubleType(nullable);
        } else if (type instanceof StringType) {
            return new VarCharType(nullable, VarCharType.MAX_LENGTH);
        } else if (type instanceof BinaryType) {
            return new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH);
        } else if (type instanceof io.delta.kernel.types.DateType) {
            return new DateType(nullable);
        } else if (type instanceof io.delta.kernel.types.TimestampType) {
            return new LocalZonedTimestampType(nullable, 6);
        } else if (type instanceof TimestampNTZType) {
            return new TimestampType(nullable, 6);
        } else if (type instanceof io.delta.kernel.types.DecimalType decimal) {
            return new DecimalType(nullable, decimal.getPrecision(), decimal.getScale());
        } else if (type instanceof io.delta.kernel.types.ArrayType array) {
            return new ArrayType(
                    nullable,
                    toLogicalType(array.getElementType(), array.containsNull(), column + "[]"));
        } else if (type instanceof io.delta.kernel.types.MapType map) {
            return new MapType(
                    nullable,
                    toLogicalType(map.getKeyType(), false, column + ".key"),
                    toLogicalType(
                            map.getValueType(), map.isValueContainsNull(), column + ".value"));
        } else if (type instanceof StructType struct) {
            List<RowType.RowField> fields = new ArrayList<>(struct.length());
            for (StructField field : struct.fields()) {
                fields.add(
                        new RowType.RowField(
                                field.getName(),
                                toLogicalType(
                                        field.getDataType(),
                                        field.isNullable(),
                                        column + "." + field.getName())));
            }
            return new RowType(nullable, fields);
        }
        throw new IllegalArgumentException(
                "column '" + column + "' has the Delta type " + type + ", which Flink cannot read");
    }
}
