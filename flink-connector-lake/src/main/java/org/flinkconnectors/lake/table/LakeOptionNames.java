package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.options.OptionAliases;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormats;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.ObjectIdentifier;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.flinkconnectors.lake.table.LakeConnectorOptions.TABLE_FORMAT;

/**
 * Turns a table's options into this connector's names, so that a DDL written for Iceberg's or
 * Delta's own Flink connector works with only the connector changed: the format is taken from
 * options only its own connector takes when {@code table-format} is unset, deprecated names become
 * the options' keys, and the format translates the rest.
 */
@Internal
final class LakeOptionNames {

    private LakeOptionNames() {}

    static Map<String, String> canonical(
            Map<String, String> options,
            ObjectIdentifier table,
            Collection<ConfigOption<?>> declared) {
        Map<String, String> named = new HashMap<>(options);
        if (!named.containsKey(TABLE_FORMAT.key())) {
            List<LakeFormat> owners =
                    LakeFormats.all().stream()
                            .filter(format -> format.writtenForOwnConnector(options))
                            .collect(Collectors.toList());
            if (owners.size() == 1) {
                named.put(TABLE_FORMAT.key(), owners.get(0).identifier());
            }
        }
        named = OptionAliases.resolve(named, declared);
        String identifier = named.get(TABLE_FORMAT.key());
        // Without a format the settings fail, naming the valid ones.
        return identifier == null
                ? named
                : LakeFormats.of(TABLE_FORMAT.key(), identifier)
                        .fromOwnConnectorNames(named, table);
    }
}
