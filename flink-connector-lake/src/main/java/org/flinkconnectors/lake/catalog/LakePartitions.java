package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.delta.DeltaEngines;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogPartitionSpec;

import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.utils.CloseableIterator;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partitions of a lake table: the distinct partition-key values of the data files in its
 * current snapshot (Iceberg identity partitions, Delta partition columns). Partitions are not
 * stored on their own in either format, so an empty table has none.
 */
@Internal
final class LakePartitions {

    private LakePartitions() {}

    static List<CatalogPartitionSpec> list(
            LakeWarehouse warehouse, String database, String table, TableFormat format)
            throws IOException {
        Set<Map<String, String>> specs =
                format == TableFormat.ICEBERG
                        ? iceberg(
                                warehouse.iceberg().loadTable(TableIdentifier.of(database, table)))
                        : delta(warehouse.tablePath(database, table));
        List<CatalogPartitionSpec> partitions = new ArrayList<>();
        specs.forEach(spec -> partitions.add(new CatalogPartitionSpec(spec)));
        return partitions;
    }

    private static Set<Map<String, String>> iceberg(Table table) throws IOException {
        Set<Map<String, String>> specs = new LinkedHashSet<>();
        if (table.spec().isUnpartitioned()) {
            return specs;
        }
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
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
                if (!spec.isEmpty()) {
                    specs.add(spec);
                }
            }
        }
        return specs;
    }

    private static Set<Map<String, String>> delta(String path) throws IOException {
        Engine engine = DeltaEngines.create();
        var snapshot = TableManager.loadSnapshot(path).build(engine);
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
}
