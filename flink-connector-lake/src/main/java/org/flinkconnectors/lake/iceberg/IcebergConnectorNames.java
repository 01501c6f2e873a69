package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.lake.core.LakeFormatOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ObjectIdentifier;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of Iceberg's own Flink connector ({@code 'connector' = 'iceberg'}) whose values this
 * connector takes differently: {@code streaming} with {@code starting-strategy} become {@code
 * scan.mode}, and database and table default to the Flink table's as in Iceberg's connector.
 * Renamed options with the same values ({@code catalog-database}, {@code start-snapshot-id}, ...)
 * are deprecated keys of this connector's options.
 */
@Internal
final class IcebergConnectorNames {

    static final ConfigOption<Boolean> STREAMING =
            ConfigOptions.key("streaming")
                    .booleanType()
                    .noDefaultValue()
                    .withDescription(
                            "Iceberg connector name: 'true' reads continuously, as 'scan.mode'"
                                    + " chosen by 'starting-strategy'.");

    static final ConfigOption<String> STARTING_STRATEGY =
            ConfigOptions.key("starting-strategy")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Iceberg connector name: with 'streaming' = 'true',"
                                    + " TABLE_SCAN_THEN_INCREMENTAL is 'scan.mode' = 'earliest',"
                                    + " INCREMENTAL_FROM_LATEST_SNAPSHOT (the default) 'latest',"
                                    + " INCREMENTAL_FROM_SNAPSHOT_ID 'from-snapshot',"
                                    + " INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP 'from-timestamp'.");

    static final List<ConfigOption<?>> OPTIONS = List.of(STREAMING, STARTING_STRATEGY);

    /** Keys that only Iceberg's own connector takes. */
    private static final List<String> OWN_KEYS =
            List.of("catalog-name", "catalog-type", "catalog-database", "catalog-table");

    private static final Map<String, String> SCAN_MODES =
            Map.of(
                    "TABLE_SCAN_THEN_INCREMENTAL", "earliest",
                    "INCREMENTAL_FROM_LATEST_SNAPSHOT", "latest",
                    "INCREMENTAL_FROM_SNAPSHOT_ID", "from-snapshot",
                    "INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP", "from-timestamp");

    private static final String SCAN_MODE = "scan.mode";

    private IcebergConnectorNames() {}

    static boolean writtenFor(Map<String, String> options) {
        return OWN_KEYS.stream().anyMatch(options::containsKey);
    }

    static Map<String, String> translate(Map<String, String> options, ObjectIdentifier table) {
        Map<String, String> translated = new HashMap<>(options);
        String streaming = translated.remove(STREAMING.key());
        String strategy = translated.remove(STARTING_STRATEGY.key());
        if (streaming != null && parseBoolean(streaming)) {
            putUnlessSet(translated, SCAN_MODE, scanMode(strategy, translated), STREAMING.key());
        } else if (streaming != null) {
            putUnlessSet(translated, SCAN_MODE, "bounded", STREAMING.key());
        }
        rejectHiveCatalog(translated);
        translated.putIfAbsent(IcebergOptions.DATABASE.key(), table.getDatabaseName());
        translated.putIfAbsent(IcebergOptions.TABLE.key(), table.getObjectName());
        return translated;
    }

    private static boolean parseBoolean(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw ConnectorOptionUtils.invalidValue(STREAMING, value, List.of("true", "false"));
        }
        return Boolean.parseBoolean(value);
    }

    /** Without a strategy, a start snapshot or time chooses as Iceberg's older source did. */
    private static String scanMode(String strategy, Map<String, String> options) {
        if (strategy == null) {
            if (options.containsKey(IcebergOptions.SCAN_STARTUP_SNAPSHOT_ID.key())) {
                return "from-snapshot";
            }
            return options.containsKey("scan.startup.timestamp-millis")
                    ? "from-timestamp"
                    : "latest";
        }
        String mode = SCAN_MODES.get(strategy.trim().toUpperCase(Locale.ROOT));
        if (mode == null) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = '%s' has no equivalent here; valid values are %s."
                                    + " (INCREMENTAL_FROM_EARLIEST_SNAPSHOT replays every"
                                    + " appended snapshot; 'scan.mode' = 'earliest' reads the"
                                    + " current rows, then the later appends.)",
                            STARTING_STRATEGY.key(), strategy, SCAN_MODES.keySet()));
        }
        return mode;
    }

    private static void putUnlessSet(
            Map<String, String> options, String key, String value, String aliasKey) {
        String set = options.putIfAbsent(key, value);
        if (set != null && !set.equalsIgnoreCase(value)) {
            throw new ValidationException(
                    String.format(
                            "Options '%s' = '%s' and '%s' (Iceberg's connector name) ask for"
                                    + " '%s' = '%s'; set only '%s'.",
                            key, set, aliasKey, key, value, key));
        }
    }

    /** Iceberg's connector takes a catalog without a type for a Hive metastore one. */
    private static void rejectHiveCatalog(Map<String, String> options) {
        String type = options.get(IcebergOptions.CATALOG_TYPE.key());
        String uri = options.get(IcebergOptions.URI.key());
        boolean hive =
                "hive".equalsIgnoreCase(type)
                        || (type == null && uri != null && uri.startsWith("thrift:"));
        if (hive) {
            throw new ValidationException(
                    String.format(
                            "Hive metastore catalogs are not supported; '%s' must be one of"
                                    + " [hadoop, jdbc, rest] ('%s' = 'iceberg').",
                            IcebergOptions.CATALOG_TYPE.key(),
                            LakeFormatOptions.TABLE_FORMAT.key()));
        }
    }
}
