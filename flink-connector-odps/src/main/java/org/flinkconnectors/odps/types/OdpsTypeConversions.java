package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.CharType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import com.aliyun.odps.type.ArrayTypeInfo;
import com.aliyun.odps.type.CharTypeInfo;
import com.aliyun.odps.type.DecimalTypeInfo;
import com.aliyun.odps.type.MapTypeInfo;
import com.aliyun.odps.type.StructTypeInfo;
import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.VarcharTypeInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps MaxCompute (ODPS) column types to Flink types and back, and decides whether a column the
 * user declared in Flink may be read from or written to a MaxCompute column.
 *
 * <p>The canonical mapping ({@link #toFlinkType}) is what a catalog shows for an existing table.
 * {@link #isCompatible} is deliberately wider: any Flink character string type fits any MaxCompute
 * character column, any timestamp precision is accepted (values are truncated to the declared
 * precision when read), and a Flink {@code TIMESTAMP(p)} may stand for a MaxCompute {@code
 * DATETIME} or {@code TIMESTAMP}: it then holds the wall clock of that instant in UTC, which is
 * what a {@code TIMESTAMP_LTZ(p)} shows in a session whose time zone is UTC.
 */
@Internal
public final class OdpsTypeConversions {

    /** Flink's largest DECIMAL precision, which is also MaxCompute 2.0's. */
    static final int MAX_DECIMAL_PRECISION = 38;

    /** What MaxCompute 2.0 makes of a DECIMAL declared without precision and scale. */
    static final int DEFAULT_DECIMAL_SCALE = 18;

    /** MaxCompute's limits, from {@link CharTypeInfo} and {@link VarcharTypeInfo}. */
    static final int MAX_CHAR_LENGTH = 255;

    static final int MAX_VARCHAR_LENGTH = 65535;

    /** DATETIME keeps milliseconds; a Flink TIMESTAMP_LTZ with more digits needs TIMESTAMP. */
    private static final int DATETIME_PRECISION = 3;

    private OdpsTypeConversions() {}

    /**
     * The Flink type a MaxCompute column of the given type is read as by default (for example in a
     * catalog). The result is nullable, as every MaxCompute column may hold NULL on read.
     *
     * @throws ValidationException for MaxCompute types the connector cannot carry (INTERVAL, JSON,
     *     VOID, GEOGRAPHY, BLOB...)
     */
    public static DataType toFlinkType(TypeInfo odpsType) {
        switch (odpsType.getOdpsType()) {
            case BOOLEAN:
                return DataTypes.BOOLEAN();
            case TINYINT:
                return DataTypes.TINYINT();
            case SMALLINT:
                return DataTypes.SMALLINT();
            case INT:
                return DataTypes.INT();
            case BIGINT:
                return DataTypes.BIGINT();
            case FLOAT:
                return DataTypes.FLOAT();
            case DOUBLE:
                return DataTypes.DOUBLE();
            case DECIMAL:
                return DataTypes.DECIMAL(decimalPrecision(odpsType), decimalScale(odpsType));
            case CHAR:
                return DataTypes.CHAR(((CharTypeInfo) odpsType).getLength());
            case VARCHAR:
                return DataTypes.VARCHAR(((VarcharTypeInfo) odpsType).getLength());
            case STRING:
                return DataTypes.STRING();
            case BINARY:
                return DataTypes.BYTES();
            case DATE:
                return DataTypes.DATE();
            case DATETIME:
                return DataTypes.TIMESTAMP_LTZ(DATETIME_PRECISION);
            case TIMESTAMP:
                return DataTypes.TIMESTAMP_LTZ(9);
            case TIMESTAMP_NTZ:
                return DataTypes.TIMESTAMP(9);
            case ARRAY:
                return DataTypes.ARRAY(
                        toFlinkType(((ArrayTypeInfo) odpsType).getElementTypeInfo()));
            case MAP:
                MapTypeInfo map = (MapTypeInfo) odpsType;
                return DataTypes.MAP(
                        toFlinkType(map.getKeyTypeInfo()), toFlinkType(map.getValueTypeInfo()));
            case STRUCT:
                StructTypeInfo struct = (StructTypeInfo) odpsType;
                List<DataTypes.Field> fields = new ArrayList<>(struct.getFieldCount());
                for (int i = 0; i < struct.getFieldCount(); i++) {
                    fields.add(
                            DataTypes.FIELD(
                                    struct.getFieldNames().get(i),
                                    toFlinkType(struct.getFieldTypeInfos().get(i))));
                }
                return DataTypes.ROW(fields);
            default:
                throw new ValidationException(
                        String.format(
                                "MaxCompute type %s is not supported by the Flink connector. "
                                        + "Supported are BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, "
                                        + "FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, STRING, BINARY, "
                                        + "DATE, DATETIME, TIMESTAMP, TIMESTAMP_NTZ, ARRAY, MAP "
                                        + "and STRUCT.",
                                describe(odpsType)));
        }
    }

    /**
     * The MaxCompute type a Flink column becomes when Flink creates the table. {@code
     * TIMESTAMP_LTZ(p)} becomes DATETIME up to millisecond precision and TIMESTAMP beyond, {@code
     * TIMESTAMP(p)} becomes TIMESTAMP_NTZ, every binary type becomes BINARY, and a VARCHAR longer
     * than MaxCompute's VARCHAR limit (including Flink's STRING) becomes STRING.
     *
     * @throws ValidationException for Flink types MaxCompute has no column type for
     */
    public static TypeInfo toOdpsType(LogicalType flinkType) {
        switch (flinkType.getTypeRoot()) {
            case BOOLEAN:
                return TypeInfoFactory.BOOLEAN;
            case TINYINT:
                return TypeInfoFactory.TINYINT;
            case SMALLINT:
                return TypeInfoFactory.SMALLINT;
            case INTEGER:
                return TypeInfoFactory.INT;
            case BIGINT:
                return TypeInfoFactory.BIGINT;
            case FLOAT:
                return TypeInfoFactory.FLOAT;
            case DOUBLE:
                return TypeInfoFactory.DOUBLE;
            case DECIMAL:
                DecimalType decimal = (DecimalType) flinkType;
                return TypeInfoFactory.getDecimalTypeInfo(
                        decimal.getPrecision(), decimal.getScale());
            case CHAR:
                int charLength = ((CharType) flinkType).getLength();
                if (charLength > MAX_CHAR_LENGTH) {
                    throw new ValidationException(
                            String.format(
                                    "Flink type %s has no MaxCompute counterpart: MaxCompute CHAR "
                                            + "holds at most %d characters. Use VARCHAR or STRING.",
                                    flinkType.asSummaryString(), MAX_CHAR_LENGTH));
                }
                return TypeInfoFactory.getCharTypeInfo(charLength);
            case VARCHAR:
                int length = ((VarCharType) flinkType).getLength();
                return length > MAX_VARCHAR_LENGTH
                        ? TypeInfoFactory.STRING
                        : TypeInfoFactory.getVarcharTypeInfo(length);
            case BINARY:
            case VARBINARY:
                return TypeInfoFactory.BINARY;
            case DATE:
                return TypeInfoFactory.DATE;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return LogicalTypeChecks.getPrecision(flinkType) <= DATETIME_PRECISION
                        ? TypeInfoFactory.DATETIME
                        : TypeInfoFactory.TIMESTAMP;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TypeInfoFactory.TIMESTAMP_NTZ;
            case ARRAY:
                return TypeInfoFactory.getArrayTypeInfo(
                        toOdpsType(((ArrayType) flinkType).getElementType()));
            case MAP:
                MapType map = (MapType) flinkType;
                return TypeInfoFactory.getMapTypeInfo(
                        toOdpsType(map.getKeyType()), toOdpsType(map.getValueType()));
            case ROW:
                RowType row = (RowType) flinkType;
                List<TypeInfo> fieldTypes = new ArrayList<>(row.getFieldCount());
                for (LogicalType fieldType : row.getChildren()) {
                    fieldTypes.add(toOdpsType(fieldType));
                }
                return TypeInfoFactory.getStructTypeInfo(row.getFieldNames(), fieldTypes);
            default:
                throw new ValidationException(
                        String.format(
                                "Flink type %s has no MaxCompute counterpart. Use one of BOOLEAN, "
                                        + "TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, "
                                        + "CHAR, VARCHAR, STRING, BYTES, DATE, TIMESTAMP, "
                                        + "TIMESTAMP_LTZ, ARRAY, MAP or ROW.",
                                flinkType.asSummaryString()));
        }
    }

    /**
     * Whether a column declared as {@code flinkType} in Flink may be read from and written to a
     * MaxCompute column of type {@code odpsType}. Nullability is ignored; ROW fields are matched by
     * position, their names are not compared.
     *
     * <ul>
     *   <li>CHAR, VARCHAR and STRING accept any Flink CHAR, VARCHAR or STRING (a value too long for
     *       the MaxCompute column fails when it is written);
     *   <li>DATETIME and TIMESTAMP accept {@code TIMESTAMP_LTZ(p)} and {@code TIMESTAMP(p)} of any
     *       precision; with {@code TIMESTAMP(p)} the value is the wall clock in UTC;
     *   <li>TIMESTAMP_NTZ accepts {@code TIMESTAMP(p)} of any precision;
     *   <li>DECIMAL needs the same precision and scale (an old-style DECIMAL without them counts as
     *       DECIMAL(38, 18));
     *   <li>everything else needs the type root of {@link #toFlinkType}.
     * </ul>
     */
    public static boolean isCompatible(LogicalType flinkType, TypeInfo odpsType) {
        LogicalTypeRoot root = flinkType.getTypeRoot();
        switch (odpsType.getOdpsType()) {
            case BOOLEAN:
                return root == LogicalTypeRoot.BOOLEAN;
            case TINYINT:
                return root == LogicalTypeRoot.TINYINT;
            case SMALLINT:
                return root == LogicalTypeRoot.SMALLINT;
            case INT:
                return root == LogicalTypeRoot.INTEGER;
            case BIGINT:
                return root == LogicalTypeRoot.BIGINT;
            case FLOAT:
                return root == LogicalTypeRoot.FLOAT;
            case DOUBLE:
                return root == LogicalTypeRoot.DOUBLE;
            case DECIMAL:
                return root == LogicalTypeRoot.DECIMAL
                        && ((DecimalType) flinkType).getPrecision() == decimalPrecision(odpsType)
                        && ((DecimalType) flinkType).getScale() == decimalScale(odpsType);
            case CHAR:
            case VARCHAR:
            case STRING:
                return flinkType.is(LogicalTypeFamily.CHARACTER_STRING);
            case BINARY:
                return flinkType.is(LogicalTypeFamily.BINARY_STRING);
            case DATE:
                return root == LogicalTypeRoot.DATE;
            case DATETIME:
            case TIMESTAMP:
                return root == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                        || root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE;
            case TIMESTAMP_NTZ:
                return root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE;
            case ARRAY:
                return root == LogicalTypeRoot.ARRAY
                        && isCompatible(
                                ((ArrayType) flinkType).getElementType(),
                                ((ArrayTypeInfo) odpsType).getElementTypeInfo());
            case MAP:
                MapTypeInfo odpsMap = (MapTypeInfo) odpsType;
                return root == LogicalTypeRoot.MAP
                        && isCompatible(
                                ((MapType) flinkType).getKeyType(), odpsMap.getKeyTypeInfo())
                        && isCompatible(
                                ((MapType) flinkType).getValueType(), odpsMap.getValueTypeInfo());
            case STRUCT:
                return root == LogicalTypeRoot.ROW
                        && isCompatibleRow((RowType) flinkType, (StructTypeInfo) odpsType);
            default:
                return false;
        }
    }

    /**
     * Reading a column of {@code odpsType} as {@code flinkType}, with records or Arrow batches.
     *
     * @throws ValidationException naming both types unless they are {@linkplain #isCompatible
     *     compatible}
     */
    static void checkReadable(TypeInfo odpsType, LogicalType flinkType) {
        if (!isCompatible(flinkType, odpsType)) {
            throw new ValidationException(
                    String.format(
                            "Cannot read MaxCompute type %s as Flink type %s.",
                            describe(odpsType), flinkType.asSummaryString()));
        }
    }

    /** The MaxCompute type name as MaxCompute writes it, for example {@code DECIMAL(12,2)}. */
    public static String describe(TypeInfo odpsType) {
        return odpsType.getTypeName();
    }

    private static boolean isCompatibleRow(RowType row, StructTypeInfo struct) {
        if (row.getFieldCount() != struct.getFieldCount()) {
            return false;
        }
        for (int i = 0; i < row.getFieldCount(); i++) {
            if (!isCompatible(row.getTypeAt(i), struct.getFieldTypeInfos().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The legacy DECIMAL reports precision 54, more than Flink can hold; read it as 38. */
    static int decimalPrecision(TypeInfo decimal) {
        DecimalTypeInfo info = (DecimalTypeInfo) decimal;
        return info.isLegacyDecimal() ? MAX_DECIMAL_PRECISION : info.getPrecision();
    }

    static int decimalScale(TypeInfo decimal) {
        DecimalTypeInfo info = (DecimalTypeInfo) decimal;
        return info.isLegacyDecimal() ? DEFAULT_DECIMAL_SCALE : info.getScale();
    }
}
