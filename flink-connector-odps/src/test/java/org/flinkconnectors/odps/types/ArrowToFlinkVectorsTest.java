package org.flinkconnectors.odps.types;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.columnar.ColumnarRowData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.VectorizedColumnBatch;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Arrow columns copied into Flink vectors read as the same values the record path ({@link
 * OdpsToFlinkConverters}) makes of the same MaxCompute values: with and without nulls, across
 * bitmap bytes, at every precision cut, and for empty batches.
 */
class ArrowToFlinkVectorsTest {

    /** Spans three bitmap bytes with a partial last one. */
    private static final int ROWS = 21;

    private final BufferAllocator allocator = new RootAllocator();
    private final List<FieldVector> vectors = new ArrayList<>();

    @AfterEach
    void release() {
        vectors.forEach(FieldVector::close);
        allocator.close();
    }

    @Test
    void integersFloatsAndBooleans() {
        for (boolean nulls : new boolean[] {false, true}) {
            assertSameAsRecords(
                    TypeInfoFactory.BIGINT,
                    DataTypes.BIGINT(),
                    vector(new BigIntVector("v", allocator), nulls, i -> i * -1_000_000_007L),
                    (v, i, x) -> ((BigIntVector) v).setSafe(i, (Long) x));
            assertSameAsRecords(
                    TypeInfoFactory.INT,
                    DataTypes.INT(),
                    vector(new IntVector("v", allocator), nulls, i -> (int) (i * -70_001)),
                    (v, i, x) -> ((IntVector) v).setSafe(i, (Integer) x));
            assertSameAsRecords(
                    TypeInfoFactory.SMALLINT,
                    DataTypes.SMALLINT(),
                    vector(new SmallIntVector("v", allocator), nulls, i -> (short) (i * -1_001)),
                    (v, i, x) -> ((SmallIntVector) v).setSafe(i, (Short) x));
            assertSameAsRecords(
                    TypeInfoFactory.TINYINT,
                    DataTypes.TINYINT(),
                    vector(new TinyIntVector("v", allocator), nulls, i -> (byte) (i * -7)),
                    (v, i, x) -> ((TinyIntVector) v).setSafe(i, (Byte) x));
            assertSameAsRecords(
                    TypeInfoFactory.FLOAT,
                    DataTypes.FLOAT(),
                    vector(new Float4Vector("v", allocator), nulls, i -> i / -3f),
                    (v, i, x) -> ((Float4Vector) v).setSafe(i, (Float) x));
            assertSameAsRecords(
                    TypeInfoFactory.DOUBLE,
                    DataTypes.DOUBLE(),
                    vector(new Float8Vector("v", allocator), nulls, i -> i / -7.0),
                    (v, i, x) -> ((Float8Vector) v).setSafe(i, (Double) x));
            assertSameAsRecords(
                    TypeInfoFactory.BOOLEAN,
                    DataTypes.BOOLEAN(),
                    vector(new BitVector("v", allocator), nulls, i -> i % 3 == 1 || i == 20),
                    (v, i, x) -> ((BitVector) v).setSafe(i, (Boolean) x ? 1 : 0));
        }
    }

    @Test
    void datesStringsAndBinaries() {
        for (boolean nulls : new boolean[] {false, true}) {
            assertSameAsRecords(
                    TypeInfoFactory.DATE,
                    DataTypes.DATE(),
                    vector(
                            new DateDayVector("v", allocator),
                            nulls,
                            i -> LocalDate.ofEpochDay(i * 400 - 3_000)),
                    (v, i, x) ->
                            ((DateDayVector) v).setSafe(i, (int) ((LocalDate) x).toEpochDay()));
            assertSameAsRecords(
                    TypeInfoFactory.STRING,
                    DataTypes.STRING(),
                    vector(
                            new VarCharVector("v", allocator),
                            nulls,
                            i -> utf8(i % 4 == 0 ? "" : "é✓-" + i)),
                    (v, i, x) -> ((VarCharVector) v).setSafe(i, (byte[]) x));
            assertSameAsRecords(
                    TypeInfoFactory.BINARY,
                    DataTypes.BYTES(),
                    vector(new VarBinaryVector("v", allocator), nulls, i -> new byte[(int) i % 5]),
                    (v, i, x) -> ((VarBinaryVector) v).setSafe(i, (byte[]) x));
        }
    }

    @Test
    void decimalsCompactAndWide() {
        for (boolean nulls : new boolean[] {false, true}) {
            assertSameAsRecords(
                    TypeInfoFactory.getDecimalTypeInfo(10, 2),
                    DataTypes.DECIMAL(10, 2),
                    vector(
                            new DecimalVector("v", allocator, 10, 2),
                            nulls,
                            i -> BigDecimal.valueOf(i * -123_456_789L + 99, 2)),
                    (v, i, x) -> ((DecimalVector) v).setSafe(i, (BigDecimal) x));
            assertSameAsRecords(
                    TypeInfoFactory.getDecimalTypeInfo(18, 0),
                    DataTypes.DECIMAL(18, 0),
                    vector(
                            new DecimalVector("v", allocator, 18, 0),
                            nulls,
                            i ->
                                    BigDecimal.valueOf(
                                            i % 2 == 0
                                                    ? 999_999_999_999_999_999L
                                                    : -999_999_999_999_999_999L)),
                    (v, i, x) -> ((DecimalVector) v).setSafe(i, (BigDecimal) x));
            assertSameAsRecords(
                    TypeInfoFactory.getDecimalTypeInfo(30, 4),
                    DataTypes.DECIMAL(30, 4),
                    vector(
                            new DecimalVector("v", allocator, 30, 4),
                            nulls,
                            i -> new BigDecimal("-12345678901234567890123." + i % 10 + "001")),
                    (v, i, x) -> ((DecimalVector) v).setSafe(i, (BigDecimal) x));
        }
    }

    @Test
    void aDecimalThatDoesNotFitIsAnErrorNotNull() {
        for (int precision : new int[] {5, 20}) {
            DecimalVector arrow = new DecimalVector("v", allocator, 38, 2);
            vectors.add(arrow);
            arrow.setSafe(0, new BigDecimal("1.00"));
            arrow.setSafe(1, new BigDecimal("-123456789012345678901234.56"));
            arrow.setValueCount(2);
            ArrowToFlinkVectors.Copier copier =
                    ArrowToFlinkVectors.create(
                            "amount",
                            TypeInfoFactory.getDecimalTypeInfo(precision, 2),
                            DataTypes.DECIMAL(precision, 2).getLogicalType());

            assertThatThrownBy(() -> copier.copy(arrow, 2))
                    .isInstanceOf(ArithmeticException.class)
                    .hasMessageContaining("-123456789012345678901234.56")
                    .hasMessageContaining("does not fit DECIMAL(" + precision + ", 2)");
        }
    }

    @Test
    void timestampsAreCutToEveryPrecisionAsRecordsAre() {
        // Before and after the epoch, so that cuts round towards the past on both sides.
        LongFunction<Object> instants =
                i -> Instant.ofEpochSecond((i - 10) * 86_399L, (i * 123_456_789L) % 1_000_000_000L);
        for (boolean nulls : new boolean[] {false, true}) {
            for (int precision : new int[] {0, 1, 3, 4, 6, 9}) {
                assertSameAsRecords(
                        TypeInfoFactory.TIMESTAMP,
                        DataTypes.TIMESTAMP(precision),
                        vector(new TimeStampNanoVector("v", allocator), nulls, instants),
                        (v, i, x) -> ((TimeStampNanoVector) v).setSafe(i, epochNanos((Instant) x)));
                assertSameAsRecords(
                        TypeInfoFactory.DATETIME,
                        DataTypes.TIMESTAMP_LTZ(precision),
                        vector(
                                new DateMilliVector("v", allocator),
                                nulls,
                                i -> Date.from((Instant) instants.apply(i))),
                        (v, i, x) -> ((DateMilliVector) v).setSafe(i, ((Date) x).getTime()));
            }
        }
    }

    @Test
    void anEmptyBatchGivesEmptyVectors() {
        FieldVector strings = new VarCharVector("v", allocator);
        FieldVector longs = new BigIntVector("v", allocator);
        vectors.add(strings);
        vectors.add(longs);
        strings.setValueCount(0);
        longs.setValueCount(0);

        assertThat(copier(TypeInfoFactory.STRING, DataTypes.STRING()).copy(strings, 0)).isNotNull();
        assertThat(copier(TypeInfoFactory.BIGINT, DataTypes.BIGINT()).copy(longs, 0)).isNotNull();
    }

    /** Sets one value of an Arrow vector. */
    @FunctionalInterface
    private interface Setter {
        void set(FieldVector vector, int index, Object value);
    }

    /** An Arrow vector and the record values it holds (null where it is null). */
    private static final class Filled {
        final FieldVector vector;
        final Object[] values;

        Filled(FieldVector vector, Object[] values) {
            this.vector = vector;
            this.values = values;
        }
    }

    /** {@code ROWS} values of {@code value}; with {@code nulls}, every third row is null. */
    private Filled vector(FieldVector vector, boolean nulls, LongFunction<Object> value) {
        vectors.add(vector);
        Object[] values = new Object[ROWS];
        for (int i = 0; i < ROWS; i++) {
            values[i] = nulls && i % 3 == 2 ? null : value.apply(i);
        }
        return new Filled(vector, values);
    }

    private static void assertSameAsRecords(
            TypeInfo odpsType, DataType flinkType, Filled filled, Setter setter) {
        FieldVector arrow = filled.vector;
        for (int i = 0; i < ROWS; i++) {
            if (filled.values[i] == null) {
                arrow.setNull(i);
            } else {
                setter.set(arrow, i, filled.values[i]);
            }
        }
        arrow.setValueCount(ROWS);
        LogicalType type = flinkType.getLogicalType();
        ColumnVector copied = copier(odpsType, flinkType).copy(arrow, ROWS);
        VectorizedColumnBatch batch = new VectorizedColumnBatch(new ColumnVector[] {copied});
        batch.setNumRows(ROWS);
        OdpsToFlinkConverters.ValueConverter records = OdpsToFlinkConverters.create(odpsType, type);
        RowData.FieldGetter getter = RowData.createFieldGetter(type, 0);
        for (int i = 0; i < ROWS; i++) {
            Object expected = filled.values[i] == null ? null : records.convert(filled.values[i]);
            Object actual = getter.getFieldOrNull(new ColumnarRowData(batch, i));
            assertThat(actual).as("row %d of %s as %s", i, odpsType, flinkType).isEqualTo(expected);
        }
    }

    private static ArrowToFlinkVectors.Copier copier(TypeInfo odpsType, DataType flinkType) {
        return ArrowToFlinkVectors.create("v", odpsType, flinkType.getLogicalType());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long epochNanos(Instant instant) {
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
