package org.flinkconnectors.lake.parquet;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Which file columns Flink's vectorized column readers read exactly as the table's row readers do:
 * the physical type must be the one the column's type is written as, with no promotion (an int file
 * column of a long table column), and only the encodings the readers convert losslessly. Anything
 * else is read row by row.
 */
@Internal
final class ParquetColumnTypes {

    private ParquetColumnTypes() {}

    /** Whether the file column reads into a vector of the output type without conversion. */
    static boolean readable(LogicalType outputType, Type fileType) {
        if (!fileType.isPrimitive() || fileType.isRepetition(Type.Repetition.REPEATED)) {
            return false;
        }
        PrimitiveType primitive = fileType.asPrimitiveType();
        PrimitiveTypeName physical = primitive.getPrimitiveTypeName();
        LogicalTypeAnnotation annotation = primitive.getLogicalTypeAnnotation();
        switch (outputType.getTypeRoot()) {
            case BOOLEAN:
                return physical == PrimitiveTypeName.BOOLEAN;
            case INTEGER:
                return physical == PrimitiveTypeName.INT32 && isPlainInt(annotation, 32);
            case BIGINT:
                return physical == PrimitiveTypeName.INT64 && isPlainInt(annotation, 64);
            case FLOAT:
                return physical == PrimitiveTypeName.FLOAT;
            case DOUBLE:
                return physical == PrimitiveTypeName.DOUBLE;
            case DATE:
                return physical == PrimitiveTypeName.INT32
                        && annotation instanceof DateLogicalTypeAnnotation;
            case CHAR:
            case VARCHAR:
                return physical == PrimitiveTypeName.BINARY
                        && annotation instanceof StringLogicalTypeAnnotation;
            case VARBINARY:
                return physical == PrimitiveTypeName.BINARY && annotation == null;
            case DECIMAL:
                return isDecimal((DecimalType) outputType, physical, annotation);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return isMicros(annotation, false)
                        && ((TimestampType) outputType).getPrecision() == 6
                        && physical == PrimitiveTypeName.INT64;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return isMicros(annotation, true)
                        && ((LocalZonedTimestampType) outputType).getPrecision() == 6
                        && physical == PrimitiveTypeName.INT64;
            default:
                return false;
        }
    }

    private static boolean isPlainInt(LogicalTypeAnnotation annotation, int bits) {
        return annotation == null
                || (annotation instanceof IntLogicalTypeAnnotation integer
                        && integer.isSigned()
                        && integer.getBitWidth() == bits);
    }

    /**
     * Flink's decimal vectors pick their storage by precision (int up to 9 digits, long up to 18,
     * bytes beyond), so the file must store it the same way.
     */
    private static boolean isDecimal(
            DecimalType type, PrimitiveTypeName physical, LogicalTypeAnnotation annotation) {
        if (!(annotation instanceof DecimalLogicalTypeAnnotation decimal)
                || decimal.getPrecision() != type.getPrecision()
                || decimal.getScale() != type.getScale()) {
            return false;
        }
        if (type.getPrecision() <= 9) {
            return physical == PrimitiveTypeName.INT32;
        }
        if (type.getPrecision() <= 18) {
            return physical == PrimitiveTypeName.INT64;
        }
        return physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                || physical == PrimitiveTypeName.BINARY;
    }

    private static boolean isMicros(LogicalTypeAnnotation annotation, boolean adjustedToUtc) {
        return annotation instanceof TimestampLogicalTypeAnnotation timestamp
                && timestamp.getUnit() == TimeUnit.MICROS
                && timestamp.isAdjustedToUTC() == adjustedToUtc;
    }
}
