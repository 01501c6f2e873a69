package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.core.LakeHadoopConf;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.delta.DeltaColumnAdditions;
import org.flinkconnectors.lake.delta.DeltaEngines;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergCatalogConfig;
import org.flinkconnectors.lake.table.LakeConnectorOptions;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;
import org.flinkconnectors.lake.table.LakeTableProperties;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.TableChange;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Lake tables as Flink {@link CatalogTable}s and back. A described table's options are complete
 * options of the {@code lake} connector (format and location, never credentials), so the existing
 * table factory reads it unchanged. Partition keys are Iceberg's identity partitions and Delta's
 * partition columns.
 */
@Internal
final class LakeCatalogTables {

    private LakeCatalogTables() {}

    static CatalogTable describe(
            LakeWarehouse warehouse, String database, String table, TableFormat format)
            throws IOException {
        Map<String, String> options = new HashMap<>();
        options.put(FactoryUtil.CONNECTOR.key(), "lake");
        options.put(LakeConnectorOptions.TABLE_FORMAT.key(), format.toString());
        RowType rowType;
        List<String> partitionKeys;
        List<String> primaryKey = List.of();
        String comment;
        if (format == TableFormat.ICEBERG) {
            Table iceberg = warehouse.iceberg().loadTable(TableIdentifier.of(database, table));
            rowType = FlinkSchemaUtil.convert(iceberg.schema());
            // The identifier fields are the key an upserting sink writes by.
            primaryKey = List.copyOf(iceberg.schema().identifierFieldNames());
            partitionKeys = identityPartitions(iceberg);
            comment = "Iceberg table, format v" + TableUtil.formatVersion(iceberg);
            options.putAll(LakeTableProperties.of(iceberg.properties()));
            options.put(
                    TableProperties.FORMAT_VERSION,
                    String.valueOf(TableUtil.formatVersion(iceberg)));
            options.putAll(icebergCatalogOptions(warehouse));
            options.put(LakeConnectorOptions.DATABASE.key(), database);
            options.put(LakeConnectorOptions.TABLE.key(), table);
        } else {
            String path = warehouse.tablePath(database, table);
            // The binding's own type mapping, so the schema is the one its reader produces.
            try (LakeTable delta = DeltaTableLoader.path(path).load()) {
                OptionalLong latest = delta.resolveVersion(LakeVersionSelector.latest());
                rowType = delta.producedType(latest, LakeScanSpec.latest());
            }
            Engine engine = DeltaEngines.create();
            Snapshot snapshot = TableManager.loadSnapshot(path).build(engine);
            partitionKeys = snapshot.getPartitionColumnNames();
            options.putAll(LakeTableProperties.of(snapshot.getTableProperties()));
            comment = "Delta table";
            options.put(LakeConnectorOptions.PATH.key(), path);
        }
        Schema.Builder schema =
                Schema.newBuilder().fromRowDataType(TypeConversions.fromLogicalToDataType(rowType));
        if (!primaryKey.isEmpty()) {
            schema.primaryKey(inSchemaOrder(rowType, primaryKey));
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(comment)
                .partitionKeys(partitionKeys)
                .options(options)
                .build();
    }

    private static List<String> inSchemaOrder(RowType rowType, List<String> columns) {
        return rowType.getFieldNames().stream().filter(columns::contains).toList();
    }

    /** Where the Iceberg catalog is, as connector options; secrets stay out of table options. */
    private static Map<String, String> icebergCatalogOptions(LakeWarehouse warehouse) {
        IcebergCatalogConfig catalog = warehouse.icebergConfig();
        Map<String, String> options = new HashMap<>();
        if (catalog.type().equals(IcebergCatalogConfig.HADOOP)) {
            options.put(LakeConnectorOptions.WAREHOUSE.key(), warehouse.location());
            return options;
        }
        options.put(LakeConnectorOptions.CATALOG_TYPE.key(), catalog.type());
        options.put(LakeConnectorOptions.CATALOG_NAME.key(), catalog.name());
        for (ConfigOption<String> option :
                List.of(
                        LakeConnectorOptions.URI,
                        LakeConnectorOptions.WAREHOUSE,
                        LakeConnectorOptions.JDBC_USER)) {
            String value = catalog.property(option.key());
            if (value != null) {
                options.put(option.key(), value);
            }
        }
        return options;
    }

    private static List<String> identityPartitions(Table table) {
        List<String> keys = new ArrayList<>();
        for (PartitionField field : table.spec().fields()) {
            if (field.transform().isIdentity()) {
                keys.add(table.schema().findColumnName(field.sourceId()));
            }
        }
        return keys;
    }

    /** Creates an Iceberg table partitioned by identity on the partition keys. */
    static void createIceberg(
            LakeWarehouse warehouse,
            String database,
            String table,
            ResolvedCatalogTable flink,
            Map<String, String> properties) {
        LakeNewTables.createIceberg(
                warehouse.iceberg(),
                TableIdentifier.of(database, table),
                flink.getResolvedSchema(),
                flink.getPartitionKeys(),
                properties);
    }

    /** Creates an empty Delta table (version 0) in the database's directory. */
    static void createDelta(
            LakeWarehouse warehouse,
            String database,
            String table,
            ResolvedCatalogTable flink,
            Map<String, String> properties) {
        LakeNewTables.createDelta(
                warehouse.tablePath(database, table),
                LakeHadoopConf.create(),
                flink.getResolvedSchema(),
                flink.getPartitionKeys(),
                properties);
    }

    /** Appends the added columns to an Iceberg table's schema in one commit. */
    static void addIcebergColumns(
            LakeWarehouse warehouse, String database, String table, List<TableChange> changes) {
        Table iceberg = warehouse.iceberg().loadTable(TableIdentifier.of(database, table));
        UpdateSchema update = iceberg.updateSchema();
        for (TableChange change : changes) {
            TableChange.AddColumn add = appendedColumn(database, table, change);
            LogicalType type = add.getColumn().getDataType().getLogicalType();
            update.addColumn(add.getColumn().getName(), FlinkSchemaUtil.convert(type));
        }
        update.commit();
    }

    static void addDeltaColumns(
            LakeWarehouse warehouse, String database, String table, List<TableChange> changes) {
        RowType.RowField[] fields = new RowType.RowField[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            TableChange.AddColumn add = appendedColumn(database, table, changes.get(i));
            fields[i] =
                    new RowType.RowField(
                            add.getColumn().getName(),
                            add.getColumn().getDataType().getLogicalType());
        }
        String path = warehouse.tablePath(database, table);
        DeltaColumnAdditions.addColumns(
                path, DeltaSchemas.toDelta(new RowType(java.util.Arrays.asList(fields)), path));
    }

    /** Only {@code ADD column} at the end, of a nullable physical column. */
    private static TableChange.AddColumn appendedColumn(
            String database, String table, TableChange change) {
        if (!(change instanceof TableChange.AddColumn add) || add.getPosition() != null) {
            throw new ValidationException(
                    String.format(
                            "Table %s.%s: the lake catalog can only add columns at the end"
                                    + " (ALTER TABLE ... ADD column), not %s.",
                            database, table, change));
        }
        LogicalType type = add.getColumn().getDataType().getLogicalType();
        if (!type.isNullable() || !add.getColumn().isPhysical()) {
            throw new ValidationException(
                    String.format(
                            "Table %s.%s: the added column '%s' must be a nullable physical"
                                    + " column; existing rows have no value for it.",
                            database, table, add.getColumn().getName()));
        }
        return add;
    }
}
