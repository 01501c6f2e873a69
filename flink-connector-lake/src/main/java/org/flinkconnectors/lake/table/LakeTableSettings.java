package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormats;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeTimeTravelOption;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.table.LakeConnectorOptions.ScanMode;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.FactoryUtil;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.flinkconnectors.lake.table.LakeConnectorOptions.LOOKUP_PARTITION;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_AS_OF_TIMESTAMP;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_CHANGELOG;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_INFER_PARALLELISM;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_INFER_PARALLELISM_MAX;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MAX_PENDING_SPLITS;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MODE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MONITOR_INTERVAL;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_ON_REWRITE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_SPLIT_SIZE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.TABLE_FORMAT;

/**
 * The checked options of one {@code lake} table: its format, where it is, which version a bounded
 * read takes, where a streaming read starts. Every mistake is a {@link ValidationException} naming
 * the option and what would be valid: an option of another format, time travel in a streaming mode,
 * streaming options in a bounded one, a missing option the chosen format or mode needs.
 */
@Internal
final class LakeTableSettings {

    private static final List<ConfigOption<?>> STREAMING_OPTIONS =
            List.of(
                    SCAN_STARTUP_TIMESTAMP_MILLIS,
                    SCAN_MONITOR_INTERVAL,
                    SCAN_ON_REWRITE,
                    SCAN_MAX_PENDING_SPLITS,
                    SCAN_CHANGELOG);

    /** A lake table's full lookup cache refreshes incrementally, so more often than a reload. */
    static final Duration DEFAULT_LOOKUP_REFRESH = Duration.ofMinutes(1);

    private static final String MAX_PT = "max_pt()";

    final LakeFormat format;
    final LakeTableLoader loader;
    final LakeVersionSelector version;

    /** The time-travel option that chose {@link #version}; null for the latest version. */
    @Nullable final ConfigOption<?> versionOption;

    final ScanMode mode;

    /** Where a streaming read starts; null for a bounded read. */
    @Nullable final LakeStartingPosition start;

    @Nullable final Duration monitorInterval;
    @Nullable final LakeRewritePolicy onRewrite;
    @Nullable final Integer maxPendingSplits;

    /** The last version a streaming read reads; null to follow the table. */
    @Nullable final Long stopAfterVersion;

    final boolean changelog;
    @Nullable final Long splitSizeBytes;
    @Nullable final Integer parallelism;
    final boolean inferParallelism;
    final LookupCacheSettings lookup;

    /** {@code 'lookup.partition' = 'max_pt()'}: a lookup cache holds the newest partition only. */
    final boolean lookupNewestPartition;

    final int inferParallelismMax;

    /** The table properties among the options (Iceberg {@code write.*}, Delta {@code delta.*}). */
    final Map<String, String> tableProperties;

    private final Configuration options;

    /** Checks the options as the user wrote them (after Flink's own check of the keys). */
    LakeTableSettings(Map<String, String> rawOptions) {
        this.format = checkEnumValues(rawOptions);
        this.options = Configuration.fromMap(rawOptions);
        this.tableProperties = LakeTableProperties.of(rawOptions);
        rejectOtherFormatsOptions();
        this.loader = format.loader(options, hadoopProperties(rawOptions));
        this.mode = options.get(SCAN_MODE);
        this.versionOption = timeTravelOption();
        this.version = versionOption == null ? LakeVersionSelector.latest() : selector();
        if (mode == ScanMode.BOUNDED) {
            rejectInMode(streamingOptions(), "streaming reads");
            this.start = null;
        } else {
            rejectInMode(timeTravelOptions(), "bounded reads");
            this.start = startingPosition();
        }
        this.monitorInterval = options.get(SCAN_MONITOR_INTERVAL);
        this.onRewrite = options.get(SCAN_ON_REWRITE);
        this.maxPendingSplits = options.get(SCAN_MAX_PENDING_SPLITS);
        this.stopAfterVersion = stopAfterVersion();
        this.changelog = options.get(SCAN_CHANGELOG);
        if (changelog && !format.capabilities().contains(LakeCapability.CHANGELOG)) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = 'true' is not possible for '%s' = '%s' tables yet;"
                                    + " formats that can be read as a changelog: %s.",
                            SCAN_CHANGELOG.key(),
                            TABLE_FORMAT.key(),
                            format.identifier(),
                            LakeFormats.withCapability(LakeCapability.CHANGELOG)));
        }
        if (maxPendingSplits != null && maxPendingSplits < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be at least 1, but is %d.",
                            SCAN_MAX_PENDING_SPLITS.key(), maxPendingSplits));
        }
        MemorySize splitSize = options.get(SCAN_SPLIT_SIZE);
        this.splitSizeBytes = splitSize == null ? null : splitSize.getBytes();
        this.parallelism = options.get(FactoryUtil.SOURCE_PARALLELISM);
        this.lookup = LookupCacheSettings.fromOptions(options, DEFAULT_LOOKUP_REFRESH);
        this.lookupNewestPartition = lookupNewestPartition();
        this.inferParallelism = options.get(SCAN_INFER_PARALLELISM);
        this.inferParallelismMax = options.get(SCAN_INFER_PARALLELISM_MAX);
        if (inferParallelismMax < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be at least 1, but is %d.",
                            SCAN_INFER_PARALLELISM_MAX.key(), inferParallelismMax));
        }
    }

    private boolean lookupNewestPartition() {
        String value = options.get(LOOKUP_PARTITION);
        if (value == null) {
            return false;
        }
        if (!value.trim().equalsIgnoreCase(MAX_PT)) {
            throw ConnectorOptionUtils.invalidValue(LOOKUP_PARTITION, value, List.of(MAX_PT));
        }
        if (lookup.cacheType() != LookupOptions.LookupCacheType.FULL) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' applies only when '%s' = 'FULL', but it is '%s'.",
                            LOOKUP_PARTITION.key(),
                            LookupOptions.CACHE_TYPE.key(),
                            lookup.cacheType()));
        }
        if (!format.capabilities().contains(LakeCapability.CHANGELOG)) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' needs a format that tells each commit's partitions;"
                                    + " '%s' tables do not.",
                            LOOKUP_PARTITION.key(), format.identifier()));
        }
        return true;
    }

    @Nullable
    private Long stopAfterVersion() {
        ConfigOption<Long> stop = format.versionNaming().stopOption();
        Long version = options.get(stop);
        if (version != null
                && start.kind() != LakeStartingPosition.Kind.VERSION
                && start.kind() != LakeStartingPosition.Kind.TIMESTAMP) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' needs a read that starts at a version or a time ('%s' ="
                                    + " '%s' or '%s'), but '%s' is '%s'.",
                            stop.key(),
                            SCAN_MODE.key(),
                            format.versionNaming().startupMode(),
                            ScanMode.FROM_TIMESTAMP,
                            SCAN_MODE.key(),
                            mode));
        }
        return version;
    }

    /** The format is there and known, and the enum options have valid values. */
    static LakeFormat checkEnumValues(Map<String, String> rawOptions) {
        String identifier = rawOptions.get(TABLE_FORMAT.key());
        if (identifier == null) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' is required. Valid values are: %s.",
                            TABLE_FORMAT.key(), LakeFormats.identifiers()));
        }
        LakeFormat format = LakeFormats.of(TABLE_FORMAT.key(), identifier);
        ConnectorOptionUtils.validateEnumOption(rawOptions, SCAN_MODE, ScanMode.class);
        ConnectorOptionUtils.validateEnumOption(
                rawOptions, SCAN_ON_REWRITE, LakeRewritePolicy.class);
        ConnectorOptionUtils.validateEnumOption(
                rawOptions,
                LakeConnectorOptions.SINK_DISTRIBUTION_MODE,
                LakeConnectorOptions.SinkDistributionMode.class);
        return format;
    }

    private void rejectOtherFormatsOptions() {
        List<ConfigOption<?>> own = format.tableOptions();
        for (LakeFormat other : LakeFormats.all()) {
            for (ConfigOption<?> option : other.tableOptions()) {
                if (!own.contains(option) && options.contains(option)) {
                    throw new ValidationException(
                            String.format(
                                    "Option '%s' does not apply to '%s' = '%s' tables; it is an"
                                            + " option of '%s' tables. Options of '%s' tables:"
                                            + " %s.",
                                    option.key(),
                                    TABLE_FORMAT.key(),
                                    format.identifier(),
                                    other.identifier(),
                                    format.identifier(),
                                    keys(own)));
                }
            }
        }
    }

    /** The {@code properties.*} options, set on the Hadoop configuration the format uses. */
    static Map<String, String> hadoopProperties(Map<String, String> rawOptions) {
        Map<String, String> hadoop = new HashMap<>();
        ConnectorOptionUtils.passThroughProperties(rawOptions)
                .forEach((key, value) -> hadoop.put((String) key, (String) value));
        return hadoop;
    }

    private List<ConfigOption<?>> timeTravelOptions() {
        List<ConfigOption<?>> timeTravel = new ArrayList<>();
        format.versionNaming().timeTravel().forEach(t -> timeTravel.add(t.option()));
        timeTravel.add(SCAN_AS_OF_TIMESTAMP);
        return timeTravel;
    }

    private List<ConfigOption<?>> streamingOptions() {
        List<ConfigOption<?>> streaming = new ArrayList<>(STREAMING_OPTIONS);
        streaming.add(format.versionNaming().startupOption());
        streaming.add(format.versionNaming().stopOption());
        return streaming;
    }

    @Nullable
    private ConfigOption<?> timeTravelOption() {
        List<ConfigOption<?>> set = timeTravelOptions().stream().filter(options::contains).toList();
        if (set.size() > 1) {
            throw new ValidationException(
                    "Options "
                            + keys(set)
                            + " each choose the version to read; set only one of them.");
        }
        return set.isEmpty() ? null : set.get(0);
    }

    private LakeVersionSelector selector() {
        if (versionOption == SCAN_AS_OF_TIMESTAMP) {
            return LakeVersionSelector.asOfTimestamp(options.get(SCAN_AS_OF_TIMESTAMP));
        }
        for (LakeTimeTravelOption timeTravel : format.versionNaming().timeTravel()) {
            if (timeTravel.option() == versionOption) {
                return timeTravel.selector().apply(options);
            }
        }
        throw new IllegalStateException("No selector for " + versionOption.key());
    }

    private void rejectInMode(List<ConfigOption<?>> notHere, String appliesTo) {
        for (ConfigOption<?> option : notHere) {
            if (options.contains(option)) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' applies to %s only, but '%s' is '%s'. Valid values"
                                        + " of '%s' for it: %s.",
                                option.key(),
                                appliesTo,
                                SCAN_MODE.key(),
                                mode,
                                SCAN_MODE.key(),
                                mode == ScanMode.BOUNDED
                                        ? streamingModes()
                                        : List.of(ScanMode.BOUNDED)));
            }
        }
    }

    /** The streaming modes of this format: the version-start mode is the format's own. */
    private List<ScanMode> streamingModes() {
        return Stream.of(ScanMode.values())
                .filter(m -> m != ScanMode.BOUNDED)
                .filter(m -> !startsAtVersion(m) || isOwnStartupMode(m))
                .toList();
    }

    private static boolean startsAtVersion(ScanMode mode) {
        return mode == ScanMode.FROM_SNAPSHOT || mode == ScanMode.FROM_VERSION;
    }

    private boolean isOwnStartupMode(ScanMode mode) {
        return mode.toString().equals(format.versionNaming().startupMode());
    }

    private LakeStartingPosition startingPosition() {
        ConfigOption<Long> needed = startupOption();
        for (ConfigOption<?> option :
                List.of(format.versionNaming().startupOption(), SCAN_STARTUP_TIMESTAMP_MILLIS)) {
            if (option != needed && options.contains(option)) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' does not apply to '%s' = '%s'.",
                                option.key(), SCAN_MODE.key(), mode));
            }
        }
        Long value = needed == null ? null : options.get(needed);
        if (needed != null && value == null) {
            throw ConnectorOptionUtils.requiredWhen(needed, SCAN_MODE, mode);
        }
        switch (mode) {
            case LATEST:
                return LakeStartingPosition.latest();
            case EARLIEST:
                return LakeStartingPosition.earliest();
            case FROM_TIMESTAMP:
                return LakeStartingPosition.timestamp(value);
            default:
                return LakeStartingPosition.version(value);
        }
    }

    @Nullable
    private ConfigOption<Long> startupOption() {
        if (startsAtVersion(mode)) {
            if (!isOwnStartupMode(mode)) {
                List<ScanMode> valid = new ArrayList<>(List.of(ScanMode.BOUNDED));
                valid.addAll(streamingModes());
                throw new ValidationException(
                        String.format(
                                "Invalid value '%s' for option '%s' of a '%s' table. Valid values"
                                        + " are: %s.",
                                mode, SCAN_MODE.key(), format.identifier(), valid));
            }
            return format.versionNaming().startupOption();
        }
        return mode == ScanMode.FROM_TIMESTAMP ? SCAN_STARTUP_TIMESTAMP_MILLIS : null;
    }

    private static String keys(List<ConfigOption<?>> options) {
        return options.stream()
                .map(option -> "'" + option.key() + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
