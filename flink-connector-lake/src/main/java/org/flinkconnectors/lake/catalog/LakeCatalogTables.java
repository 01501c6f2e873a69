package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeTableDescription;
import org.flinkconnectors.lake.table.LakeConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.TableChange;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lake tables as Flink {@link CatalogTable}s. A described table's options are complete options of
 * the {@code lake} connector (format and location, never credentials), so the existing table
 * factory reads it unchanged.
 */
@Internal
final class LakeCatalogTables {

    private LakeCatalogTables() {}

    static CatalogTable toCatalogTable(LakeFormat format, LakeTableDescription table) {
        Map<String, String> options = new HashMap<>(table.options());
        options.put(FactoryUtil.CONNECTOR.key(), "lake");
        options.put(LakeConnectorOptions.TABLE_FORMAT.key(), format.identifier());
        RowType rowType = table.rowType();
        Schema.Builder schema =
                Schema.newBuilder().fromRowDataType(TypeConversions.fromLogicalToDataType(rowType));
        if (!table.primaryKey().isEmpty()) {
            schema.primaryKey(inSchemaOrder(rowType, table.primaryKey()));
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(table.comment())
                .partitionKeys(table.partitionKeys())
                .options(options)
                .build();
    }

    private static List<String> inSchemaOrder(RowType rowType, List<String> columns) {
        return rowType.getFieldNames().stream().filter(columns::contains).toList();
    }

    /** The columns of {@code ALTER TABLE ... ADD}: only nullable physical columns at the end. */
    static List<Column> appendedColumns(String table, List<TableChange> changes) {
        return changes.stream().map(change -> appendedColumn(table, change)).toList();
    }

    private static Column appendedColumn(String table, TableChange change) {
        if (!(change instanceof TableChange.AddColumn add) || add.getPosition() != null) {
            throw new ValidationException(
                    String.format(
                            "Table %s: the lake catalog can only add columns at the end"
                                    + " (ALTER TABLE ... ADD column), not %s.",
                            table, change));
        }
        LogicalType type = add.getColumn().getDataType().getLogicalType();
        if (!type.isNullable() || !add.getColumn().isPhysical()) {
            throw new ValidationException(
                    String.format(
                            "Table %s: the added column '%s' must be a nullable physical"
                                    + " column; existing rows have no value for it.",
                            table, add.getColumn().getName()));
        }
        return add.getColumn();
    }
}
