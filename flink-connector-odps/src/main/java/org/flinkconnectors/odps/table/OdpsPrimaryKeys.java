package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the PRIMARY KEY of an {@code odps} sink table against the MaxCompute table: a Flink
 * primary key makes the sink upsert, which needs a primary-key (transactional) table with the same
 * key. The Flink key may add partition columns, which MaxCompute keeps out of its primary key.
 */
@Internal
final class OdpsPrimaryKeys {

    private OdpsPrimaryKeys() {}

    /**
     * @return the MaxCompute primary key, or empty when the Flink table declares none
     * @throws ValidationException naming both key lists if they do not match
     */
    static List<String> validate(
            OdpsTableSettings settings, List<String> flinkKey, List<String> partitionKeys) {
        if (flinkKey.isEmpty()) {
            return List.of();
        }
        List<String> odpsKey;
        try {
            odpsKey = new OdpsTableClient(settings.connection, settings.table).primaryKey();
        } catch (IOException e) {
            throw new ValidationException(
                    "Could not read the primary key of MaxCompute table "
                            + settings.tablePath()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        if (odpsKey.isEmpty()) {
            throw new ValidationException(
                    "The Flink table declares PRIMARY KEY "
                            + render(flinkKey)
                            + ", but MaxCompute table "
                            + settings.tablePath()
                            + " has no primary key. Upserts need a transactional table with a"
                            + " PRIMARY KEY; drop the PRIMARY KEY from the Flink table to append"
                            + " instead.");
        }
        List<String> flinkDataKey = new ArrayList<>(flinkKey);
        flinkDataKey.removeIf(column -> containsIgnoreCase(partitionKeys, column));
        if (!lowerCase(flinkDataKey).equals(lowerCase(odpsKey))) {
            throw new ValidationException(
                    "The PRIMARY KEY "
                            + render(flinkKey)
                            + " of the Flink table does not match the primary key "
                            + render(odpsKey)
                            + " of MaxCompute table "
                            + settings.tablePath()
                            + (partitionKeys.isEmpty()
                                    ? "."
                                    : " (the Flink key may add the partition columns "
                                            + render(partitionKeys)
                                            + ")."));
        }
        return odpsKey;
    }

    static boolean containsIgnoreCase(List<String> names, String name) {
        return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> out = new TreeSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    static String render(List<String> names) {
        return "(" + String.join(", ", names) + ")";
    }
}
