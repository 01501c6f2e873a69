package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeHadoopConf;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.utils.CloseableIterable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** New Delta tables (version 0) from a Flink schema, through Delta Kernel's create transaction. */
@Internal
final class DeltaNewTables {

    private static final String ENGINE_INFO = "flink-connector-lake";

    private DeltaNewTables() {}

    static void create(
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

    static void createIfMissing(
            DeltaTableLoader loader,
            ResolvedSchema schema,
            List<String> partitionKeys,
            Map<String, String> properties)
            throws IOException {
        Configuration conf = LakeHadoopConf.create(loader.hadoopProperties());
        Path log = new Path(loader.path(), "_delta_log");
        if (log.getFileSystem(conf).exists(log)) {
            return;
        }
        try {
            create(loader.path(), conf, schema, partitionKeys, properties);
        } catch (TableAlreadyExistsException createdMeanwhile) {
            // Another writer created it; the planning-time check then compares the columns.
        }
    }
}
