package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.delta.DeltaEngines;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;
import org.flinkconnectors.lake.table.LakeTableProperties;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.utils.CloseableIterable;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;

import java.util.List;
import java.util.Map;

/**
 * New lake tables from a Flink schema, for the catalog's CREATE TABLE and the connector's {@code
 * 'sink.create-table'}: partition keys become Iceberg identity partitions or Delta partition
 * columns, and the table properties among the options are set on the new table.
 */
@Internal
public final class LakeNewTables {

    private static final String ENGINE_INFO = "flink-connector-lake";

    private LakeNewTables() {}

    /**
     * The table properties of a new table among {@code options}: {@code delta.*} for Delta, the
     * Iceberg ones for Iceberg (format version 2 unless given); one of the other format fails.
     */
    public static Map<String, String> properties(
            String table, TableFormat format, Map<String, String> options) {
        Map<String, String> properties = LakeTableProperties.of(options);
        for (String key : properties.keySet()) {
            if ((format == TableFormat.DELTA) != key.startsWith("delta.")) {
                throw new ValidationException(
                        String.format(
                                "Table %s: '%s' is not a table property of %s tables; %s.",
                                table,
                                key,
                                format,
                                format == TableFormat.DELTA
                                        ? "Delta tables take 'delta.*' properties"
                                        : "Iceberg tables take 'format-version', 'write.*',"
                                                + " 'read.*', 'commit.*', 'history.*' and 'gc.*'"));
            }
        }
        if (format == TableFormat.ICEBERG) {
            properties.putIfAbsent(TableProperties.FORMAT_VERSION, "2");
        }
        return properties;
    }

    /** Creates an Iceberg table (and its namespace, where the catalog keeps namespaces). */
    public static void createIceberg(
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

    /** Creates an empty Delta table (version 0) through Delta Kernel's create transaction. */
    public static void createDelta(
            String path,
            Configuration hadoopConf,
            ResolvedSchema flinkSchema,
            List<String> partitionKeys,
            Map<String, String> properties) {
        RowType rowType = (RowType) flinkSchema.toPhysicalRowDataType().getLogicalType();
        DataLayoutSpec layout =
                partitionKeys.isEmpty()
                        ? DataLayoutSpec.noDataLayout()
                        : DataLayoutSpec.partitioned(
                                partitionKeys.stream().map(Column::new).toList());
        Engine engine = DeltaEngines.create(hadoopConf);
        TableManager.buildCreateTableTransaction(
                        path, DeltaSchemas.toDelta(rowType, path), ENGINE_INFO)
                .withDataLayoutSpec(layout)
                .withTableProperties(properties)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
    }
}
