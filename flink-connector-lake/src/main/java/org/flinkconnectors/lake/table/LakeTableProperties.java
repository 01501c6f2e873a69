package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormats;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Table properties of the formats among a {@code lake} table's options, under their own names: e.g.
 * Iceberg's {@code format-version}, {@code write.*}, {@code read.*}, {@code commit.*}, {@code
 * history.*} and {@code gc.*} properties, and Delta's {@code delta.*} configuration. None of these
 * prefixes is a connector option's, so the factory accepts them beside the connector options. The
 * lake catalog shows a table's properties this way and creates tables with the ones given; reads
 * and writes leave them to the table.
 */
@Internal
public final class LakeTableProperties {

    /** The key prefixes of all formats' table properties; a prefix without a final dot is a key. */
    public static final List<String> PREFIXES =
            LakeFormats.all().stream()
                    .flatMap(format -> format.tablePropertyPrefixes().stream())
                    .distinct()
                    .toList();

    private LakeTableProperties() {}

    public static boolean isTableProperty(String key) {
        return LakeFormats.all().stream().anyMatch(format -> format.isTableProperty(key));
    }

    /** The table properties among {@code options}, sorted by key. */
    public static Map<String, String> of(Map<String, String> options) {
        Map<String, String> properties = new TreeMap<>();
        options.forEach(
                (key, value) -> {
                    if (isTableProperty(key)) {
                        properties.put(key, value);
                    }
                });
        return properties;
    }

    /**
     * The table properties of a new table of {@code format} among {@code options}, with the
     * format's defaults; a property of another format fails naming the format's prefixes.
     */
    public static Map<String, String> ofNewTable(
            String table, LakeFormat format, Map<String, String> options) {
        Map<String, String> properties = of(options);
        for (String key : properties.keySet()) {
            if (!format.isTableProperty(key)) {
                throw new ValidationException(
                        String.format(
                                "Table %s: '%s' is not a table property of %s tables; %s tables"
                                        + " take the properties %s.",
                                table,
                                key,
                                format.identifier(),
                                format.identifier(),
                                format.tablePropertyPrefixes()));
            }
        }
        return format.newTableProperties(properties);
    }
}
