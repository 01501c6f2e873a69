package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.base.retry.Retrier;
import org.flinkconnectors.base.retry.RetryPolicy;
import org.flinkconnectors.lake.core.LakeStaticResources;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.connector.source.lookup.cache.trigger.CacheReloadTrigger;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A lookup join against the whole table held in memory, kept fresh incrementally: at each reload
 * trigger it lists the commits since the cached version and reads only the files they added. A
 * commit that deleted or rewrote rows, or a history that no longer reaches the cached version,
 * loads the table again into a new index, which replaces the old one at once. A refresh that still
 * fails after its retries fails the next lookup, so the join never runs on silently stale data.
 */
@Internal
public final class LakeFullCacheLookupFunction extends LookupFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LakeFullCacheLookupFunction.class);

    private final LakeLookupReader reader;
    private final RowType rowType;
    private final int[] keyPositions;
    private final LookupCacheSettings settings;
    private final boolean fixedVersion;

    private transient volatile LakeLookupIndex index;
    private transient OptionalLong version;
    private transient volatile Throwable refreshFailure;
    private transient volatile long lastRefreshMillis;
    private transient Retrier retrier;
    private transient CacheReloadTrigger trigger;
    private transient Counter refreshes;
    private transient Counter reloads;
    private transient Counter rowsApplied;

    /**
     * @param fixedVersion the spec reads a fixed version (time travel): loaded once, never
     *     refreshed
     */
    LakeFullCacheLookupFunction(
            LakeLookupReader reader,
            RowType rowType,
            int[] keyPositions,
            LookupCacheSettings settings,
            boolean fixedVersion) {
        this.reader = reader;
        this.rowType = rowType;
        this.keyPositions = keyPositions.clone();
        this.settings = settings;
        this.fixedVersion = fixedVersion;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        LakeStaticResources.releaseWith(context);
        retrier =
                new Retrier(
                        RetryPolicy.of(
                                settings.maxRetries() + 1,
                                Duration.ofMillis(500),
                                Duration.ofSeconds(10)),
                        e -> true);
        registerMetrics(context.getMetricGroup());
        LakeLookupIndex loaded = new LakeLookupIndex(rowType, keyPositions);
        version = retrier.call("loading " + reader.tableName(), () -> reader.load(loaded));
        index = loaded;
        lastRefreshMillis = System.currentTimeMillis();
        LOG.info(
                "Lookup cache of {} loaded at version {}: {} rows.",
                reader.tableName(),
                version,
                loaded.size());
        if (!fixedVersion) {
            trigger = settings.createReloadTrigger();
            trigger.open(new RefreshContext());
        }
    }

    private void registerMetrics(MetricGroup group) {
        refreshes = group.counter("numRefreshes");
        reloads = group.counter("numFullReloads");
        rowsApplied = group.counter("numRowsAppliedIncrementally");
        group.gauge("numCachedRows", () -> index == null ? 0L : index.size());
        group.gauge("lastRefreshTime", () -> lastRefreshMillis);
        group.gauge("cachedVersion", () -> version == null ? -1L : version.orElse(-1L));
    }

    @Override
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        Throwable failure = refreshFailure;
        if (failure != null) {
            throw new IOException(
                    "The lookup cache of "
                            + reader.tableName()
                            + " could not be refreshed: "
                            + failure.getMessage(),
                    failure);
        }
        return index.get(keyRow);
    }

    /** Brings the cache to the table's latest version; runs on the trigger's thread. */
    synchronized void refresh() {
        if (refreshFailure != null) {
            return;
        }
        try {
            LakeLookupReader.Refresh plan =
                    retrier.call(
                            "listing the commits of " + reader.tableName(),
                            () -> reader.planRefresh(version, index.heldPartition()));
            if (plan.needsReload()) {
                reload(plan.reloadReason());
            } else if (!plan.increments().isEmpty()) {
                applyIncrements(plan);
            }
            refreshes.inc();
            lastRefreshMillis = System.currentTimeMillis();
        } catch (Exception e) {
            LOG.error("Could not refresh the lookup cache of {}.", reader.tableName(), e);
            refreshFailure = e;
        }
    }

    private void applyIncrements(LakeLookupReader.Refresh plan) throws Exception {
        long target = plan.increments().get(plan.increments().size() - 1).version();
        try {
            long rows = reader.apply(plan.increments(), index);
            rowsApplied.inc(rows);
            version = OptionalLong.of(target);
            LOG.info(
                    "Lookup cache of {} at version {}: {} rows from {} files applied.",
                    reader.tableName(),
                    target,
                    rows,
                    plan.files());
        } catch (IOException | RuntimeException e) {
            // Some rows may be in the index already; only a fresh load is certain to be right.
            reload("applying the commits up to version " + target + " failed: " + e);
        }
    }

    private void reload(@Nullable String reason) throws Exception {
        LakeLookupIndex fresh = index.emptyCopy();
        OptionalLong loaded =
                retrier.call("reloading " + reader.tableName(), () -> reader.load(fresh));
        index = fresh;
        version = loaded;
        reloads.inc();
        LOG.info(
                "Lookup cache of {} reloaded at version {} ({} rows) because {}.",
                reader.tableName(),
                loaded,
                fresh.size(),
                reason);
    }

    @Override
    public void close() throws Exception {
        if (trigger != null) {
            trigger.close();
        }
    }

    private final class RefreshContext implements CacheReloadTrigger.Context {

        @Override
        public long currentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public long currentWatermark() {
            throw new UnsupportedOperationException("Lake lookup caches refresh by time.");
        }

        @Override
        public CompletableFuture<Void> triggerReload() {
            refresh();
            return CompletableFuture.completedFuture(null);
        }
    }
}
