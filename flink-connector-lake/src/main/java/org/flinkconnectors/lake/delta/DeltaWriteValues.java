package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

import java.util.Arrays;

/**
 * Flink {@code RowData} fields as the Java values Kernel's generic vectors and literals hold: boxed
 * primitives, {@code String}, {@code byte[]}, {@code BigDecimal}, days for dates and microseconds
 * for timestamps. Only flat (non-nested) columns can be written.
 */
@Internal
final class DeltaWriteValues {

    private DeltaWriteValues() {}

    /** Whether a column of this type can be written. */
    static boolean isWritable(DataType type) {
        return DeltaTypes.isScalar(type);
    }

    /** Reads field {@code pos} of a row as Kernel's value, copied so the row may be reused. */
    static Object read(RowData row, int pos, DataType type) {
        if (row.isNullAt(pos)) {
            return null;
        }
        if (type instanceof BooleanType) {
            return row.getBoolean(pos);
        } else if (type instanceof ByteType) {
            return row.getByte(pos);
        } else if (type instanceof ShortType) {
            return row.getShort(pos);
        } else if (type instanceof IntegerType || type instanceof DateType) {
            return row.getInt(pos);
        } else if (type instanceof LongType) {
            return row.getLong(pos);
        } else if (type instanceof FloatType) {
            return row.getFloat(pos);
        } else if (type instanceof DoubleType) {
            return row.getDouble(pos);
        } else if (type instanceof StringType) {
            return row.getString(pos).toString();
        } else if (type instanceof BinaryType) {
            byte[] bytes = row.getBinary(pos);
            return Arrays.copyOf(bytes, bytes.length);
        } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return micros(row.getTimestamp(pos, 6));
        } else if (type instanceof DecimalType decimal) {
            DecimalData value = row.getDecimal(pos, decimal.getPrecision(), decimal.getScale());
            return value.toBigDecimal();
        }
        throw new IllegalArgumentException("Delta columns of type " + type + " cannot be written");
    }

    private static long micros(TimestampData timestamp) {
        return Math.multiplyExact(timestamp.getMillisecond(), 1000L)
                + timestamp.getNanoOfMillisecond() / 1000;
    }

    /** A partition value (from {@link #read}) as a literal of the column's type. */
    static Literal literal(Object value, DataType type) {
        if (value == null) {
            return Literal.ofNull(type);
        } else if (type instanceof BooleanType) {
            return Literal.ofBoolean((Boolean) value);
        } else if (type instanceof ByteType) {
            return Literal.ofByte((Byte) value);
        } else if (type instanceof ShortType) {
            return Literal.ofShort((Short) value);
        } else if (type instanceof IntegerType) {
            return Literal.ofInt((Integer) value);
        } else if (type instanceof DateType) {
            return Literal.ofDate((Integer) value);
        } else if (type instanceof LongType) {
            return Literal.ofLong((Long) value);
        } else if (type instanceof FloatType) {
            return Literal.ofFloat((Float) value);
        } else if (type instanceof DoubleType) {
            return Literal.ofDouble((Double) value);
        } else if (type instanceof StringType) {
            return Literal.ofString((String) value);
        } else if (type instanceof BinaryType) {
            return Literal.ofBinary((byte[]) value);
        } else if (type instanceof TimestampType) {
            return Literal.ofTimestamp((Long) value);
        } else if (type instanceof TimestampNTZType) {
            return Literal.ofTimestampNtz((Long) value);
        } else if (type instanceof DecimalType decimal) {
            return Literal.ofDecimal(
                    (java.math.BigDecimal) value, decimal.getPrecision(), decimal.getScale());
        }
        throw new IllegalArgumentException("Delta columns of type " + type + " cannot be written");
    }
}
