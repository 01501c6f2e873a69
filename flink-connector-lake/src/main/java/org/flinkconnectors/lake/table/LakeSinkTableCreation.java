package org.flinkconnectors.lake.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogTable;

import java.io.IOException;
import java.util.Map;

/**
 * {@code 'sink.create-table' = 'true'}: the table an INSERT writes is created from the declared
 * columns when it does not exist yet, as the INSERT is planned. {@code PARTITIONED BY} columns
 * become the format's identity partitions, and the table properties among the options ({@code
 * write.*}, {@code delta.*}, ...) are set on the new table. A table that another writer creates at
 * the same moment is taken as it is.
 */
@Internal
final class LakeSinkTableCreation {

    private LakeSinkTableCreation() {}

    static void createIfMissing(
            LakeTableSettings settings,
            ResolvedCatalogTable declared,
            Map<String, String> rawOptions) {
        String table = settings.loader.describe();
        Map<String, String> properties =
                LakeTableProperties.ofNewTable(table, settings.format, rawOptions);
        try {
            settings.format.createIfMissing(
                    settings.loader,
                    declared.getResolvedSchema(),
                    declared.getPartitionKeys(),
                    properties);
        } catch (ValidationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ValidationException("Could not create " + table + ": " + e.getMessage(), e);
        }
    }
}
