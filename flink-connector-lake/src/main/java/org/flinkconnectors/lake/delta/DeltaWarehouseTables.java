package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeFormatCatalog;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableDescription;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.core.LakeWarehouseFiles;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.utils.CloseableIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/** The Delta tables of a lake catalog: directories of a database that have a {@code _delta_log}. */
@Internal
final class DeltaWarehouseTables implements LakeFormatCatalog {

    private final DeltaFormat format;
    private final LakeWarehouseFiles warehouse;

    DeltaWarehouseTables(DeltaFormat format, LakeWarehouseFiles warehouse) {
        this.format = format;
        this.warehouse = warehouse;
    }

    @Override
    public List<String> tables(String database) throws IOException {
        List<String> tables = new ArrayList<>();
        for (String name : warehouse.tableDirectories(database)) {
            if (owns(database, name)) {
                tables.add(name);
            }
        }
        return tables;
    }

    @Override
    public boolean owns(String database, String table) throws IOException {
        return warehouse.tableHasDirectory(database, table, "_delta_log");
    }

    @Override
    public LakeTableDescription describe(String database, String table) throws IOException {
        String path = warehouse.tablePath(database, table);
        RowType rowType;
        // The binding's own type mapping, so the schema is the one its reader produces.
        try (LakeTable delta = DeltaTableLoader.path(path).load()) {
            OptionalLong latest = delta.resolveVersion(LakeVersionSelector.latest());
            rowType = delta.producedType(latest, LakeScanSpec.latest());
        }
        Snapshot snapshot = TableManager.loadSnapshot(path).build(engine());
        Map<String, String> options = new TreeMap<>(snapshot.getTableProperties());
        options.keySet().removeIf(key -> !format.isTableProperty(key));
        options.put(DeltaOptions.PATH.key(), path);
        return new LakeTableDescription(
                rowType, List.of(), snapshot.getPartitionColumnNames(), "Delta table", options);
    }

    @Override
    public void create(
            String database,
            String table,
            ResolvedCatalogTable flinkTable,
            Map<String, String> properties) {
        DeltaNewTables.create(
                warehouse.tablePath(database, table),
                warehouse.conf(),
                flinkTable.getResolvedSchema(),
                flinkTable.getPartitionKeys(),
                properties);
    }

    @Override
    public void addColumns(String database, String table, List<Column> columns) {
        RowType.RowField[] fields = new RowType.RowField[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            fields[i] =
                    new RowType.RowField(column.getName(), column.getDataType().getLogicalType());
        }
        String path = warehouse.tablePath(database, table);
        DeltaColumnAdditions.addColumns(
                path, DeltaSchemas.toDelta(new RowType(List.of(fields)), path));
    }

    @Override
    public void drop(String database, String table) throws IOException {
        warehouse.deleteTableDirectory(database, table);
    }

    @Override
    public Set<Map<String, String>> partitions(String database, String table) throws IOException {
        Engine engine = engine();
        Snapshot snapshot =
                TableManager.loadSnapshot(warehouse.tablePath(database, table)).build(engine);
        List<String> columns = snapshot.getPartitionColumnNames();
        Set<Map<String, String>> specs = new LinkedHashSet<>();
        if (columns.isEmpty()) {
            return specs;
        }
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        Map<String, String> values =
                                InternalScanFileUtils.getPartitionValues(rows.next());
                        Map<String, String> spec = new LinkedHashMap<>();
                        // Keyed by physical column name: the column name unless the table uses
                        // column mapping, whose partitions are listed without values for now.
                        columns.forEach(column -> spec.put(column, values.get(column)));
                        specs.add(spec);
                    }
                }
            }
        }
        return specs;
    }

    private Engine engine() {
        return DeltaEngines.create(warehouse.conf());
    }

    @Override
    public void close() {}
}
