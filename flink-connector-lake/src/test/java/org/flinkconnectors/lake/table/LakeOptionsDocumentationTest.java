package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.base.testutils.OptionsTable;
import org.flinkconnectors.base.testutils.ReadmeBlocks;
import org.flinkconnectors.lake.catalog.LakeCatalogFactory;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormats;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStreamingSpec;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.connector.source.lookup.LookupOptions;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The option tables of README.md are those the factories declare, each option a format plug-in
 * contributes marked with that format; {@code -Ddocs.update=true} rewrites them.
 */
class LakeOptionsDocumentationTest {

    @Test
    void tableOptionsAreDocumented() throws Exception {
        OptionsTable table =
                OptionsTable.of(new LakeDynamicTableFactory())
                        // Flink declares NONE and no interval; the connector reads its own
                        // defaults.
                        .withConnectorDefault(
                                LookupOptions.CACHE_TYPE, LookupCacheSettings.DEFAULT_CACHE)
                        .withConnectorDefault(
                                LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL,
                                LakeTableSettings.DEFAULT_LOOKUP_REFRESH)
                        // Declared without a default; the source applies these when unset.
                        .withConnectorDefault(
                                LakeConnectorOptions.SCAN_MONITOR_INTERVAL,
                                LakeStreamingSpec.DEFAULT_MONITOR_INTERVAL)
                        .withConnectorDefault(
                                LakeConnectorOptions.SCAN_ON_REWRITE, LakeRewritePolicy.FAIL)
                        .withConnectorDefault(
                                LakeConnectorOptions.SCAN_MAX_PENDING_SPLITS,
                                LakeStreamingSpec.DEFAULT_MAX_PENDING_SPLITS)
                        .withConnectorDefault(
                                LakeConnectorOptions.SCAN_SPLIT_SIZE,
                                new MemorySize(LakeScanSpec.DEFAULT_SPLIT_SIZE_BYTES));
        markFormatOptions(table, LakeFormat::tableOptions);

        ReadmeBlocks.assertBlock("options:lake", table.render());
    }

    @Test
    void catalogOptionsAreDocumented() throws Exception {
        OptionsTable table = OptionsTable.of(new LakeCatalogFactory());
        markFormatOptions(table, LakeFormat::catalogOptions);

        ReadmeBlocks.assertBlock("options:lake-catalog", table.render());
    }

    /** Notes "Iceberg only" on options that not every format takes. */
    private static void markFormatOptions(
            OptionsTable table, Function<LakeFormat, List<ConfigOption<?>>> optionsOfFormat) {
        Map<String, ConfigOption<?>> options = new LinkedHashMap<>();
        Map<String, TreeSet<String>> owners = new LinkedHashMap<>();
        for (LakeFormat format : LakeFormats.all()) {
            for (ConfigOption<?> option : optionsOfFormat.apply(format)) {
                options.put(option.key(), option);
                owners.computeIfAbsent(option.key(), key -> new TreeSet<>())
                        .add(displayName(format));
            }
        }
        owners.forEach(
                (key, formats) -> {
                    if (formats.size() < LakeFormats.all().size()) {
                        table.withNote(options.get(key), String.join(", ", formats) + " only");
                    }
                });
    }

    private static String displayName(LakeFormat format) {
        String id = format.identifier();
        return Character.toUpperCase(id.charAt(0)) + id.substring(1);
    }
}
