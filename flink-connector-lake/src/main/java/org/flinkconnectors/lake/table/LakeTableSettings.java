package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergCatalogConfig;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.table.LakeConnectorOptions.ScanMode;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.factories.FactoryUtil;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.flinkconnectors.lake.table.LakeConnectorOptions.CATALOG_TYPE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.DATABASE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.PATH;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_AS_OF_TIMESTAMP;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_BRANCH;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_INFER_PARALLELISM;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_INFER_PARALLELISM_MAX;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MAX_PENDING_SPLITS;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MODE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MONITOR_INTERVAL;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_ON_REWRITE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_SNAPSHOT_ID;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_SPLIT_SIZE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_STARTUP_SNAPSHOT_ID;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_STARTUP_VERSION;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_TAG;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_VERSION;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.TABLE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.TABLE_FORMAT;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.WAREHOUSE;

/**
 * The checked options of one {@code lake} table: where it is, which version a bounded read takes,
 * where a streaming read starts. Every mistake is a {@link ValidationException} naming the option
 * and what would be valid: an option of the other format, time travel in a streaming mode,
 * streaming options in a bounded one, a missing option the chosen format or mode needs.
 */
@Internal
final class LakeTableSettings {

    static final String HADOOP_CATALOG = IcebergCatalogConfig.HADOOP;

    private static final List<ConfigOption<?>> ICEBERG_ONLY =
            List.of(
                    CATALOG_TYPE,
                    LakeConnectorOptions.CATALOG_NAME,
                    LakeConnectorOptions.URI,
                    LakeConnectorOptions.JDBC_USER,
                    LakeConnectorOptions.JDBC_PASSWORD,
                    LakeConnectorOptions.CREDENTIAL,
                    LakeConnectorOptions.TOKEN,
                    WAREHOUSE,
                    DATABASE,
                    TABLE,
                    SCAN_SNAPSHOT_ID,
                    SCAN_TAG,
                    SCAN_BRANCH,
                    SCAN_STARTUP_SNAPSHOT_ID,
                    SCAN_SPLIT_SIZE);

    private static final List<ConfigOption<?>> DELTA_ONLY =
            List.of(
                    PATH,
                    SCAN_VERSION,
                    SCAN_STARTUP_VERSION,
                    LakeConnectorOptions.SINK_BUFFER_MEMORY);

    private static final List<ConfigOption<?>> STREAMING_ONLY =
            List.of(
                    SCAN_STARTUP_SNAPSHOT_ID,
                    SCAN_STARTUP_VERSION,
                    SCAN_STARTUP_TIMESTAMP_MILLIS,
                    SCAN_MONITOR_INTERVAL,
                    SCAN_ON_REWRITE,
                    SCAN_MAX_PENDING_SPLITS);

    private static final List<ConfigOption<?>> TIME_TRAVEL =
            List.of(SCAN_SNAPSHOT_ID, SCAN_TAG, SCAN_BRANCH, SCAN_VERSION, SCAN_AS_OF_TIMESTAMP);

    final TableFormat format;
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
    @Nullable final Long splitSizeBytes;
    @Nullable final Integer parallelism;
    final boolean inferParallelism;
    final int inferParallelismMax;

    private final Configuration options;

    /** Checks the options as the user wrote them (after Flink's own check of the keys). */
    LakeTableSettings(Map<String, String> rawOptions) {
        checkEnumValues(rawOptions);
        this.options = Configuration.fromMap(rawOptions);
        this.format = options.get(TABLE_FORMAT);
        rejectOptionsOf(format == TableFormat.ICEBERG ? DELTA_ONLY : ICEBERG_ONLY);
        this.loader =
                format == TableFormat.ICEBERG
                        ? icebergLoader(rawOptions)
                        : DeltaTableLoader.path(required(PATH), hadoop(rawOptions));
        this.mode = options.get(SCAN_MODE);
        this.versionOption = timeTravelOption();
        this.version = versionOption == null ? LakeVersionSelector.latest() : selector();
        if (mode == ScanMode.BOUNDED) {
            rejectInMode(STREAMING_ONLY, "streaming reads");
            this.start = null;
        } else {
            rejectInMode(TIME_TRAVEL, "bounded reads");
            this.start = startingPosition();
        }
        this.monitorInterval = options.get(SCAN_MONITOR_INTERVAL);
        this.onRewrite = options.get(SCAN_ON_REWRITE);
        this.maxPendingSplits = options.get(SCAN_MAX_PENDING_SPLITS);
        if (maxPendingSplits != null && maxPendingSplits < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be at least 1, but is %d.",
                            SCAN_MAX_PENDING_SPLITS.key(), maxPendingSplits));
        }
        MemorySize splitSize = options.get(SCAN_SPLIT_SIZE);
        this.splitSizeBytes = splitSize == null ? null : splitSize.getBytes();
        this.parallelism = options.get(FactoryUtil.SOURCE_PARALLELISM);
        this.inferParallelism = options.get(SCAN_INFER_PARALLELISM);
        this.inferParallelismMax = options.get(SCAN_INFER_PARALLELISM_MAX);
        if (inferParallelismMax < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be at least 1, but is %d.",
                            SCAN_INFER_PARALLELISM_MAX.key(), inferParallelismMax));
        }
    }

    /** The format is there, and it and the other enum options have valid values. */
    static void checkEnumValues(Map<String, String> rawOptions) {
        if (!rawOptions.containsKey(TABLE_FORMAT.key())) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' is required. Valid values are: %s.",
                            TABLE_FORMAT.key(), ConnectorOptionUtils.valuesOf(TableFormat.class)));
        }
        ConnectorOptionUtils.validateEnumOption(rawOptions, TABLE_FORMAT, TableFormat.class);
        ConnectorOptionUtils.validateEnumOption(rawOptions, SCAN_MODE, ScanMode.class);
        ConnectorOptionUtils.validateEnumOption(
                rawOptions, SCAN_ON_REWRITE, LakeRewritePolicy.class);
        ConnectorOptionUtils.validateEnumOption(
                rawOptions,
                LakeConnectorOptions.SINK_DISTRIBUTION_MODE,
                LakeConnectorOptions.SinkDistributionMode.class);
    }

    private void rejectOptionsOf(List<ConfigOption<?>> otherFormatOptions) {
        for (ConfigOption<?> option : otherFormatOptions) {
            if (options.contains(option)) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' does not apply to '%s' = '%s' tables; it is an"
                                        + " option of '%s' tables. Options of '%s' tables: %s.",
                                option.key(),
                                TABLE_FORMAT.key(),
                                format,
                                format == TableFormat.ICEBERG
                                        ? TableFormat.DELTA
                                        : TableFormat.ICEBERG,
                                format,
                                keys(format == TableFormat.ICEBERG ? ICEBERG_ONLY : DELTA_ONLY)));
            }
        }
    }

    private LakeTableLoader icebergLoader(Map<String, String> rawOptions) {
        return IcebergTableLoader.of(
                LakeIcebergCatalogs.fromOptions(options, hadoop(rawOptions)),
                required(DATABASE),
                required(TABLE));
    }

    /** The {@code properties.*} options, set on the Hadoop configuration the format uses. */
    static Map<String, String> hadoopProperties(Map<String, String> rawOptions) {
        return hadoop(rawOptions);
    }

    private static Map<String, String> hadoop(Map<String, String> rawOptions) {
        Map<String, String> hadoop = new HashMap<>();
        ConnectorOptionUtils.passThroughProperties(rawOptions)
                .forEach((key, value) -> hadoop.put((String) key, (String) value));
        return hadoop;
    }

    private String required(ConfigOption<String> option) {
        return Optional.ofNullable(options.get(option))
                .orElseThrow(() -> ConnectorOptionUtils.requiredWhen(option, TABLE_FORMAT, format));
    }

    @Nullable
    private ConfigOption<?> timeTravelOption() {
        List<ConfigOption<?>> set = TIME_TRAVEL.stream().filter(options::contains).toList();
        if (set.size() > 1) {
            throw new ValidationException(
                    "Options "
                            + keys(set)
                            + " each choose the version to read; set only one of them.");
        }
        return set.isEmpty() ? null : set.get(0);
    }

    private LakeVersionSelector selector() {
        if (versionOption == SCAN_SNAPSHOT_ID) {
            return LakeVersionSelector.version(options.get(SCAN_SNAPSHOT_ID));
        } else if (versionOption == SCAN_VERSION) {
            return LakeVersionSelector.version(options.get(SCAN_VERSION));
        } else if (versionOption == SCAN_AS_OF_TIMESTAMP) {
            return LakeVersionSelector.asOfTimestamp(options.get(SCAN_AS_OF_TIMESTAMP));
        } else if (versionOption == SCAN_TAG) {
            return LakeVersionSelector.ref(options.get(SCAN_TAG));
        }
        return LakeVersionSelector.ref(options.get(SCAN_BRANCH));
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

    private List<ScanMode> streamingModes() {
        ScanMode otherFormatsMode =
                format == TableFormat.ICEBERG ? ScanMode.FROM_VERSION : ScanMode.FROM_SNAPSHOT;
        return Stream.of(ScanMode.values())
                .filter(m -> m != ScanMode.BOUNDED && m != otherFormatsMode)
                .toList();
    }

    private LakeStartingPosition startingPosition() {
        ConfigOption<Long> needed = startupOption();
        for (ConfigOption<?> option :
                List.of(
                        SCAN_STARTUP_SNAPSHOT_ID,
                        SCAN_STARTUP_VERSION,
                        SCAN_STARTUP_TIMESTAMP_MILLIS)) {
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
        if (mode == ScanMode.FROM_SNAPSHOT || mode == ScanMode.FROM_VERSION) {
            boolean iceberg = mode == ScanMode.FROM_SNAPSHOT;
            if (iceberg != (format == TableFormat.ICEBERG)) {
                List<ScanMode> valid = new ArrayList<>(List.of(ScanMode.BOUNDED));
                valid.addAll(streamingModes());
                throw new ValidationException(
                        String.format(
                                "Invalid value '%s' for option '%s' of a '%s' table. Valid values"
                                        + " are: %s.",
                                mode, SCAN_MODE.key(), format, valid));
            }
            return iceberg ? SCAN_STARTUP_SNAPSHOT_ID : SCAN_STARTUP_VERSION;
        }
        return mode == ScanMode.FROM_TIMESTAMP ? SCAN_STARTUP_TIMESTAMP_MILLIS : null;
    }

    private static String keys(List<ConfigOption<?>> options) {
        return options.stream()
                .map(option -> "'" + option.key() + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
