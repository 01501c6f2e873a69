package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
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
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rows of Kernel column vectors into Flink's internal data structures. The per-column readers
 * are chosen once from the Delta types, so reading a row is a call per column, not a type switch.
 * Kernel's timestamps (both kinds) are microseconds since the epoch, dates days since the epoch.
 */
@Internal
final class DeltaRowConverter {

    /** Reads the non-null value at a row of a vector. */
    @FunctionalInterface
    interface ValueReader {
        Object read(ColumnVector vector, int rowId);
    }

    private final ValueReader[] readers;

    DeltaRowConverter(StructType schema) {
        List<StructField> fields = schema.fields();
        this.readers = new ValueReader[fields.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = reader(fields.get(i).getDataType());
        }
    }

    /** Fills {@code row} with the values at {@code rowId} of the columns, in schema order. */
    void read(ColumnVector[] columns, int rowId, GenericRowData row) {
        for (int i = 0; i < readers.length; i++) {
            ColumnVector column = columns[i];
            row.setField(i, column.isNullAt(rowId) ? null : readers[i].read(column, rowId));
        }
    }

    static ValueReader reader(DataType type) {
        if (type instanceof BooleanType) {
            return ColumnVector::getBoolean;
        } else if (type instanceof ByteType) {
            return ColumnVector::getByte;
        } else if (type instanceof ShortType) {
            return ColumnVector::getShort;
        } else if (type instanceof IntegerType || type instanceof DateType) {
            return ColumnVector::getInt;
        } else if (type instanceof LongType) {
            return ColumnVector::getLong;
        } else if (type instanceof FloatType) {
            return ColumnVector::getFloat;
        } else if (type instanceof DoubleType) {
            return ColumnVector::getDouble;
        } else if (type instanceof StringType) {
            return DeltaRowConverter::string;
        } else if (type instanceof BinaryType) {
            return ColumnVector::getBinary;
        } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return DeltaRowConverter::timestamp;
        } else if (type instanceof DecimalType decimal) {
            int precision = decimal.getPrecision();
            int scale = decimal.getScale();
            return (vector, rowId) -> decimal(vector, rowId, precision, scale);
        } else if (type instanceof ArrayType array) {
            ValueReader element = reader(array.getElementType());
            return (vector, rowId) -> array(vector.getArray(rowId), element);
        } else if (type instanceof MapType map) {
            ValueReader key = reader(map.getKeyType());
            ValueReader value = reader(map.getValueType());
            return (vector, rowId) -> map(vector.getMap(rowId), key, value);
        } else if (type instanceof StructType struct) {
            DeltaRowConverter nested = new DeltaRowConverter(struct);
            return (vector, rowId) -> nested.struct(vector, rowId);
        }
        // DeltaTypes rejects such columns when the source is built.
        throw new IllegalArgumentException("Unsupported Delta type " + type);
    }

    private GenericRowData struct(ColumnVector vector, int rowId) {
        ColumnVector[] children = new ColumnVector[readers.length];
        for (int i = 0; i < children.length; i++) {
            children[i] = vector.getChild(i);
        }
        GenericRowData row = new GenericRowData(readers.length);
        read(children, rowId, row);
        return row;
    }

    /** The string at a row of a string vector. */
    static StringData string(ColumnVector vector, int rowId) {
        return StringData.fromString(vector.getString(rowId));
    }

    /**
     * The timestamp at a row of a timestamp vector (either kind): microseconds since the epoch,
     * rounded towards negative infinity so that instants before 1970 stay exact.
     */
    static TimestampData timestamp(ColumnVector vector, int rowId) {
        long micros = vector.getLong(rowId);
        return TimestampData.fromEpochMillis(
                Math.floorDiv(micros, 1_000), (int) Math.floorMod(micros, 1_000) * 1_000);
    }

    /** The decimal at a row of a decimal vector, of the column's precision and scale. */
    static DecimalData decimal(ColumnVector vector, int rowId, int precision, int scale) {
        return DecimalData.fromBigDecimal(vector.getDecimal(rowId), precision, scale);
    }

    private static GenericArrayData array(ArrayValue array, ValueReader element) {
        ColumnVector elements = array.getElements();
        Object[] values = new Object[array.getSize()];
        for (int i = 0; i < values.length; i++) {
            values[i] = elements.isNullAt(i) ? null : element.read(elements, i);
        }
        return new GenericArrayData(values);
    }

    private static GenericMapData map(MapValue map, ValueReader key, ValueReader value) {
        ColumnVector keys = map.getKeys();
        ColumnVector values = map.getValues();
        Map<Object, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < map.getSize(); i++) {
            entries.put(key.read(keys, i), values.isNullAt(i) ? null : value.read(values, i));
        }
        return new GenericMapData(entries);
    }
}
