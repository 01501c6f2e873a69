package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormats;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.factories.DynamicTableFactory;

import javax.annotation.Nullable;

import java.util.List;

/**
 * The declared primary key of a written table, which turns its writes into upserts, and whether the
 * table's format can upsert at all. The table-specific checks (format version, partition columns,
 * identifier fields) run when the sink is built.
 */
@Internal
final class LakeUpsertCheck {

    private LakeUpsertCheck() {}

    /**
     * The primary key columns writes upsert by, or empty to append; fails if the format cannot
     * upsert.
     *
     * @param upsert {@code sink.upsert}: null follows the declared key
     */
    static List<String> primaryKey(
            DynamicTableFactory.Context context,
            LakeTableSettings settings,
            @Nullable Boolean upsert) {
        List<String> key =
                context.getCatalogTable()
                        .getResolvedSchema()
                        .getPrimaryKey()
                        .map(UniqueConstraint::getColumns)
                        .orElse(List.of());
        if (Boolean.FALSE.equals(upsert)) {
            return List.of();
        }
        if (Boolean.TRUE.equals(upsert) && key.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = 'true' needs a PRIMARY KEY (...) NOT ENFORCED on %s to"
                                    + " upsert by.",
                            LakeConnectorOptions.SINK_UPSERT.key(), settings.loader.describe()));
        }
        if (!key.isEmpty() && !settings.format.capabilities().contains(LakeCapability.UPSERT)) {
            throw new ValidationException(
                    String.format(
                            "%s declares PRIMARY KEY %s, but '%s' = '%s' tables cannot be upserted"
                                    + " yet; formats that can: %s. Declare the table without a"
                                    + " PRIMARY KEY to append.",
                            settings.loader.describe(),
                            key,
                            LakeConnectorOptions.TABLE_FORMAT.key(),
                            settings.format.identifier(),
                            LakeFormats.withCapability(LakeCapability.UPSERT)));
        }
        return key;
    }
}
