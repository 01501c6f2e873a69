package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.catalog.LakeNewTables;
import org.flinkconnectors.lake.core.LakeHadoopConf;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogTable;

import io.delta.kernel.exceptions.TableAlreadyExistsException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.AlreadyExistsException;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * {@code 'sink.create-table' = 'true'}: the table an INSERT writes is created from the declared
 * columns when it does not exist yet, as the INSERT is planned. {@code PARTITIONED BY} columns
 * become Iceberg identity partitions or Delta partition columns, and the table properties among the
 * options ({@code write.*}, {@code delta.*}, ...) are set on the new table. A table that another
 * writer creates at the same moment is taken as it is.
 */
@Internal
final class LakeSinkTableCreation {

    private LakeSinkTableCreation() {}

    static void createIfMissing(
            LakeTableSettings settings,
            ResolvedCatalogTable declared,
            Map<String, String> rawOptions,
            Map<String, String> hadoopProperties) {
        Map<String, String> properties =
                LakeNewTables.properties(settings.loader.describe(), settings.format, rawOptions);
        try {
            if (settings.format == TableFormat.ICEBERG) {
                createIceberg((IcebergTableLoader) settings.loader, declared, properties);
            } else {
                createDelta(
                        rawOptions.get(LakeConnectorOptions.PATH.key()),
                        hadoopProperties,
                        declared,
                        properties);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ValidationException) {
                throw (ValidationException) e;
            }
            throw new ValidationException(
                    "Could not create " + settings.loader.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void createIceberg(
            IcebergTableLoader loader,
            ResolvedCatalogTable declared,
            Map<String, String> properties)
            throws IOException {
        Catalog catalog = loader.catalog().open();
        try {
            if (!catalog.tableExists(loader.identifier())) {
                LakeNewTables.createIceberg(
                        catalog,
                        loader.identifier(),
                        declared.getResolvedSchema(),
                        declared.getPartitionKeys(),
                        properties);
            }
        } catch (AlreadyExistsException createdMeanwhile) {
            // Another writer created it; the planning-time check then compares the columns.
        } finally {
            if (catalog instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }

    private static void createDelta(
            String path,
            Map<String, String> hadoopProperties,
            ResolvedCatalogTable declared,
            Map<String, String> properties)
            throws IOException {
        Configuration conf = LakeHadoopConf.create(hadoopProperties);
        Path log = new Path(path, "_delta_log");
        if (log.getFileSystem(conf).exists(log)) {
            return;
        }
        try {
            LakeNewTables.createDelta(
                    path,
                    conf,
                    declared.getResolvedSchema(),
                    declared.getPartitionKeys(),
                    properties);
        } catch (TableAlreadyExistsException createdMeanwhile) {
            // Another writer created it; the planning-time check then compares the columns.
        }
    }
}
