package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.base.lookup.LookupCacheSettings;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.source.InputFormatProvider;
import org.apache.flink.table.connector.source.LookupTableSource.LookupRuntimeProvider;
import org.apache.flink.table.connector.source.lookup.FullCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;

/**
 * Builds the runtime of an {@code odps} lookup join for the configured cache: Flink's full cache
 * over {@link OdpsLookupInputFormat}, or {@link OdpsLookupFunction} behind Flink's partial cache or
 * without a cache.
 */
@Internal
public final class OdpsLookupProviders {

    private OdpsLookupProviders() {}

    /**
     * @param keyPositions for each field of the lookup key, the position of its column in the
     *     produced row
     */
    public static LookupRuntimeProvider create(
            OdpsLookupTable table, LookupCacheSettings settings, int[] keyPositions) {
        switch (settings.cacheType()) {
            case FULL:
                return FullCachingLookupProvider.of(
                        InputFormatProvider.of(new OdpsLookupInputFormat(table)),
                        settings.createReloadTrigger());
            case PARTIAL:
                return PartialCachingLookupProvider.of(
                        new OdpsLookupFunction(table, keyPositions), settings.createPartialCache());
            case NONE:
                return LookupFunctionProvider.of(new OdpsLookupFunction(table, keyPositions));
            default:
                throw new IllegalStateException("Unknown cache type " + settings.cacheType());
        }
    }
}
