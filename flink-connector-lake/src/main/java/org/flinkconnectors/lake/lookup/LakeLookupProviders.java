package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTableLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.source.LookupTableSource.LookupRuntimeProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.types.logical.RowType;

/**
 * The runtime of a {@code lake} lookup join for the configured cache: the whole table in memory,
 * refreshed incrementally ({@code FULL}); key-pruned reads behind Flink's LRU cache ({@code
 * PARTIAL}) or for every probe ({@code NONE}).
 */
@Internal
public final class LakeLookupProviders {

    private LakeLookupProviders() {}

    /**
     * @param spec the columns of {@code rowType}, the pushed filters and the version
     * @param keyPositions for each lookup key field, the position of its column in {@code rowType}
     * @param fixedVersion the spec reads a time-travel version, which a cache never refreshes
     * @param readChanges whether the format can tell each commit's deleted and inserted rows
     * @param newestPartitionOnly hold only the newest partition ({@code 'lookup.partition' =
     *     'max_pt()'})
     */
    public static LookupRuntimeProvider create(
            LakeTableLoader table,
            LakeScanSpec spec,
            RowType rowType,
            int[] keyPositions,
            LookupCacheSettings settings,
            boolean fixedVersion,
            boolean readChanges,
            boolean newestPartitionOnly) {
        LakeLookupReader reader =
                new LakeLookupReader(table, spec, readChanges, newestPartitionOnly);
        switch (settings.cacheType()) {
            case FULL:
                return LookupFunctionProvider.of(
                        new LakeFullCacheLookupFunction(
                                reader, rowType, keyPositions, settings, fixedVersion));
            case PARTIAL:
                return PartialCachingLookupProvider.of(
                        new LakeScanLookupFunction(reader, rowType, keyPositions, settings),
                        settings.createPartialCache());
            case NONE:
                return LookupFunctionProvider.of(
                        new LakeScanLookupFunction(reader, rowType, keyPositions, settings));
            default:
                throw new IllegalStateException("Unknown cache type " + settings.cacheType());
        }
    }
}
