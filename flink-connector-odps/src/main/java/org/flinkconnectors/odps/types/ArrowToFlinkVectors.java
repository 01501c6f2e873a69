package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.DecimalColumnVector;
import org.apache.flink.table.data.columnar.vector.TimestampColumnVector;
import org.apache.flink.table.data.columnar.vector.heap.AbstractHeapVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapBooleanVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapByteVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapBytesVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapDoubleVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapFloatVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapIntVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapLongVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapShortVector;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import com.aliyun.odps.type.TypeInfo;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * Copies one column of an Arrow record batch, in the layout the ODPS SDK reads Arrow downloads
 * with, into a Flink column vector. The copy decouples the rows from the Arrow buffers, which are
 * released right after it, so emitted rows never point into freed memory. Fixed-width values are
 * copied in bulk, straight from Arrow's data buffer into the vector's array; strings and binaries
 * take one array copy for the whole column plus their offsets; the validity bitmap is read only
 * when Arrow counts a null in the column.
 *
 * <p>Values come out as the record path's {@link OdpsToFlinkConverters} produce them: timestamps
 * cut to the declared precision, decimals that do not fit an error rather than NULL.
 */
@Internal
public final class ArrowToFlinkVectors {

    /** Flink holds decimals of up to this precision as an unscaled {@code long}. */
    private static final int MAX_COMPACT_PRECISION = 18;

    /** Copies the first {@code rows} values of an Arrow vector into a new Flink vector. */
    @FunctionalInterface
    public interface Copier {
        ColumnVector copy(FieldVector arrow, int rows);
    }

    private ArrowToFlinkVectors() {}

    /** Whether Arrow downloads of a column of this type can be read here: the scalar types. */
    public static boolean canRead(TypeInfo odpsType) {
        switch (odpsType.getOdpsType()) {
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INT:
            case DATE:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
            case CHAR:
            case VARCHAR:
            case STRING:
            case BINARY:
            case DECIMAL:
            case DATETIME:
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                return true;
            default:
                return false;
        }
    }

    /**
     * @throws ValidationException if the types are not {@linkplain OdpsTypeConversions#isCompatible
     *     compatible} or MaxCompute type is not one Arrow downloads carry here (ARRAY, MAP, STRUCT)
     */
    public static Copier create(String column, TypeInfo odpsType, LogicalType flinkType) {
        OdpsTypeConversions.checkReadable(odpsType, flinkType);
        switch (odpsType.getOdpsType()) {
            case BOOLEAN:
                return ArrowToFlinkVectors::booleans;
            case TINYINT:
                return ArrowToFlinkVectors::bytes;
            case SMALLINT:
                return ArrowToFlinkVectors::shorts;
            case INT:
                return ArrowToFlinkVectors::ints;
            case DATE:
                return ArrowToFlinkVectors::days;
            case BIGINT:
                return ArrowToFlinkVectors::longs;
            case FLOAT:
                return ArrowToFlinkVectors::floats;
            case DOUBLE:
                return ArrowToFlinkVectors::doubles;
            case CHAR:
            case VARCHAR:
            case STRING:
            case BINARY:
                return ArrowToFlinkVectors::variableWidth;
            case DECIMAL:
                return decimals(
                        OdpsTypeConversions.decimalPrecision(odpsType),
                        OdpsTypeConversions.decimalScale(odpsType));
            case DATETIME:
                return millisTimestamps(
                        new ScalarValues.TimestampCut(LogicalTypeChecks.getPrecision(flinkType)));
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                return nanosTimestamps(
                        new ScalarValues.TimestampCut(LogicalTypeChecks.getPrecision(flinkType)));
            default:
                throw new ValidationException(
                        String.format(
                                "Column '%s' of MaxCompute type %s cannot be read from Arrow"
                                        + " downloads; read it as records.",
                                column, OdpsTypeConversions.describe(odpsType)));
        }
    }

    private static ColumnVector booleans(FieldVector arrow, int rows) {
        HeapBooleanVector out = new HeapBooleanVector(rows);
        byte[] bits = bits(((BitVector) arrow).getDataBuffer(), rows);
        for (int i = 0; i < rows; i++) {
            out.vector[i] = isSet(bits, i);
        }
        copyNulls(arrow, out, rows);
        return out;
    }

    private static ColumnVector bytes(FieldVector arrow, int rows) {
        HeapByteVector out = new HeapByteVector(rows);
        data((TinyIntVector) arrow, rows).get(out.vector, 0, rows);
        copyNulls(arrow, out, rows);
        return out;
    }

    private static ColumnVector shorts(FieldVector arrow, int rows) {
        HeapShortVector out = new HeapShortVector(rows);
        data((SmallIntVector) arrow, rows).asShortBuffer().get(out.vector, 0, rows);
        copyNulls(arrow, out, rows);
        return out;
    }

    private static ColumnVector ints(FieldVector arrow, int rows) {
        return fourByteInts((IntVector) arrow, rows);
    }

    /** DATE: days since the epoch. */
    private static ColumnVector days(FieldVector arrow, int rows) {
        return fourByteInts((DateDayVector) arrow, rows);
    }

    private static ColumnVector fourByteInts(BaseFixedWidthVector arrow, int rows) {
        HeapIntVector out = new HeapIntVector(rows);
        data(arrow, rows).asIntBuffer().get(out.vector, 0, rows);
        copyNulls(arrow, out, rows);
        return out;
    }

    private static ColumnVector longs(FieldVector arrow, int rows) {
        HeapLongVector out = new HeapLongVector(rows);
        data((BigIntVector) arrow, rows).asLongBuffer().get(out.vector, 0, rows);
        copyNulls(arrow, out, rows);
        return out;
    }

    private static ColumnVector floats(FieldVector arrow, int rows) {
        HeapFloatVector out = new HeapFloatVector(rows);
        data((Float4Vector) arrow, rows).asFloatBuffer().get(out.vector, 0, rows);
        copyNulls(arrow, out, rows);
        return out;
    }

    private static ColumnVector doubles(FieldVector arrow, int rows) {
        HeapDoubleVector out = new HeapDoubleVector(rows);
        data((Float8Vector) arrow, rows).asDoubleBuffer().get(out.vector, 0, rows);
        copyNulls(arrow, out, rows);
        return out;
    }

    /** STRING and BINARY: the column's bytes in one copy, each value a slice of them. */
    private static ColumnVector variableWidth(FieldVector arrow, int rows) {
        BaseVariableWidthVector in = (BaseVariableWidthVector) arrow;
        HeapBytesVector out = new HeapBytesVector(rows);
        if (rows == 0) {
            // An empty vector may not even have its first offset.
            out.buffer = new byte[0];
            return out;
        }
        int[] offsets = new int[rows + 1];
        buffer(in.getOffsetBuffer(), rows + 1, BaseVariableWidthVector.OFFSET_WIDTH)
                .asIntBuffer()
                .get(offsets);
        int first = offsets[0];
        out.buffer = new byte[offsets[rows] - first];
        in.getDataBuffer().getBytes(first, out.buffer);
        for (int i = 0; i < rows; i++) {
            out.start[i] = offsets[i] - first;
            out.length[i] = offsets[i + 1] - offsets[i];
        }
        copyNulls(arrow, out, rows);
        return out;
    }

    private static Copier decimals(int precision, int scale) {
        if (precision > MAX_COMPACT_PRECISION) {
            return (arrow, rows) -> bigDecimals((DecimalVector) arrow, rows, precision, scale);
        }
        long limit = ScalarValues.pow10(precision);
        return (arrow, rows) -> {
            DecimalVector in = (DecimalVector) arrow;
            if (in.getScale() != scale) {
                return bigDecimals(in, rows, precision, scale);
            }
            // Little-endian 128-bit two's complement: low and high 64 bits of each value.
            long[] words = new long[rows * 2];
            data(in, rows).asLongBuffer().get(words);
            boolean hasNulls = in.getNullCount() > 0;
            DecimalData[] values = new DecimalData[rows];
            for (int i = 0; i < rows; i++) {
                if (hasNulls && in.isNull(i)) {
                    continue;
                }
                long unscaled = words[2 * i];
                if (words[2 * i + 1] != (unscaled >> 63)
                        || unscaled <= -limit
                        || unscaled >= limit) {
                    throw ScalarValues.overflow(in.getObject(i), precision, scale);
                }
                values[i] = DecimalData.fromUnscaledLong(unscaled, precision, scale);
            }
            return new DecimalArray(values);
        };
    }

    private static ColumnVector bigDecimals(DecimalVector in, int rows, int precision, int scale) {
        boolean hasNulls = in.getNullCount() > 0;
        DecimalData[] values = new DecimalData[rows];
        for (int i = 0; i < rows; i++) {
            if (!hasNulls || !in.isNull(i)) {
                values[i] = ScalarValues.decimal(in.getObject(i), precision, scale);
            }
        }
        return new DecimalArray(values);
    }

    /** DATETIME: milliseconds since the epoch. */
    private static Copier millisTimestamps(ScalarValues.TimestampCut cut) {
        return (arrow, rows) -> {
            TimestampArray out = new TimestampArray(rows);
            data((DateMilliVector) arrow, rows).asLongBuffer().get(out.millis, 0, rows);
            if (!cut.keepsMillis()) {
                for (int i = 0; i < rows; i++) {
                    out.millis[i] = cut.millis(out.millis[i]);
                }
            }
            copyNulls(arrow, out, rows);
            return out;
        };
    }

    /** TIMESTAMP and TIMESTAMP_NTZ: nanoseconds since the epoch (NTZ as if in UTC). */
    private static Copier nanosTimestamps(ScalarValues.TimestampCut cut) {
        return (arrow, rows) -> {
            TimestampArray out = new TimestampArray(rows);
            LongBuffer nanos = data((TimeStampNanoVector) arrow, rows).asLongBuffer();
            for (int i = 0; i < rows; i++) {
                long value = nanos.get(i);
                out.millis[i] = cut.epochMillisOfNanos(value);
                out.nanoOfMilli[i] = cut.nanoOfMilliOfNanos(value);
            }
            copyNulls(arrow, out, rows);
            return out;
        };
    }

    /**
     * The values of the first {@code rows} rows of a fixed-width vector, as Arrow lays them out.
     */
    private static ByteBuffer data(BaseFixedWidthVector arrow, int rows) {
        return buffer(arrow.getDataBuffer(), rows, arrow.getTypeWidth());
    }

    /** A view of {@code count} values of {@code width} bytes, to be copied out in bulk. */
    private static ByteBuffer buffer(ArrowBuf buffer, int count, int width) {
        if (count == 0) {
            return ByteBuffer.allocate(0);
        }
        return buffer.nioBuffer(0, count * width).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The first {@code count} bits of a bitmap, least significant bit first. */
    private static byte[] bits(ArrowBuf bitmap, int count) {
        byte[] bits = new byte[(count + 7) / 8];
        bitmap.getBytes(0, bits);
        return bits;
    }

    private static boolean isSet(byte[] bits, int i) {
        return (bits[i >> 3] & (1 << (i & 7))) != 0;
    }

    /** Marks the null rows, reading the validity bitmap only if Arrow counts any null. */
    private static void copyNulls(FieldVector arrow, AbstractHeapVector out, int rows) {
        if (arrow.getNullCount() == 0) {
            return;
        }
        byte[] valid = bits(arrow.getValidityBuffer(), rows);
        for (int i = 0; i < rows; i++) {
            if (!isSet(valid, i)) {
                out.setNullAt(i);
            }
        }
    }

    /**
     * Timestamps split as {@link TimestampData} holds them. Flink's heap timestamp vector takes one
     * {@code TimestampData} per value; this takes the arrays whole.
     */
    private static final class TimestampArray extends AbstractHeapVector
            implements TimestampColumnVector {

        private static final long serialVersionUID = 1L;

        private final long[] millis;
        private final int[] nanoOfMilli;

        TimestampArray(int rows) {
            super(rows);
            this.millis = new long[rows];
            this.nanoOfMilli = new int[rows];
        }

        @Override
        public TimestampData getTimestamp(int i, int precision) {
            return TimestampData.fromEpochMillis(millis[i], nanoOfMilli[i]);
        }
    }

    /** Decimals already converted (Flink has no heap decimal vector). */
    private static final class DecimalArray implements DecimalColumnVector {

        private final DecimalData[] values;

        DecimalArray(DecimalData[] values) {
            this.values = values;
        }

        @Override
        public boolean isNullAt(int i) {
            return values[i] == null;
        }

        @Override
        public DecimalData getDecimal(int i, int precision, int scale) {
            return values[i];
        }
    }
}
