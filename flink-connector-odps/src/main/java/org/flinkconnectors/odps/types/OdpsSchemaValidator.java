package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a Flink table declaration against the MaxCompute table it points at before any data moves,
 * so that a misspelt column or a mismatched type fails the job at planning time with a message that
 * names the table, the column and both types, instead of failing some task later.
 *
 * <p>Columns are matched case-insensitively, as MaxCompute names are. A Flink column may be a data
 * column or a partition column of the table. Partition values travel as text, so a partition column
 * may also be declared as any Flink character string type whatever its MaxCompute type.
 */
@Internal
public final class OdpsSchemaValidator {

    private OdpsSchemaValidator() {}

    /**
     * Throws a {@link ValidationException} unless every field of {@code flinkRowType} names a
     * column of {@code odpsSchema} of a {@linkplain OdpsTypeConversions#isCompatible compatible}
     * type.
     *
     * @param tableIdentifier how the table is named in messages, for example {@code project.table}
     */
    public static void validate(
            String tableIdentifier, RowType flinkRowType, TableSchema odpsSchema) {
        Map<String, Column> dataColumns = byLowerCaseName(odpsSchema.getColumns());
        Map<String, Column> partitionColumns = byLowerCaseName(odpsSchema.getPartitionColumns());
        Map<String, String> seen = new HashMap<>();
        for (RowType.RowField field : flinkRowType.getFields()) {
            String key = lowerCase(field.getName());
            String earlier = seen.putIfAbsent(key, field.getName());
            if (earlier != null) {
                throw new ValidationException(
                        String.format(
                                "Columns '%s' and '%s' of table '%s' both name the same MaxCompute"
                                        + " column; MaxCompute column names are case-insensitive.",
                                earlier, field.getName(), tableIdentifier));
            }
            Column column = dataColumns.get(key);
            boolean partition = false;
            if (column == null) {
                column = partitionColumns.get(key);
                partition = true;
            }
            if (column == null) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' of table '%s' does not exist in MaxCompute. %s",
                                field.getName(), tableIdentifier, describeColumns(odpsSchema)));
            }
            LogicalType flinkType = field.getType();
            boolean compatible =
                    OdpsTypeConversions.isCompatible(flinkType, column.getTypeInfo())
                            || (partition && flinkType.is(LogicalTypeFamily.CHARACTER_STRING));
            if (!compatible) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' of table '%s' is %s in Flink but %s in MaxCompute.%s",
                                field.getName(),
                                tableIdentifier,
                                flinkType.asSummaryString(),
                                OdpsTypeConversions.describe(column.getTypeInfo()),
                                suggestion(column, partition)));
            }
        }
    }

    /** What the user could declare instead; the canonical type always passes the check. */
    private static String suggestion(Column column, boolean partition) {
        String canonical;
        try {
            canonical =
                    OdpsTypeConversions.toFlinkType(column.getTypeInfo())
                            .getLogicalType()
                            .asSummaryString();
        } catch (ValidationException unsupported) {
            return " The connector cannot read or write MaxCompute type "
                    + OdpsTypeConversions.describe(column.getTypeInfo())
                    + "; leave the column out of the Flink table.";
        }
        // Partition values are text, so STRING always works for a partition column.
        return partition && !"STRING".equals(canonical)
                ? " Declare it as " + canonical + " or STRING."
                : " Declare it as " + canonical + ".";
    }

    private static String describeColumns(TableSchema schema) {
        String data = join(schema.getColumns());
        if (schema.getPartitionColumns().isEmpty()) {
            return "The table has columns: " + data + ".";
        }
        return "The table has columns: "
                + data
                + "; partition columns: "
                + join(schema.getPartitionColumns())
                + ".";
    }

    private static String join(List<Column> columns) {
        return columns.stream()
                .map(c -> c.getName() + " " + OdpsTypeConversions.describe(c.getTypeInfo()))
                .collect(Collectors.joining(", "));
    }

    static Map<String, Column> byLowerCaseName(List<Column> columns) {
        Map<String, Column> byName = new HashMap<>();
        for (Column column : columns) {
            byName.put(lowerCase(column.getName()), column);
        }
        return byName;
    }

    /** For a row field that names no column of the table, found when the converters are built. */
    static ValidationException notAColumn(String field) {
        return new ValidationException(
                String.format(
                        "Column '%s' is neither a data nor a partition column of the MaxCompute"
                                + " table.",
                        field));
    }

    static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
