package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import com.aliyun.odps.data.AbstractChar;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Struct;
import com.aliyun.odps.type.ArrayTypeInfo;
import com.aliyun.odps.type.MapTypeInfo;
import com.aliyun.odps.type.StructTypeInfo;
import com.aliyun.odps.type.TypeInfo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the converters from the Java objects a MaxCompute {@code Record} holds to Flink's internal
 * data structures, one per column, once, so that the per-record work is a switch-free call chain.
 *
 * <p>The SDK keeps more than one representation for some types: a top-level STRING is a {@code
 * byte[]} when it came from the tunnel but a {@code String} when it was set by hand, and nested
 * STRINGs are always {@code String}s; DATE, DATETIME and TIMESTAMP may hold either the java.time
 * object the tunnel decodes or the legacy {@code java.util.Date} family a user may have set. Only
 * those converters look at the value's class.
 */
@Internal
public final class OdpsToFlinkConverters {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** Converts one non-null MaxCompute value to Flink's internal representation. */
    @FunctionalInterface
    public interface ValueConverter extends Serializable {
        Object convert(Object odpsValue);
    }

    private OdpsToFlinkConverters() {}

    /**
     * A converter for values of {@code odpsType} that produces the internal representation of
     * {@code flinkType}.
     *
     * @throws ValidationException if the types are not {@linkplain OdpsTypeConversions#isCompatible
     *     compatible}
     */
    public static ValueConverter create(TypeInfo odpsType, LogicalType flinkType) {
        OdpsTypeConversions.checkReadable(odpsType, flinkType);
        switch (odpsType.getOdpsType()) {
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INT:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
                // The SDK holds the boxed Java type that Flink uses internally as well.
                return value -> value;
            case DECIMAL:
                return decimal(
                        OdpsTypeConversions.decimalPrecision(odpsType),
                        OdpsTypeConversions.decimalScale(odpsType));
            case CHAR:
            case VARCHAR:
            case STRING:
                return OdpsToFlinkConverters::string;
            case BINARY:
                return value -> value instanceof Binary ? ((Binary) value).data() : value;
            case DATE:
                return OdpsToFlinkConverters::date;
            case DATETIME:
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                return timestamp(LogicalTypeChecks.getPrecision(flinkType));
            case ARRAY:
                return array(
                        create(
                                ((ArrayTypeInfo) odpsType).getElementTypeInfo(),
                                ((ArrayType) flinkType).getElementType()));
            case MAP:
                MapTypeInfo odpsMap = (MapTypeInfo) odpsType;
                MapType flinkMap = (MapType) flinkType;
                return map(
                        create(odpsMap.getKeyTypeInfo(), flinkMap.getKeyType()),
                        create(odpsMap.getValueTypeInfo(), flinkMap.getValueType()));
            case STRUCT:
                return struct((StructTypeInfo) odpsType, (RowType) flinkType);
            default:
                // isCompatible is false for every other type, so this is a programming error.
                throw new IllegalStateException("Unhandled MaxCompute type " + odpsType);
        }
    }

    private static Object string(Object value) {
        if (value instanceof byte[]) {
            // Tunnel-decoded STRING: take the UTF-8 bytes as they are, without decoding them.
            return StringData.fromBytes((byte[]) value);
        }
        if (value instanceof AbstractChar) {
            // CHAR and VARCHAR: MaxCompute may pad CHAR with spaces; passed on unchanged.
            return StringData.fromString(((AbstractChar<?>) value).getValue());
        }
        return StringData.fromString(value.toString());
    }

    private static ValueConverter decimal(int precision, int scale) {
        return value -> ScalarValues.decimal((BigDecimal) value, precision, scale);
    }

    private static Object date(Object value) {
        if (value instanceof LocalDate) {
            return (int) ((LocalDate) value).toEpochDay();
        }
        // A legacy java.sql.Date set by a user: the SDK reads its day in GMT, and so do we.
        return (int) Math.floorDiv(((Date) value).getTime(), MILLIS_PER_DAY);
    }

    /** Cut to the declared precision, as {@link ScalarValues.TimestampCut} explains. */
    private static ValueConverter timestamp(int precision) {
        ScalarValues.TimestampCut cut = new ScalarValues.TimestampCut(precision);
        if (cut.keepsAll()) {
            return OdpsToFlinkConverters::toTimestampData;
        }
        return value -> cut.cut(toTimestampData(value));
    }

    /** Every timestamp type becomes the same epoch-based value: TIMESTAMP_NTZ as if in UTC. */
    private static TimestampData toTimestampData(Object value) {
        if (value instanceof Instant) {
            return TimestampData.fromInstant((Instant) value);
        }
        if (value instanceof ZonedDateTime) {
            return TimestampData.fromInstant(((ZonedDateTime) value).toInstant());
        }
        if (value instanceof LocalDateTime) {
            return TimestampData.fromLocalDateTime((LocalDateTime) value);
        }
        if (value instanceof Timestamp) {
            // Timestamp.toInstant keeps the nanoseconds that getTime() drops.
            return TimestampData.fromInstant(((Timestamp) value).toInstant());
        }
        return TimestampData.fromEpochMillis(((Date) value).getTime());
    }

    private static ValueConverter array(ValueConverter element) {
        return value -> {
            List<?> list = (List<?>) value;
            Object[] elements = new Object[list.size()];
            for (int i = 0; i < elements.length; i++) {
                Object e = list.get(i);
                elements[i] = e == null ? null : element.convert(e);
            }
            return new GenericArrayData(elements);
        };
    }

    private static ValueConverter map(ValueConverter key, ValueConverter val) {
        return value -> {
            Map<?, ?> map = (Map<?, ?>) value;
            Map<Object, Object> converted = new HashMap<>(map.size() * 2);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object k = entry.getKey();
                Object v = entry.getValue();
                converted.put(k == null ? null : key.convert(k), v == null ? null : val.convert(v));
            }
            return new GenericMapData(converted);
        };
    }

    private static ValueConverter struct(StructTypeInfo odpsStruct, RowType flinkRow) {
        ValueConverter[] fields = new ValueConverter[odpsStruct.getFieldCount()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = create(odpsStruct.getFieldTypeInfos().get(i), flinkRow.getTypeAt(i));
        }
        return value -> {
            Struct struct = (Struct) value;
            GenericRowData row = new GenericRowData(fields.length);
            for (int i = 0; i < fields.length; i++) {
                Object field = struct.getFieldValue(i);
                row.setField(i, field == null ? null : fields[i].convert(field));
            }
            return row;
        };
    }
}
