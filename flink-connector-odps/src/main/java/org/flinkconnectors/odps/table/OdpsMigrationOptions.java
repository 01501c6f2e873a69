package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.odps.source.PartitionChangePolicy;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.LookupOptions.LookupCacheType;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Options of Alibaba Cloud's MaxCompute connector (Realtime Compute for Apache Flink) that the
 * {@code odps} connector accepts although their values differ from those of its own options: each
 * is translated into the option of the same meaning before the table's settings are read. Options
 * that only have another name are deprecated keys of {@link OdpsConnectorOptions}; Alibaba's
 * options without an equivalent are rejected naming what to do instead.
 */
@PublicEvolving
public final class OdpsMigrationOptions {

    private OdpsMigrationOptions() {}

    public static final ConfigOption<Integer> SUBSCRIBE_INTERVAL_IN_SEC =
            ConfigOptions.key("subscribeIntervalInSec")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            alibaba(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL)
                                    + " Seconds.");

    public static final ConfigOption<Boolean> USE_ARROW =
            ConfigOptions.key("useArrow")
                    .booleanType()
                    .noDefaultValue()
                    .withDescription(
                            alibaba(OdpsConnectorOptions.SCAN_FORMAT)
                                    + " 'true' is 'arrow', 'false' is 'record'.");

    public static final ConfigOption<String> MODIFIED_TABLE_OPERATION =
            ConfigOptions.key("modifiedTableOperation")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            alibaba(OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE)
                                    + " 'NONE' is 'fail'; 'SKIP' has no equivalent.");

    public static final ConfigOption<Boolean> ENABLE_UPSERT =
            ConfigOptions.key("enableUpsert")
                    .booleanType()
                    .noDefaultValue()
                    .withDescription(
                            "Alibaba MaxCompute connector name; the 'odps' sink upserts exactly"
                                    + " when the Flink table declares a PRIMARY KEY, so 'true'"
                                    + " needs one and 'false' forbids one.");

    public static final ConfigOption<String> CACHE =
            ConfigOptions.key("cache")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            alibaba(LookupOptions.CACHE_TYPE)
                                    + " 'ALL' is 'FULL', 'LRU' is 'PARTIAL', 'None' is 'NONE'.");

    public static final ConfigOption<Long> CACHE_SIZE =
            ConfigOptions.key("cacheSize")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            alibaba(LookupOptions.PARTIAL_CACHE_MAX_ROWS)
                                    + " Only for 'cache' = 'LRU': a full cache has no row"
                                    + " limit.");

    public static final ConfigOption<Long> CACHE_TTL_MS =
            ConfigOptions.key("cacheTTLMs")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Alibaba MaxCompute connector name; use '"
                                    + LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL.key()
                                    + "' for a full cache or '"
                                    + LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE.key()
                                    + "' for a partial one. Milliseconds.");

    public static final ConfigOption<Integer> MAX_LOAD_RETRIES =
            ConfigOptions.key("maxLoadRetries")
                    .intType()
                    .noDefaultValue()
                    .withDescription(alibaba(LookupOptions.MAX_RETRIES));

    /**
     * Alibaba's options that the {@code odps} connector does not take, each with what to do
     * instead. They fail with that advice rather than as unknown options.
     */
    private static final Map<String, String> WITHOUT_EQUIVALENT = withoutEquivalent();

    /**
     * A {@code partition} value of partition column names only, e.g. {@code ds} or {@code ds,hh}.
     */
    private static final Pattern PARTITION_COLUMNS_ONLY =
            Pattern.compile("\\s*\\w+\\s*([,/]\\s*\\w+\\s*)*");

    /** The options above, for a table factory's optional options. */
    public static Set<ConfigOption<?>> options() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(SUBSCRIBE_INTERVAL_IN_SEC);
        options.add(USE_ARROW);
        options.add(MODIFIED_TABLE_OPERATION);
        options.add(ENABLE_UPSERT);
        options.add(CACHE);
        options.add(CACHE_SIZE);
        options.add(CACHE_TTL_MS);
        options.add(MAX_LOAD_RETRIES);
        return options;
    }

    /**
     * Fails on an option of Alibaba's connector that has no equivalent here, naming it and what to
     * do instead.
     */
    static void rejectWithoutEquivalent(Map<String, String> options) {
        for (Map.Entry<String, String> entry : WITHOUT_EQUIVALENT.entrySet()) {
            if (options.containsKey(entry.getKey())) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' of Alibaba's MaxCompute connector has no equivalent"
                                        + " in the 'odps' connector: %s",
                                entry.getKey(), entry.getValue()));
            }
        }
    }

    /**
     * The options with each option above replaced by the option of the same meaning (the {@code
     * enableUpsert} check needs the primary key, see {@link #checkUpsert}).
     *
     * @throws ValidationException naming both keys when the option of the same meaning is set to
     *     another value, or naming the option when its value has no equivalent
     */
    static Map<String, String> translate(Map<String, String> options) {
        Map<String, String> translated = new LinkedHashMap<>(options);
        String partition = translated.get(OdpsConnectorOptions.PARTITION.key());
        if (partition != null && PARTITION_COLUMNS_ONLY.matcher(partition).matches()) {
            // Alibaba's way to say "partition values come from the rows" ('partition' = 'ds'):
            // without 'partition' a sink writes the partitions of the rows and a scan reads all.
            translated.remove(OdpsConnectorOptions.PARTITION.key());
        }
        Configuration given = Configuration.fromMap(options);
        move(
                translated,
                given,
                SUBSCRIBE_INTERVAL_IN_SEC,
                OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL,
                seconds -> {
                    if (seconds <= 0) {
                        throw new ValidationException(
                                String.format(
                                        "Option '%s' must be positive, but is %d.",
                                        SUBSCRIBE_INTERVAL_IN_SEC.key(), seconds));
                    }
                    return seconds + " s";
                });
        move(
                translated,
                given,
                USE_ARROW,
                OdpsConnectorOptions.SCAN_FORMAT,
                arrow ->
                        (arrow
                                        ? OdpsConnectorOptions.ScanFormat.ARROW
                                        : OdpsConnectorOptions.ScanFormat.RECORD)
                                .toString());
        move(
                translated,
                given,
                MODIFIED_TABLE_OPERATION,
                OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE,
                operation -> {
                    if (operation.equalsIgnoreCase("NONE")) {
                        return PartitionChangePolicy.FAIL.toString();
                    }
                    throw noEquivalent(
                            MODIFIED_TABLE_OPERATION,
                            operation,
                            "the 'odps' source never skips a partition that changed; '"
                                    + OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE.key()
                                    + "' = 'reread' reads its new contents again, 'fail'"
                                    + " (the default) fails the job naming it.");
                });
        move(translated, given, CACHE, LookupOptions.CACHE_TYPE, OdpsMigrationOptions::cacheType);
        move(translated, given, MAX_LOAD_RETRIES, LookupOptions.MAX_RETRIES, String::valueOf);

        LookupCacheType cacheType =
                Configuration.fromMap(translated)
                        .getOptional(LookupOptions.CACHE_TYPE)
                        .orElse(LookupCacheSettings.DEFAULT_CACHE);
        if (cacheType == LookupCacheType.PARTIAL) {
            move(
                    translated,
                    given,
                    CACHE_SIZE,
                    LookupOptions.PARTIAL_CACHE_MAX_ROWS,
                    String::valueOf);
            move(
                    translated,
                    given,
                    CACHE_TTL_MS,
                    LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE,
                    millis -> millis + " ms");
        } else {
            if (translated.containsKey(CACHE_SIZE.key())) {
                throw noEquivalent(
                        CACHE_SIZE,
                        translated.get(CACHE_SIZE.key()),
                        cacheType == LookupCacheType.FULL
                                ? "a full cache ('cache' = 'ALL', the default) holds the whole"
                                        + " partition without a row limit; remove it."
                                : "there is no cache; remove it.");
            }
            if (cacheType == LookupCacheType.FULL) {
                move(
                        translated,
                        given,
                        CACHE_TTL_MS,
                        LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL,
                        millis -> millis + " ms");
            } else if (translated.containsKey(CACHE_TTL_MS.key())) {
                throw noEquivalent(
                        CACHE_TTL_MS, translated.get(CACHE_TTL_MS.key()), "there is no cache.");
            }
        }
        return translated;
    }

    /**
     * Checks Alibaba's {@code enableUpsert} against the sink's PRIMARY KEY, which is what makes the
     * {@code odps} sink upsert.
     */
    static void checkUpsert(@Nullable Boolean enableUpsert, List<String> primaryKey) {
        if (enableUpsert == null || enableUpsert == !primaryKey.isEmpty()) {
            return;
        }
        if (enableUpsert) {
            throw new ValidationException(
                    "Option '"
                            + ENABLE_UPSERT.key()
                            + "' = 'true' needs a PRIMARY KEY: the 'odps' sink upserts exactly"
                            + " when the Flink table declares the primary key of the MaxCompute"
                            + " table. Declare it (PRIMARY KEY (...) NOT ENFORCED) and drop '"
                            + ENABLE_UPSERT.key()
                            + "'.");
        }
        throw new ValidationException(
                "Option '"
                        + ENABLE_UPSERT.key()
                        + "' = 'false' contradicts the PRIMARY KEY "
                        + OdpsPrimaryKeys.render(primaryKey)
                        + " of the Flink table: the 'odps' sink upserts whenever a PRIMARY KEY is"
                        + " declared. Drop the PRIMARY KEY to append rows, or drop '"
                        + ENABLE_UPSERT.key()
                        + "' to upsert.");
    }

    private static <A> void move(
            Map<String, String> translated,
            Configuration given,
            ConfigOption<A> alias,
            ConfigOption<?> target,
            Function<A, String> translation) {
        if (!translated.containsKey(alias.key())) {
            return;
        }
        A value = given.get(alias);
        String raw = translated.remove(alias.key());
        String ours = translation.apply(value);
        String own = translated.get(target.key());
        if (own == null) {
            translated.put(target.key(), ours);
        } else if (!Objects.equals(parse(target, own), parse(target, ours))) {
            throw new ValidationException(
                    String.format(
                            "Options '%s' = '%s' and '%s' = '%s' contradict each other ('%s' is"
                                    + " the Alibaba MaxCompute connector's name of '%s' = '%s');"
                                    + " set only '%s'.",
                            target.key(),
                            own,
                            alias.key(),
                            raw,
                            alias.key(),
                            target.key(),
                            ours,
                            target.key()));
        }
    }

    private static Object parse(ConfigOption<?> option, String value) {
        return Configuration.fromMap(Map.of(option.key(), value)).get(option);
    }

    private static String cacheType(String cache) {
        switch (cache.toUpperCase(Locale.ROOT)) {
            case "ALL":
                return LookupCacheType.FULL.toString();
            case "LRU":
                return LookupCacheType.PARTIAL.toString();
            case "NONE":
                return LookupCacheType.NONE.toString();
            default:
                throw noEquivalent(CACHE, cache, "valid values are 'ALL', 'LRU' and 'None'.");
        }
    }

    private static ValidationException noEquivalent(
            ConfigOption<?> option, String value, String advice) {
        return new ValidationException(
                String.format(
                        "Option '%s' = '%s' of Alibaba's MaxCompute connector has no equivalent"
                                + " in the 'odps' connector: %s",
                        option.key(), value, advice));
    }

    private static String alibaba(ConfigOption<?> ours) {
        return "Alibaba MaxCompute connector name; use '" + ours.key() + "'.";
    }

    private static Map<String, String> withoutEquivalent() {
        Map<String, String> advice = new LinkedHashMap<>();
        advice.put(
                "startPartition",
                "set 'partition' to the partitions to read (e.g. 'ds=2026*') and '"
                        + OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL.key()
                        + "' to read new ones as they appear.");
        advice.put(
                "splitSize",
                "it counts bytes of Arrow reads; '"
                        + OdpsConnectorOptions.SCAN_SPLIT_ROWS.key()
                        + "' sets the rows per split.");
        advice.put("compressAlgorithm", "the tunnel compression is not configurable; remove it.");
        advice.put(
                "compressCodec",
                "Arrow reads use the tunnel's deflate compression, which is not configurable;"
                        + " remove it.");
        advice.put(
                "dynamicLoadBalance",
                "splits are always handed to readers as they ask for them; remove it.");
        advice.put("quotaName", "exclusive tunnel quotas are not supported; remove it.");
        advice.put(
                "useStreamTunnel",
                "the 'odps' sink writes through tunnel upload sessions committed at checkpoints;"
                        + " remove it, and set '"
                        + OdpsConnectorOptions.SINK_DELIVERY_GUARANTEE.key()
                        + "' = 'at-least-once' with '"
                        + OdpsConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL.key()
                        + "' for commits more often than at checkpoints.");
        advice.put(
                "numFlushThreads",
                "each sink subtask uploads its blocks itself; raise 'sink.parallelism' instead.");
        advice.put("slotNum", "tunnel slots are not configurable; remove it.");
        advice.put("upsertAsyncCommit", "upsert sessions are committed synchronously; remove it.");
        advice.put(
                "upsertCommitTimeoutMs",
                "'"
                        + OdpsConnectorOptions.CLIENT_TIMEOUT.key()
                        + "' bounds every request, commits included.");
        advice.put(
                "cacheReloadTimeBlackList",
                "use '"
                        + LookupOptions.FULL_CACHE_RELOAD_STRATEGY.key()
                        + "' = 'TIMED' to reload at a chosen time of day.");
        return advice;
    }
}
