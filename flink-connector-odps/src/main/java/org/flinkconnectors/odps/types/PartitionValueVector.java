package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.columnar.vector.ByteColumnVector;
import org.apache.flink.table.data.columnar.vector.BytesColumnVector;
import org.apache.flink.table.data.columnar.vector.IntColumnVector;
import org.apache.flink.table.data.columnar.vector.LongColumnVector;
import org.apache.flink.table.data.columnar.vector.ShortColumnVector;

import javax.annotation.Nullable;

/**
 * A column vector holding one partition value for every row of a batch: a partition column is the
 * same for all rows read from a partition. It covers the types {@link PartitionValueConverters}
 * parses (character strings and integers); {@code null} when the partition lacks the key.
 */
@Internal
final class PartitionValueVector
        implements BytesColumnVector,
                ByteColumnVector,
                ShortColumnVector,
                IntColumnVector,
                LongColumnVector {

    @Nullable private final Object value;
    @Nullable private final byte[] utf8;

    PartitionValueVector(@Nullable Object value) {
        this.value = value;
        this.utf8 = value instanceof StringData ? ((StringData) value).toBytes() : null;
    }

    @Override
    public boolean isNullAt(int i) {
        return value == null;
    }

    @Override
    public Bytes getBytes(int i) {
        return new Bytes(utf8, 0, utf8.length);
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
}
