package org.flinkconnectors.base.table.vector;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import javax.annotation.Nullable;

/**
 * One value, in Flink's internal representation, for every row of a batch of any size: a partition
 * value, a column's default, or null for a column a file does not have. It answers every scalar
 * vector interface; the caller asks the one its column's type implies.
 */
@Internal
public final class ConstantColumnVector implements ScalarColumnVector {

    @Nullable private final Object value;
    @Nullable private final Bytes bytes;

    public ConstantColumnVector(@Nullable Object value) {
        this.value = value;
        byte[] data =
                value instanceof StringData string
                        ? string.toBytes()
                        : value instanceof byte[] binary ? binary : null;
        this.bytes = data == null ? null : new Bytes(data, 0, data.length);
    }

    @Override
    public boolean isNullAt(int i) {
        return value == null;
    }

    @Override
    public boolean getBoolean(int i) {
        return (Boolean) value;
    }

    @Override
    public byte getByte(int i) {
        return (Byte) value;
    }

    @Override
    public short getShort(int i) {
        return (Short) value;
    }

    @Override
    public int getInt(int i) {
        return (Integer) value;
    }

    @Override
    public long getLong(int i) {
        return (Long) value;
    }

    @Override
    public float getFloat(int i) {
        return (Float) value;
    }

    @Override
    public double getDouble(int i) {
        return (Double) value;
    }

    @Override
    public Bytes getBytes(int i) {
        return bytes;
    }

    @Override
    public DecimalData getDecimal(int i, int precision, int scale) {
        return (DecimalData) value;
    }

    @Override
    public TimestampData getTimestamp(int i, int precision) {
        return (TimestampData) value;
    }
}
