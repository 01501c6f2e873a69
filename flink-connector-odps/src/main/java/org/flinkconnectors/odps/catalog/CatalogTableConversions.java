package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.partition.PartitionValueType;
import org.flinkconnectors.odps.table.OdpsDynamicTableFactory;
import org.flinkconnectors.odps.types.OdpsTypeConversions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

import com.aliyun.odps.Column;
import com.aliyun.odps.Table;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfo;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Translates table definitions between MaxCompute and Flink: a MaxCompute table becomes a {@link
 * CatalogTable} (data columns, then partition columns as partition keys, comments, primary key of a
 * Delta table), and a Flink table to create becomes an {@link OdpsTableDefinition}. Column types
 * follow {@link OdpsTypeConversions}, so a round trip may widen a type (e.g. {@code TIMESTAMP(3)}
 * is stored as {@code TIMESTAMP_NTZ} and read back as {@code TIMESTAMP(9)}).
 */
@Internal
final class CatalogTableConversions {

    private CatalogTableConversions() {}

    /**
     * The Flink view of a loaded MaxCompute table.
     *
     * @param path how the table is named in messages
     * @param options the table options that let the {@code odps} connector read and write it
     * @throws CatalogException if a column has a type the connector cannot carry
     */
    static CatalogTable toCatalogTable(String path, Table table, Map<String, String> options) {
        TableSchema odpsSchema = table.getSchema();
        List<String> primaryKey = table.getPrimaryKey() == null ? List.of() : table.getPrimaryKey();
        Set<String> keyColumns =
                primaryKey.stream().map(CatalogTableConversions::lower).collect(Collectors.toSet());
        Schema.Builder schema = Schema.newBuilder();
        for (Column column : odpsSchema.getColumns()) {
            addColumn(path, schema, column, keyColumns.contains(lower(column.getName())));
        }
        List<String> partitionKeys = new ArrayList<>();
        for (Column column : odpsSchema.getPartitionColumns()) {
            addColumn(path, schema, column, false);
            partitionKeys.add(column.getName());
        }
        if (!primaryKey.isEmpty()) {
            schema.primaryKeyNamed("PK_" + String.join("_", primaryKey), primaryKey);
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(blankToNull(table.getComment()))
                .partitionKeys(partitionKeys)
                .options(options)
                .build();
    }

    private static void addColumn(
            String path, Schema.Builder schema, Column column, boolean inPrimaryKey) {
        DataType type;
        try {
            type = OdpsTypeConversions.toFlinkType(column.getTypeInfo());
        } catch (ValidationException e) {
            throw new CatalogException(
                    String.format(
                            "Column '%s' of MaxCompute table %s cannot be shown in Flink: %s",
                            column.getName(), path, e.getMessage()));
        }
        // Flink requires primary key columns to be NOT NULL; MaxCompute enforces it as well.
        schema.column(
                column.getName(), column.isNullable() && !inPrimaryKey ? type : type.notNull());
        String comment = blankToNull(column.getComment());
        if (comment != null) {
            schema.withComment(comment);
        }
    }

    /**
     * The MaxCompute definition of a Flink table to create.
     *
     * @throws CatalogException naming what MaxCompute cannot store: computed or metadata columns,
     *     watermarks, distribution, table options, unsupported (partition) column types
     */
    static OdpsTableDefinition toOdpsDefinition(String path, ResolvedCatalogTable table) {
        ResolvedSchema resolved = table.getResolvedSchema();
        checkStorable(path, table, resolved);
        Set<String> partitionKeys = new HashSet<>(table.getPartitionKeys());
        Map<String, Column> partitionColumns = new LinkedHashMap<>();
        TableSchema schema = new TableSchema();
        for (org.apache.flink.table.catalog.Column flinkColumn : resolved.getColumns()) {
            LogicalType type = flinkColumn.getDataType().getLogicalType();
            Column column =
                    new Column(
                            flinkColumn.getName(),
                            odpsType(path, flinkColumn.getName(), type),
                            blankToNull(flinkColumn.getComment().orElse(null)));
            if (partitionKeys.contains(flinkColumn.getName())) {
                if (PartitionValueType.of(type).isEmpty()) {
                    throw new CatalogException(
                            String.format(
                                    "Partition column '%s' of table %s has type %s. MaxCompute"
                                            + " partition columns are STRING, VARCHAR, CHAR,"
                                            + " TINYINT, SMALLINT, INT or BIGINT.",
                                    flinkColumn.getName(), path, type.asSummaryString()));
                }
                partitionColumns.put(flinkColumn.getName(), column);
            } else {
                column.setNullable(type.isNullable());
                schema.addColumn(column);
            }
        }
        if (schema.getColumns().isEmpty()) {
            throw new CatalogException(
                    "Table " + path + " needs at least one column that is not a partition key.");
        }
        // MaxCompute orders partition levels as PARTITIONED BY lists them.
        for (String key : table.getPartitionKeys()) {
            schema.addPartitionColumn(partitionColumns.get(key));
        }
        List<String> primaryKey =
                resolved.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of());
        return new OdpsTableDefinition(schema, primaryKey, blankToNull(table.getComment()));
    }

    private static void checkStorable(
            String path, ResolvedCatalogTable table, ResolvedSchema resolved) {
        for (org.apache.flink.table.catalog.Column column : resolved.getColumns()) {
            if (!column.isPhysical()) {
                throw new CatalogException(
                        String.format(
                                "Column '%s' of table %s is a computed or metadata column;"
                                        + " MaxCompute tables hold physical columns only. Declare"
                                        + " it in a query or a view instead.",
                                column.getName(), path));
            }
        }
        if (!resolved.getWatermarkSpecs().isEmpty()) {
            throw new CatalogException(
                    "Table "
                            + path
                            + " declares a watermark, which MaxCompute cannot store. Declare it"
                            + " on a temporary table instead, e.g. CREATE TEMPORARY TABLE ..."
                            + " LIKE.");
        }
        if (table.getDistribution().isPresent()) {
            throw new CatalogException(
                    "Table " + path + ": DISTRIBUTED BY is not supported by the odps catalog.");
        }
        Set<String> unsupported = new TreeSet<>(table.getOptions().keySet());
        String connector = table.getOptions().get(FactoryUtil.CONNECTOR.key());
        if (OdpsDynamicTableFactory.IDENTIFIER.equals(connector)) {
            unsupported.remove(FactoryUtil.CONNECTOR.key());
        }
        if (!unsupported.isEmpty()) {
            throw new CatalogException(
                    String.format(
                            "Table %s has options %s. Tables of the odps catalog live in"
                                    + " MaxCompute, which keeps no Flink options; create it"
                                    + " without a WITH clause (or with only 'connector' ="
                                    + " 'odps') and pass read or write options as dynamic"
                                    + " table options (/*+ OPTIONS(...) */).",
                            path, unsupported));
        }
    }

    private static TypeInfo odpsType(String path, String column, LogicalType type) {
        try {
            return OdpsTypeConversions.toOdpsType(type);
        } catch (ValidationException e) {
            throw new CatalogException(
                    String.format("Column '%s' of table %s: %s", column, path, e.getMessage()));
        }
    }

    @Nullable
    private static String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
