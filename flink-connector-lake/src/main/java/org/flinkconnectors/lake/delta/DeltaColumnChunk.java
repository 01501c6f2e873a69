package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

import io.delta.kernel.data.ColumnVector;
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

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A fixed-capacity chunk of one column, filled value by value from Flink rows and read by Kernel's
 * Parquet writer as a {@link ColumnVector}. Primitive values (booleans, integers, floating point,
 * days, microseconds) live unboxed in a {@code long[]} (floating point as raw bits), strings,
 * binaries and decimals in an {@code Object[]}: boxing every value of a buffered file cost more
 * than writing it.
 */
@Internal
final class DeltaColumnChunk implements ColumnVector {

    private final DataType type;
    private final Kind kind;
    private final boolean[] nulls;
    private final long[] primitives;
    private final Object[] objects;
    private int size;

    DeltaColumnChunk(DataType type, int capacity) {
        this.type = type;
        this.kind = Kind.of(type);
        this.nulls = new boolean[capacity];
        this.primitives = kind.boxed ? null : new long[capacity];
        this.objects = kind.boxed ? new Object[capacity] : null;
    }

    /**
     * Appends field {@code pos} of a row, copied so that the row may be reused; returns its rough
     * in-memory size, to roll files near the target size.
     */
    long append(RowData row, int pos) {
        int at = size++;
        if (row.isNullAt(pos)) {
            nulls[at] = true;
            return 1;
        }
        switch (kind) {
            case BOOLEAN:
                primitives[at] = row.getBoolean(pos) ? 1 : 0;
                return 8;
            case BYTE:
                primitives[at] = row.getByte(pos);
                return 8;
            case SHORT:
                primitives[at] = row.getShort(pos);
                return 8;
            case INT:
                primitives[at] = row.getInt(pos);
                return 8;
            case LONG:
                primitives[at] = row.getLong(pos);
                return 8;
            case FLOAT:
                primitives[at] = Float.floatToRawIntBits(row.getFloat(pos));
                return 8;
            case DOUBLE:
                primitives[at] = Double.doubleToRawLongBits(row.getDouble(pos));
                return 8;
            case MICROS:
                primitives[at] = micros(row.getTimestamp(pos, 6));
                return 8;
            case STRING:
                String string = row.getString(pos).toString();
                objects[at] = string;
                return 8 + string.length();
            case BINARY:
                byte[] bytes = row.getBinary(pos);
                objects[at] = Arrays.copyOf(bytes, bytes.length);
                return 8 + bytes.length;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                objects[at] =
                        row.getDecimal(pos, decimal.getPrecision(), decimal.getScale())
                                .toBigDecimal();
                return 16;
            default:
                throw new IllegalStateException("Unhandled kind " + kind);
        }
    }

    private static long micros(TimestampData timestamp) {
        return Math.multiplyExact(timestamp.getMillisecond(), 1000L)
                + timestamp.getNanoOfMillisecond() / 1000;
    }

    boolean isFull() {
        return size == nulls.length;
    }

    @Override
    public DataType getDataType() {
        return type;
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int rowId) {
        return nulls[rowId];
    }

    @Override
    public boolean getBoolean(int rowId) {
        return primitives[rowId] != 0;
    }

    @Override
    public byte getByte(int rowId) {
        return (byte) primitives[rowId];
    }

    @Override
    public short getShort(int rowId) {
        return (short) primitives[rowId];
    }

    @Override
    public int getInt(int rowId) {
        return (int) primitives[rowId];
    }

    @Override
    public long getLong(int rowId) {
        return primitives[rowId];
    }

    @Override
    public float getFloat(int rowId) {
        return Float.intBitsToFloat((int) primitives[rowId]);
    }

    @Override
    public double getDouble(int rowId) {
        return Double.longBitsToDouble(primitives[rowId]);
    }

    @Override
    public String getString(int rowId) {
        return (String) objects[rowId];
    }

    @Override
    public byte[] getBinary(int rowId) {
        return (byte[]) objects[rowId];
    }

    @Override
    public BigDecimal getDecimal(int rowId) {
        return (BigDecimal) objects[rowId];
    }

    /** How the values of a Delta type are read from Flink rows and held. */
    private enum Kind {
        BOOLEAN(false),
        BYTE(false),
        SHORT(false),
        INT(false),
        LONG(false),
        FLOAT(false),
        DOUBLE(false),
        MICROS(false),
        STRING(true),
        BINARY(true),
        DECIMAL(true);

        final boolean boxed;

        Kind(boolean boxed) {
            this.boxed = boxed;
        }

        static Kind of(DataType type) {
            if (type instanceof BooleanType) {
                return BOOLEAN;
            } else if (type instanceof ByteType) {
                return BYTE;
            } else if (type instanceof ShortType) {
                return SHORT;
            } else if (type instanceof IntegerType || type instanceof DateType) {
                return INT;
            } else if (type instanceof LongType) {
                return LONG;
            } else if (type instanceof FloatType) {
                return FLOAT;
            } else if (type instanceof DoubleType) {
                return DOUBLE;
            } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
                return MICROS;
            } else if (type instanceof StringType) {
                return STRING;
            } else if (type instanceof BinaryType) {
                return BINARY;
            } else if (type instanceof DecimalType) {
                return DECIMAL;
            }
            throw new IllegalArgumentException(
                    "Delta columns of type " + type + " cannot be written");
        }
    }
}
