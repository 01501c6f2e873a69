package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeFormatCatalog;
import org.flinkconnectors.lake.core.LakeTableDescription;
import org.flinkconnectors.lake.core.LakeWarehouseFiles;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogTable;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.io.CloseableIterable;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Iceberg tables of a lake catalog: those of a Hadoop catalog on the warehouse (directories
 * with a {@code metadata} directory), or what a JDBC or REST catalog lists, whose namespaces are
 * databases too.
 */
@Internal
final class IcebergWarehouseTables implements LakeFormatCatalog {

    private final IcebergFormat format;
    private final IcebergCatalogConfig config;
    private final LakeWarehouseFiles warehouse;
    private final Catalog catalog;

    IcebergWarehouseTables(
            IcebergFormat format, IcebergCatalogConfig config, LakeWarehouseFiles warehouse) {
        this.format = format;
        this.config = config;
        this.warehouse = warehouse;
        this.catalog = config.open();
    }

    /** A JDBC or REST catalog keeps its own namespaces; a Hadoop catalog's are directories. */
    private Optional<SupportsNamespaces> namespaces() {
        return !config.type().equals(IcebergCatalogConfig.HADOOP)
                        && catalog instanceof SupportsNamespaces namespaces
                ? Optional.of(namespaces)
                : Optional.empty();
    }

    @Override
    public List<String> databases() {
        return namespaces()
                .map(
                        ns ->
                                ns.listNamespaces().stream()
                                        .filter(n -> n.length() == 1)
                                        .map(n -> n.level(0))
                                        .toList())
                .orElse(List.of());
    }

    @Override
    public boolean databaseExists(String database) {
        return namespaces().map(ns -> ns.namespaceExists(Namespace.of(database))).orElse(false);
    }

    @Override
    public void createDatabase(String database) {
        namespaces()
                .filter(ns -> !ns.namespaceExists(Namespace.of(database)))
                .ifPresent(ns -> ns.createNamespace(Namespace.of(database)));
    }

    @Override
    public void dropDatabase(String database) {
        namespaces()
                .filter(ns -> ns.namespaceExists(Namespace.of(database)))
                .ifPresent(ns -> ns.dropNamespace(Namespace.of(database)));
    }

    @Override
    public List<String> tables(String database) throws IOException {
        TreeSet<String> tables = new TreeSet<>();
        if (namespaces().isPresent()) {
            if (databaseExists(database)) {
                catalog.listTables(Namespace.of(database)).forEach(id -> tables.add(id.name()));
            }
        } else {
            for (String name : warehouse.tableDirectories(database)) {
                if (owns(database, name)) {
                    tables.add(name);
                }
            }
        }
        return new ArrayList<>(tables);
    }

    @Override
    public boolean owns(String database, String table) throws IOException {
        return namespaces().isPresent()
                ? catalog.tableExists(TableIdentifier.of(database, table))
                : warehouse.tableHasDirectory(database, table, "metadata");
    }

    @Override
    public LakeTableDescription describe(String database, String table) {
        Table iceberg = catalog.loadTable(TableIdentifier.of(database, table));
        Map<String, String> options = new TreeMap<>();
        options.putAll(iceberg.properties());
        options.keySet().removeIf(key -> !format.isTableProperty(key));
        options.put(
                TableProperties.FORMAT_VERSION, String.valueOf(TableUtil.formatVersion(iceberg)));
        options.putAll(catalogOptions());
        options.put(IcebergOptions.DATABASE.key(), database);
        options.put(IcebergOptions.TABLE.key(), table);
        return new LakeTableDescription(
                FlinkSchemaUtil.convert(iceberg.schema()),
                // The identifier fields are the key an upserting sink writes by.
                List.copyOf(iceberg.schema().identifierFieldNames()),
                identityPartitions(iceberg),
                "Iceberg table, format v" + TableUtil.formatVersion(iceberg),
                options);
    }

    /** Where the Iceberg catalog is, as connector options; secrets stay out of table options. */
    private Map<String, String> catalogOptions() {
        Map<String, String> options = new HashMap<>();
        if (config.type().equals(IcebergCatalogConfig.HADOOP)) {
            options.put(IcebergOptions.WAREHOUSE.key(), warehouse.location());
            return options;
        }
        options.put(IcebergOptions.CATALOG_TYPE.key(), config.type());
        options.put(IcebergOptions.CATALOG_NAME.key(), config.name());
        for (ConfigOption<String> option :
                List.of(IcebergOptions.URI, IcebergOptions.WAREHOUSE, IcebergOptions.JDBC_USER)) {
            String value = config.property(option.key());
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

    @Override
    public void create(
            String database,
            String table,
            ResolvedCatalogTable flinkTable,
            Map<String, String> properties) {
        IcebergNewTables.create(
                catalog,
                TableIdentifier.of(database, table),
                flinkTable.getResolvedSchema(),
                flinkTable.getPartitionKeys(),
                properties);
    }

    @Override
    public void addColumns(String database, String table, List<Column> columns) {
        UpdateSchema update = catalog.loadTable(TableIdentifier.of(database, table)).updateSchema();
        for (Column column : columns) {
            update.addColumn(
                    column.getName(),
                    FlinkSchemaUtil.convert(column.getDataType().getLogicalType()));
        }
        update.commit();
    }

    /** Drops the table with its data, as Iceberg's Hadoop catalog does. */
    @Override
    public void drop(String database, String table) throws IOException {
        if (namespaces().isPresent()) {
            catalog.dropTable(TableIdentifier.of(database, table), true);
        }
        warehouse.deleteTableDirectory(database, table);
    }

    @Override
    public Set<Map<String, String>> partitions(String database, String table) throws IOException {
        Table iceberg = catalog.loadTable(TableIdentifier.of(database, table));
        Set<Map<String, String>> specs = new LinkedHashSet<>();
        if (iceberg.spec().isUnpartitioned()) {
            return specs;
        }
        try (CloseableIterable<FileScanTask> tasks = iceberg.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                Map<String, String> spec = identityValues(iceberg, task);
                if (!spec.isEmpty()) {
                    specs.add(spec);
                }
            }
        }
        return specs;
    }

    private static Map<String, String> identityValues(Table table, FileScanTask task) {
        StructLike partition = task.file().partition();
        List<PartitionField> fields = task.spec().fields();
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            PartitionField field = fields.get(i);
            if (field.transform().isIdentity()) {
                Object value = partition.get(i, Object.class);
                spec.put(
                        table.schema().findColumnName(field.sourceId()),
                        value == null ? null : value.toString());
            }
        }
        return spec;
    }

    @Override
    public void close() throws IOException {
        if (catalog instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
