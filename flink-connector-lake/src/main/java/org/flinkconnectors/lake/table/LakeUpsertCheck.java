package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.factories.DynamicTableFactory;

import java.util.List;

/**
 * The declared primary key of a written table, which turns its writes into upserts, and the checks
 * the format binding cannot make: only Iceberg tables can be upserted so far. The table-specific
 * checks (format version, partition columns, identifier fields) run when the sink is built.
 */
@Internal
final class LakeUpsertCheck {

    private LakeUpsertCheck() {}

    /** The primary key columns, or empty if none is declared; fails for a Delta table. */
    static List<String> primaryKey(
            DynamicTableFactory.Context context, LakeTableSettings settings) {
        List<String> key =
                context.getCatalogTable()
                        .getResolvedSchema()
                        .getPrimaryKey()
                        .map(UniqueConstraint::getColumns)
                        .orElse(List.of());
        if (!key.isEmpty() && settings.format == TableFormat.DELTA) {
            throw new ValidationException(
                    String.format(
                            "%s declares PRIMARY KEY %s, but Delta upsert is not supported yet:"
                                    + " a PRIMARY KEY on a '%s' = '%s' table needs '%s' ="
                                    + " '%s'. Declare the Delta table without a PRIMARY KEY to"
                                    + " append.",
                            settings.loader.describe(),
                            key,
                            LakeConnectorOptions.TABLE_FORMAT.key(),
                            TableFormat.DELTA,
                            LakeConnectorOptions.TABLE_FORMAT.key(),
                            TableFormat.ICEBERG));
        }
        return key;
    }
}
