package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;
import org.flinkconnectors.base.lookup.LookupCacheSettings;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.source.InputFormatProvider;
import org.apache.flink.table.connector.source.LookupTableSource.LookupRuntimeProvider;
import org.apache.flink.table.connector.source.ScanTableSource.ScanRuntimeProvider;
import org.apache.flink.table.connector.source.lookup.FullCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.trigger.CacheReloadTrigger;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;

import java.util.Collection;

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
                return new FullCacheWithRelease(
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

    /**
     * Flink's full cache, with a lookup function the planner opens and closes around it. Flink
     * gives a full cache's loader no task context, so without the function a job whose only use of
     * the connector is a fully cached lookup would never register the release of its class loader,
     * and a session cluster would keep the job's classes.
     */
    private static final class FullCacheWithRelease implements FullCachingLookupProvider {

        private final ScanRuntimeProvider loader;
        private final CacheReloadTrigger trigger;

        FullCacheWithRelease(ScanRuntimeProvider loader, CacheReloadTrigger trigger) {
            this.loader = loader;
            this.trigger = trigger;
        }

        @Override
        public ScanRuntimeProvider getScanRuntimeProvider() {
            return loader;
        }

        @Override
        public CacheReloadTrigger getCacheReloadTrigger() {
            return trigger;
        }

        @Override
        public LookupFunction createLookupFunction() {
            return new ReleaseRegistration();
        }
    }

    /** Registers the release; Flink's full cache answers every key, so it is never asked one. */
    private static final class ReleaseRegistration extends LookupFunction {

        private static final long serialVersionUID = 1L;

        @Override
        public void open(FunctionContext context) {
            JobClassLoaderRelease.register(context, "odps", () -> {});
        }

        @Override
        public Collection<RowData> lookup(RowData keyRow) {
            throw new IllegalStateException(
                    "The full lookup cache should have answered key " + keyRow);
        }
    }
}
