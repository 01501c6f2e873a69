package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.SimpleStruct;
import com.aliyun.odps.data.Varchar;
import com.aliyun.odps.type.ArrayTypeInfo;
import com.aliyun.odps.type.MapTypeInfo;
import com.aliyun.odps.type.StructTypeInfo;
import com.aliyun.odps.type.TypeInfo;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the converters from Flink's internal data structures to the Java objects a MaxCompute
 * {@code Record} accepts, one per column, once.
 *
 * <p>They produce the java.time representations ({@link LocalDate} for DATE, {@link ZonedDateTime}
 * in UTC for DATETIME, {@link java.time.Instant} for TIMESTAMP, {@link java.time.LocalDateTime} for
 * TIMESTAMP_NTZ), {@link Char}/{@link Varchar} for CHAR/VARCHAR, {@link Binary} for BINARY and
 * {@link SimpleStruct} for STRUCT. A top-level STRING is handed over as its UTF-8 bytes, which the
 * SDK stores and writes as they are; inside ARRAY, MAP and STRUCT the SDK turns every STRING into a
 * {@code String} anyway, so nested strings are produced as {@code String}s directly.
 *
 * <p>CHAR values are neither padded nor trimmed: Flink's sink length enforcer already pads a {@code
 * CHAR(n)} column if the job asks for it, and MaxCompute pads CHAR itself.
 */
@Internal
public final class FlinkToOdpsConverters {

    /** Converts one non-null Flink internal value to what a MaxCompute {@code Record} accepts. */
    @FunctionalInterface
    public interface ValueConverter extends Serializable {
        Object convert(Object flinkValue);
    }

    private FlinkToOdpsConverters() {}

    /**
     * A converter for a top-level column of {@code odpsType} fed with values of {@code flinkType}.
     *
     * @throws ValidationException if the types are not {@linkplain OdpsTypeConversions#isCompatible
     *     compatible}
     */
    public static ValueConverter create(LogicalType flinkType, TypeInfo odpsType) {
        return create(flinkType, odpsType, true);
    }

    private static ValueConverter create(
            LogicalType flinkType, TypeInfo odpsType, boolean topLevel) {
        if (!OdpsTypeConversions.isCompatible(flinkType, odpsType)) {
            throw new ValidationException(
                    String.format(
                            "Cannot write Flink type %s to MaxCompute type %s.",
                            flinkType.asSummaryString(), OdpsTypeConversions.describe(odpsType)));
        }
        switch (odpsType.getOdpsType()) {
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INT:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
                return value -> value;
            case DECIMAL:
                return value -> ((DecimalData) value).toBigDecimal();
            case CHAR:
                return value -> new Char(value.toString());
            case VARCHAR:
                return value -> new Varchar(value.toString());
            case STRING:
                if (topLevel) {
                    return value -> ((StringData) value).toBytes();
                }
                return Object::toString;
            case BINARY:
                return value -> new Binary((byte[]) value);
            case DATE:
                return value -> LocalDate.ofEpochDay((Integer) value);
            case DATETIME:
                return value ->
                        ZonedDateTime.ofInstant(
                                ((TimestampData) value).toInstant(), ZoneOffset.UTC);
            case TIMESTAMP:
                return value -> ((TimestampData) value).toInstant();
            case TIMESTAMP_NTZ:
                return value -> ((TimestampData) value).toLocalDateTime();
            case ARRAY:
                return array(
                        ((ArrayType) flinkType).getElementType(),
                        ((ArrayTypeInfo) odpsType).getElementTypeInfo());
            case MAP:
                return map((MapType) flinkType, (MapTypeInfo) odpsType);
            case STRUCT:
                return struct((RowType) flinkType, (StructTypeInfo) odpsType);
            default:
                // isCompatible is false for every other type, so this is a programming error.
                throw new IllegalStateException("Unhandled MaxCompute type " + odpsType);
        }
    }

    private static ValueConverter array(LogicalType flinkElement, TypeInfo odpsElement) {
        ArrayData.ElementGetter getter = ArrayData.createElementGetter(flinkElement);
        ValueConverter element = create(flinkElement, odpsElement, false);
        return value -> toList((ArrayData) value, getter, element);
    }

    private static ValueConverter map(MapType flinkMap, MapTypeInfo odpsMap) {
        ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(flinkMap.getKeyType());
        ArrayData.ElementGetter valueGetter =
                ArrayData.createElementGetter(flinkMap.getValueType());
        ValueConverter key = create(flinkMap.getKeyType(), odpsMap.getKeyTypeInfo(), false);
        ValueConverter val = create(flinkMap.getValueType(), odpsMap.getValueTypeInfo(), false);
        return value -> {
            MapData map = (MapData) value;
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            Map<Object, Object> converted = new HashMap<>(map.size() * 2);
            for (int i = 0; i < map.size(); i++) {
                Object k = keyGetter.getElementOrNull(keys, i);
                Object v = valueGetter.getElementOrNull(values, i);
                converted.put(k == null ? null : key.convert(k), v == null ? null : val.convert(v));
            }
            return converted;
        };
    }

    private static ValueConverter struct(RowType flinkRow, StructTypeInfo odpsStruct) {
        int arity = odpsStruct.getFieldCount();
        RowData.FieldGetter[] getters = new RowData.FieldGetter[arity];
        ValueConverter[] fields = new ValueConverter[arity];
        for (int i = 0; i < arity; i++) {
            getters[i] = RowData.createFieldGetter(flinkRow.getTypeAt(i), i);
            fields[i] = create(flinkRow.getTypeAt(i), odpsStruct.getFieldTypeInfos().get(i), false);
        }
        return value -> {
            RowData row = (RowData) value;
            List<Object> values = new ArrayList<>(arity);
            for (int i = 0; i < arity; i++) {
                Object field = getters[i].getFieldOrNull(row);
                values.add(field == null ? null : fields[i].convert(field));
            }
            return new SimpleStruct(odpsStruct, values);
        };
    }

    private static List<Object> toList(
            ArrayData array, ArrayData.ElementGetter getter, ValueConverter element) {
        List<Object> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Object e = getter.getElementOrNull(array, i);
            list.add(e == null ? null : element.convert(e));
        }
        return list;
    }
}
