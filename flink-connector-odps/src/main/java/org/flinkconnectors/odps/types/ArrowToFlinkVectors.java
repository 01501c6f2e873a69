package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.DecimalColumnVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapBooleanVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapByteVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapBytesVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapDoubleVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapFloatVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapIntVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapLongVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapShortVector;
import org.apache.flink.table.data.columnar.vector.heap.HeapTimestampVector;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import com.aliyun.odps.type.TypeInfo;
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

/**
 * Copies one column of an Arrow record batch, in the layout the ODPS SDK reads Arrow downloads
 * with, into a Flink heap column vector in one tight loop per column. The copy decouples the rows
 * from the Arrow buffers, which are released right after it, so emitted rows never point into freed
 * memory; strings and binaries take one array copy for the whole column.
 *
 * <p>Values come out as the record path's {@link OdpsToFlinkConverters} produce them: timestamps
 * cut to the declared precision, decimals that do not fit an error rather than NULL.
 */
@Internal
public final class ArrowToFlinkVectors {

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
        BitVector in = (BitVector) arrow;
        HeapBooleanVector out = new HeapBooleanVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i) != 0;
            }
        }
        return out;
    }

    private static ColumnVector bytes(FieldVector arrow, int rows) {
        TinyIntVector in = (TinyIntVector) arrow;
        HeapByteVector out = new HeapByteVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    private static ColumnVector shorts(FieldVector arrow, int rows) {
        SmallIntVector in = (SmallIntVector) arrow;
        HeapShortVector out = new HeapShortVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    private static ColumnVector ints(FieldVector arrow, int rows) {
        IntVector in = (IntVector) arrow;
        HeapIntVector out = new HeapIntVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    private static ColumnVector days(FieldVector arrow, int rows) {
        DateDayVector in = (DateDayVector) arrow;
        HeapIntVector out = new HeapIntVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    private static ColumnVector longs(FieldVector arrow, int rows) {
        BigIntVector in = (BigIntVector) arrow;
        HeapLongVector out = new HeapLongVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    private static ColumnVector floats(FieldVector arrow, int rows) {
        Float4Vector in = (Float4Vector) arrow;
        HeapFloatVector out = new HeapFloatVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    private static ColumnVector doubles(FieldVector arrow, int rows) {
        Float8Vector in = (Float8Vector) arrow;
        HeapDoubleVector out = new HeapDoubleVector(rows);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                out.vector[i] = in.get(i);
            }
        }
        return out;
    }

    /** STRING and BINARY: the column's bytes in one copy, each value a slice of them. */
    private static ColumnVector variableWidth(FieldVector arrow, int rows) {
        BaseVariableWidthVector in = (BaseVariableWidthVector) arrow;
        HeapBytesVector out = new HeapBytesVector(rows);
        int first = rows == 0 ? 0 : in.getStartOffset(0);
        int end = rows == 0 ? 0 : in.getStartOffset(rows);
        out.buffer = new byte[end - first];
        in.getDataBuffer().getBytes(first, out.buffer);
        for (int i = 0; i < rows; i++) {
            if (in.isNull(i)) {
                out.setNullAt(i);
            } else {
                int start = in.getStartOffset(i);
                out.start[i] = start - first;
                out.length[i] = in.getStartOffset(i + 1) - start;
            }
        }
        return out;
    }

    private static Copier decimals(int precision, int scale) {
        return (arrow, rows) -> {
            DecimalVector in = (DecimalVector) arrow;
            DecimalData[] values = new DecimalData[rows];
            for (int i = 0; i < rows; i++) {
                if (!in.isNull(i)) {
                    values[i] = ScalarValues.decimal(in.getObject(i), precision, scale);
                }
            }
            return new DecimalArray(values);
        };
    }

    /** DATETIME: milliseconds since the epoch. */
    private static Copier millisTimestamps(ScalarValues.TimestampCut cut) {
        return (arrow, rows) -> {
            DateMilliVector in = (DateMilliVector) arrow;
            HeapTimestampVector out = new HeapTimestampVector(rows);
            for (int i = 0; i < rows; i++) {
                if (in.isNull(i)) {
                    out.setNullAt(i);
                } else {
                    out.setTimestamp(i, TimestampData.fromEpochMillis(cut.millis(in.get(i))));
                }
            }
            return out;
        };
    }

    /** TIMESTAMP and TIMESTAMP_NTZ: nanoseconds since the epoch (NTZ as if in UTC). */
    private static Copier nanosTimestamps(ScalarValues.TimestampCut cut) {
        return (arrow, rows) -> {
            TimeStampNanoVector in = (TimeStampNanoVector) arrow;
            HeapTimestampVector out = new HeapTimestampVector(rows);
            for (int i = 0; i < rows; i++) {
                if (in.isNull(i)) {
                    out.setNullAt(i);
                } else {
                    long nanos = in.get(i);
                    out.setTimestamp(
                            i,
                            TimestampData.fromEpochMillis(
                                    cut.epochMillisOfNanos(nanos), cut.nanoOfMilliOfNanos(nanos)));
                }
            }
            return out;
        };
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
