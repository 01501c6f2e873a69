package org.flinkconnectors.lake.table;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Table properties of the formats among a {@code lake} table's options, under their own names:
 * Iceberg's {@code format-version}, {@code write.*}, {@code read.*}, {@code commit.*}, {@code
 * history.*} and {@code gc.*} properties, and Delta's {@code delta.*} configuration. None of these
 * prefixes is a connector option's, so the factory accepts them beside the connector options. The
 * lake catalog shows a table's properties this way and creates tables with the ones given; reads
 * and writes leave them to the table.
 */
@Internal
public final class LakeTableProperties {

    /** The key prefixes of table properties; {@code format-version} is a whole key. */
    public static final List<String> PREFIXES =
            List.of("format-version", "write.", "read.", "commit.", "history.", "gc.", "delta.");

    private LakeTableProperties() {}

    public static boolean isTableProperty(String key) {
        return PREFIXES.stream()
                .anyMatch(
                        prefix ->
                                prefix.endsWith(".") ? key.startsWith(prefix) : key.equals(prefix));
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
}
