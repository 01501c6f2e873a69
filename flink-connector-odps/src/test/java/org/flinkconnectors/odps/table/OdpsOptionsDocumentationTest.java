package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.base.testutils.OptionsTable;
import org.flinkconnectors.base.testutils.ReadmeBlocks;
import org.flinkconnectors.odps.catalog.OdpsCatalogFactory;

import org.apache.flink.table.connector.source.lookup.LookupOptions;

import org.junit.jupiter.api.Test;

/**
 * The option tables of README.md are those the factories declare; {@code -Ddocs.update=true}
 * rewrites them.
 */
class OdpsOptionsDocumentationTest {

    @Test
    void tableOptionsAreDocumented() throws Exception {
        ReadmeBlocks.assertBlock(
                "options:odps",
                OptionsTable.of(new OdpsDynamicTableFactory())
                        // Flink declares NONE and no interval; the connector reads its own
                        // defaults.
                        .withConnectorDefault(
                                LookupOptions.CACHE_TYPE, LookupCacheSettings.DEFAULT_CACHE)
                        .withConnectorDefault(
                                LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL,
                                LookupCacheSettings.DEFAULT_RELOAD_INTERVAL)
                        .render());
    }

    @Test
    void catalogOptionsAreDocumented() throws Exception {
        ReadmeBlocks.assertBlock(
                "options:odps-catalog", OptionsTable.of(new OdpsCatalogFactory()).render());
    }
}
