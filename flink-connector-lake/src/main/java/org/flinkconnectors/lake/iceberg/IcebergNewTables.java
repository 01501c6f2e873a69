package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.ResolvedSchema;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.FlinkSchemaUtil;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** New Iceberg tables from a Flink schema, partitioned by identity on the partition keys. */
@Internal
final class IcebergNewTables {

    private IcebergNewTables() {}

    /** Creates the table (and its namespace, where the catalog keeps namespaces). */
    static void create(
            Catalog catalog,
            TableIdentifier identifier,
            ResolvedSchema flinkSchema,
            List<String> partitionKeys,
            Map<String, String> properties) {
        org.apache.iceberg.Schema schema = FlinkSchemaUtil.convert(flinkSchema);
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        partitionKeys.forEach(spec::identity);
        if (catalog instanceof SupportsNamespaces namespaces) {
            Namespace namespace = identifier.namespace();
            if (!namespaces.namespaceExists(namespace)) {
                namespaces.createNamespace(namespace);
            }
        }
        catalog.createTable(identifier, schema, spec.build(), properties);
    }

    static void createIfMissing(
            IcebergTableLoader loader,
            ResolvedSchema schema,
            List<String> partitionKeys,
            Map<String, String> properties)
            throws IOException {
        Catalog catalog = loader.catalog().open();
        try {
            if (!catalog.tableExists(loader.identifier())) {
                create(catalog, loader.identifier(), schema, partitionKeys, properties);
            }
        } catch (AlreadyExistsException createdMeanwhile) {
            // Another writer created it; the planning-time check then compares the columns.
        } finally {
            if (catalog instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }
}
