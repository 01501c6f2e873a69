package org.flinkconnectors.base.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.LookupOptions.LookupCacheType;
import org.apache.flink.table.connector.source.lookup.LookupOptions.ReloadStrategy;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;
import org.apache.flink.table.connector.source.lookup.cache.trigger.CacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.PeriodicCacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.PeriodicCacheReloadTrigger.ScheduleMode;
import org.apache.flink.table.connector.source.lookup.cache.trigger.TimedCacheReloadTrigger;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The resolved {@code lookup.*} options of one table (Flink's own {@link LookupOptions}, read with
 * the defaults of connectors whose systems have no cheap point lookups: MaxCompute downloads whole
 * partitions, lake tables read whole files).
 *
 * <p>So the default cache is {@code FULL} (Flink's own default is {@code NONE}), reloaded every
 * {@link #DEFAULT_RELOAD_INTERVAL} unless {@code lookup.full-cache.*} says otherwise. Options that
 * belong to a cache type other than the chosen one are rejected rather than silently ignored.
 */
@Internal
public final class LookupCacheSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The cache type when {@code lookup.cache} is not set. */
    public static final LookupCacheType DEFAULT_CACHE = LookupCacheType.FULL;

    /** The full cache's reload interval when no {@code lookup.full-cache.*} option is set. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofHours(1);

    private static final List<ConfigOption<?>> PARTIAL_OPTIONS =
            List.of(
                    LookupOptions.PARTIAL_CACHE_MAX_ROWS,
                    LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS,
                    LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE,
                    LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY);

    private static final List<ConfigOption<?>> FULL_OPTIONS =
            List.of(
                    LookupOptions.FULL_CACHE_RELOAD_STRATEGY,
                    LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL,
                    LookupOptions.FULL_CACHE_PERIODIC_RELOAD_SCHEDULE_MODE,
                    LookupOptions.FULL_CACHE_TIMED_RELOAD_ISO_TIME,
                    LookupOptions.FULL_CACHE_TIMED_RELOAD_INTERVAL_IN_DAYS);

    private final LookupCacheType cacheType;
    private final int maxRetries;
    // FULL
    private final ReloadStrategy reloadStrategy;
    private final Duration reloadInterval;
    private final ScheduleMode scheduleMode;
    @Nullable private final String reloadTime;
    private final int reloadIntervalInDays;
    // PARTIAL
    @Nullable private final Long maxRows;
    @Nullable private final Duration expireAfterAccess;
    @Nullable private final Duration expireAfterWrite;
    private final boolean cacheMissingKey;

    private LookupCacheSettings(ReadableConfig options, Duration defaultReloadInterval) {
        this.cacheType = options.getOptional(LookupOptions.CACHE_TYPE).orElse(DEFAULT_CACHE);
        this.maxRetries = options.get(LookupOptions.MAX_RETRIES);
        this.reloadStrategy = options.get(LookupOptions.FULL_CACHE_RELOAD_STRATEGY);
        this.reloadInterval =
                options.getOptional(LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL)
                        .orElse(defaultReloadInterval);
        this.scheduleMode = options.get(LookupOptions.FULL_CACHE_PERIODIC_RELOAD_SCHEDULE_MODE);
        this.reloadTime =
                options.getOptional(LookupOptions.FULL_CACHE_TIMED_RELOAD_ISO_TIME).orElse(null);
        this.reloadIntervalInDays =
                options.get(LookupOptions.FULL_CACHE_TIMED_RELOAD_INTERVAL_IN_DAYS);
        this.maxRows = options.getOptional(LookupOptions.PARTIAL_CACHE_MAX_ROWS).orElse(null);
        this.expireAfterAccess =
                options.getOptional(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS).orElse(null);
        this.expireAfterWrite =
                options.getOptional(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE).orElse(null);
        this.cacheMissingKey = options.get(LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY);
    }

    /** Flink's lookup options these settings read, for a table factory's optional options. */
    public static Set<ConfigOption<?>> options() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(LookupOptions.CACHE_TYPE);
        options.add(LookupOptions.MAX_RETRIES);
        options.addAll(PARTIAL_OPTIONS);
        options.addAll(FULL_OPTIONS);
        return options;
    }

    /**
     * Reads and validates the lookup options.
     *
     * @throws ValidationException naming the option and what would be valid
     */
    public static LookupCacheSettings fromOptions(ReadableConfig options) {
        return fromOptions(options, DEFAULT_RELOAD_INTERVAL);
    }

    /** As {@link #fromOptions(ReadableConfig)}, with the connector's own default interval. */
    public static LookupCacheSettings fromOptions(
            ReadableConfig options, Duration defaultReloadInterval) {
        LookupCacheSettings settings = new LookupCacheSettings(options, defaultReloadInterval);
        settings.validate(options);
        return settings;
    }

    private void validate(ReadableConfig options) {
        if (maxRetries < 0) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be 0 (no retries) or positive, but is %d.",
                            LookupOptions.MAX_RETRIES.key(), maxRetries));
        }
        rejectOptionsOfOtherCaches(options);
        if (cacheType == LookupCacheType.FULL) {
            validateFullCache(options);
        } else if (cacheType == LookupCacheType.PARTIAL) {
            validatePartialCache();
        }
    }

    private void rejectOptionsOfOtherCaches(ReadableConfig options) {
        checkUnused(options, PARTIAL_OPTIONS, LookupCacheType.PARTIAL);
        checkUnused(options, FULL_OPTIONS, LookupCacheType.FULL);
    }

    private void checkUnused(
            ReadableConfig options, List<ConfigOption<?>> belonging, LookupCacheType owner) {
        if (cacheType == owner) {
            return;
        }
        for (ConfigOption<?> option : belonging) {
            if (options.getOptional(option).isPresent()) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' applies only when '%s' = '%s', but '%s' is '%s'%s.",
                                option.key(),
                                LookupOptions.CACHE_TYPE.key(),
                                owner,
                                LookupOptions.CACHE_TYPE.key(),
                                cacheType,
                                options.getOptional(LookupOptions.CACHE_TYPE).isPresent()
                                        ? ""
                                        : " (the connector's default)"));
            }
        }
    }

    private void validateFullCache(ReadableConfig options) {
        if (reloadStrategy == ReloadStrategy.PERIODIC) {
            forbid(options, LookupOptions.FULL_CACHE_TIMED_RELOAD_ISO_TIME, ReloadStrategy.TIMED);
            forbid(
                    options,
                    LookupOptions.FULL_CACHE_TIMED_RELOAD_INTERVAL_IN_DAYS,
                    ReloadStrategy.TIMED);
            positive(LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL, reloadInterval);
            return;
        }
        forbid(options, LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL, ReloadStrategy.PERIODIC);
        forbid(
                options,
                LookupOptions.FULL_CACHE_PERIODIC_RELOAD_SCHEDULE_MODE,
                ReloadStrategy.PERIODIC);
        if (reloadTime == null) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' is required when '%s' = 'TIMED', e.g. '10:15' (local"
                                    + " time), '10:15Z' or '10:15+08:00'.",
                            LookupOptions.FULL_CACHE_TIMED_RELOAD_ISO_TIME.key(),
                            LookupOptions.FULL_CACHE_RELOAD_STRATEGY.key()));
        }
        parseReloadTime();
        if (reloadIntervalInDays < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be at least 1, but is %d.",
                            LookupOptions.FULL_CACHE_TIMED_RELOAD_INTERVAL_IN_DAYS.key(),
                            reloadIntervalInDays));
        }
    }

    private void validatePartialCache() {
        if (maxRows == null && expireAfterAccess == null && expireAfterWrite == null) {
            throw new ValidationException(
                    String.format(
                            "'%s' = 'PARTIAL' needs a bound on the cache: set '%s', '%s' or '%s'.",
                            LookupOptions.CACHE_TYPE.key(),
                            LookupOptions.PARTIAL_CACHE_MAX_ROWS.key(),
                            LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS.key(),
                            LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE.key()));
        }
        if (maxRows != null && maxRows <= 0) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be positive, but is %d.",
                            LookupOptions.PARTIAL_CACHE_MAX_ROWS.key(), maxRows));
        }
        if (expireAfterAccess != null) {
            positive(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS, expireAfterAccess);
        }
        if (expireAfterWrite != null) {
            positive(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE, expireAfterWrite);
        }
    }

    private static void forbid(
            ReadableConfig options, ConfigOption<?> option, ReloadStrategy owner) {
        if (options.getOptional(option).isPresent()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' applies only when '%s' = '%s'.",
                            option.key(), LookupOptions.FULL_CACHE_RELOAD_STRATEGY.key(), owner));
        }
    }

    private static void positive(ConfigOption<Duration> option, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be a positive duration, but is %s.",
                            option.key(), value));
        }
    }

    private Temporal parseReloadTime() {
        try {
            return (Temporal)
                    DateTimeFormatter.ISO_TIME.parseBest(
                            reloadTime, OffsetTime::from, LocalTime::from);
        } catch (DateTimeParseException e) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = '%s' is not an ISO-8601 time; valid are e.g. '10:15'"
                                    + " (local time), '10:15Z' or '10:15+08:00'.",
                            LookupOptions.FULL_CACHE_TIMED_RELOAD_ISO_TIME.key(), reloadTime),
                    e);
        }
    }

    public LookupCacheType cacheType() {
        return cacheType;
    }

    /** How often a failed lookup scan or cache load is retried (on top of the client retries). */
    public int maxRetries() {
        return maxRetries;
    }

    /** A new trigger for a {@code FULL} cache. */
    public CacheReloadTrigger createReloadTrigger() {
        if (reloadStrategy == ReloadStrategy.PERIODIC) {
            return new PeriodicCacheReloadTrigger(reloadInterval, scheduleMode);
        }
        Temporal time = parseReloadTime();
        return time instanceof OffsetTime
                ? new TimedCacheReloadTrigger((OffsetTime) time, reloadIntervalInDays)
                : new TimedCacheReloadTrigger((LocalTime) time, reloadIntervalInDays);
    }

    /** A new cache for {@code PARTIAL}. */
    public LookupCache createPartialCache() {
        DefaultLookupCache.Builder builder =
                DefaultLookupCache.newBuilder().cacheMissingKey(cacheMissingKey);
        if (maxRows != null) {
            builder.maximumSize(maxRows);
        }
        if (expireAfterAccess != null) {
            builder.expireAfterAccess(expireAfterAccess);
        }
        if (expireAfterWrite != null) {
            builder.expireAfterWrite(expireAfterWrite);
        }
        return builder.build();
    }

    @Override
    public String toString() {
        switch (cacheType) {
            case FULL:
                return "FULL cache, "
                        + (reloadStrategy == ReloadStrategy.PERIODIC
                                ? "reloaded every " + reloadInterval + " (" + scheduleMode + ")"
                                : "reloaded at "
                                        + reloadTime
                                        + " every "
                                        + reloadIntervalInDays
                                        + " day(s)")
                        + ", max-retries "
                        + maxRetries;
            case PARTIAL:
                return String.format(
                        "PARTIAL cache (max-rows %s, expire-after-access %s, expire-after-write"
                                + " %s, cache-missing-key %s), max-retries %d",
                        maxRows, expireAfterAccess, expireAfterWrite, cacheMissingKey, maxRetries);
            default:
                return "no cache, max-retries " + maxRetries;
        }
    }
}
