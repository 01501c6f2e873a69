package org.flinkconnectors.lake.delta;

import org.flinkconnectors.base.table.vector.ScalarColumnVector;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.TimestampData;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.StringType;

/**
 * A Kernel column vector of a scalar type seen as a Flink column vector: each value is read with
 * Kernel's getter when asked for and converted as {@link DeltaRowConverter} converts it (strings to
 * their UTF-8 bytes, decimals to {@link DecimalData}, timestamps of both kinds from microseconds to
 * {@link TimestampData}; dates are days, as both sides keep them). It answers every scalar vector
 * interface; the reader asks the one its column's type implies. Kernel's default Parquet reader
 * fills new arrays for every batch, so the wrapped vector never changes.
 */
@Internal
final class DeltaColumnVector implements ScalarColumnVector {

    private final ColumnVector kernel;
    private final boolean string;

    DeltaColumnVector(ColumnVector kernel) {
        this.kernel = kernel;
        this.string = kernel.getDataType() instanceof StringType;
    }

    @Override
    public boolean isNullAt(int i) {
        return kernel.isNullAt(i);
    }

    @Override
    public boolean getBoolean(int i) {
        return kernel.getBoolean(i);
    }

    @Override
    public byte getByte(int i) {
        return kernel.getByte(i);
    }

    @Override
    public short getShort(int i) {
        return kernel.getShort(i);
    }

    @Override
    public int getInt(int i) {
        return kernel.getInt(i);
    }

    @Override
    public long getLong(int i) {
        return kernel.getLong(i);
    }

    @Override
    public float getFloat(int i) {
        return kernel.getFloat(i);
    }

    @Override
    public double getDouble(int i) {
        return kernel.getDouble(i);
    }

    @Override
    public Bytes getBytes(int i) {
        byte[] bytes = string ? DeltaRowConverter.string(kernel, i).toBytes() : kernel.getBinary(i);
        return new Bytes(bytes, 0, bytes.length);
    }

    @Override
    public DecimalData getDecimal(int i, int precision, int scale) {
        return DeltaRowConverter.decimal(kernel, i, precision, scale);
    }

    @Override
    public TimestampData getTimestamp(int i, int precision) {
        return DeltaRowConverter.timestamp(kernel, i);
    }
}
