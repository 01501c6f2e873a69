package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.base.table.SecretSafeTableFactories;
import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormats;
import org.flinkconnectors.lake.core.LakeTableNotFoundException;
import org.flinkconnectors.lake.sink.LakeDistributionMode;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.sink.LakeSinkBuilder;
import org.flinkconnectors.lake.source.LakeChangeRouting;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Factory of {@code 'connector' = 'lake'} tables: Iceberg tables of a Hadoop catalog and Delta
 * tables by path, chosen by {@code 'table-format'}, read by {@link LakeDynamicSource} and written
 * by {@link LakeDynamicSink}. It checks the options, then, at planning time, the table itself: the
 * version to read, the declared columns' types, and for writes that the format can write. Options
 * under {@code properties.} go to the Hadoop configuration the formats use.
 */
@Internal
public class LakeDynamicTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    public static final String IDENTIFIER = "lake";

    /** Hadoop pass-through options and the formats' table properties (see LakeTableProperties). */
    private static final String[] UNCHECKED_PREFIXES =
            Stream.concat(
                            Stream.of(ConnectorOptionUtils.PROPERTIES_PREFIX),
                            LakeTableProperties.PREFIXES.stream())
                    .toArray(String[]::new);

    /** Options a lake catalog adds to its tables' options without showing them (secrets). */
    private final Map<String, String> hiddenOptions;

    public LakeDynamicTableFactory() {
        this(Map.of());
    }

    /** The factory of a lake catalog's tables, which get {@code hiddenOptions} where unset. */
    public LakeDynamicTableFactory(Map<String, String> hiddenOptions) {
        this.hiddenOptions = Map.copyOf(hiddenOptions);
    }

    private Map<String, String> optionsOf(Context context) {
        if (hiddenOptions.isEmpty()) {
            return context.getCatalogTable().getOptions();
        }
        Map<String, String> options = new HashMap<>(hiddenOptions);
        options.putAll(context.getCatalogTable().getOptions());
        return options;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        // 'table-format' is required unless the options were written for a format's own
        // connector; LakeTableSettings says so.
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(LakeConnectorOptions.TABLE_FORMAT);
        LakeFormats.all().forEach(format -> options.addAll(format.tableOptions()));
        LakeFormats.all().forEach(format -> options.addAll(format.ownConnectorOptions()));
        options.add(LakeConnectorOptions.SCAN_AS_OF_TIMESTAMP);
        options.add(LakeConnectorOptions.SCAN_MODE);
        options.add(LakeConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS);
        options.add(LakeConnectorOptions.SCAN_MONITOR_INTERVAL);
        options.add(LakeConnectorOptions.SCAN_ON_REWRITE);
        options.add(LakeConnectorOptions.SCAN_CHANGELOG);
        options.add(LakeConnectorOptions.SCAN_MAX_PENDING_SPLITS);
        options.add(FactoryUtil.SOURCE_PARALLELISM);
        options.add(LakeConnectorOptions.SCAN_INFER_PARALLELISM);
        options.add(LakeConnectorOptions.SCAN_INFER_PARALLELISM_MAX);
        options.add(LakeConnectorOptions.SINK_TARGET_FILE_SIZE);
        options.add(LakeConnectorOptions.SINK_DISTRIBUTION_MODE);
        options.add(LakeConnectorOptions.SINK_CREATE_TABLE);
        options.add(LakeConnectorOptions.SINK_UPSERT);
        options.add(LakeConnectorOptions.SINK_PARALLELISM);
        options.addAll(LookupCacheSettings.options());
        options.add(LakeConnectorOptions.LOOKUP_PARTITION);
        return options;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An invalid table next to a secret Flink would print (e.g. {@code credential}, {@code
     * properties.fs.s3a.access.key}) fails when the planner uses the source, see {@link
     * SecretSafeTableFactories}.
     */
    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        return SecretSafeTableFactories.createSource(
                context, optionsOf(context), () -> createValidatedSource(context));
    }

    /** {@inheritDoc} Fails like {@link #createDynamicTableSource}. */
    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        return SecretSafeTableFactories.createSink(
                context, optionsOf(context), () -> createValidatedSink(context));
    }

    /** The table's options under this connector's names. */
    private Map<String, String> namedOptions(Context context) {
        List<ConfigOption<?>> declared = new ArrayList<>(requiredOptions());
        declared.addAll(optionalOptions());
        return LakeOptionNames.canonical(
                optionsOf(context), context.getObjectIdentifier(), declared);
    }

    private DynamicTableSource createValidatedSource(Context context) {
        Map<String, String> rawOptions = namedOptions(context);
        // Before Flink's own check, whose messages name neither the valid values nor the format.
        LakeTableSettings.checkEnumValues(rawOptions);
        FactoryUtil.createTableFactoryHelper(this, context).validateExcept(UNCHECKED_PREFIXES);
        LakeTableSettings settings = new LakeTableSettings(rawOptions);
        RowType declared = (RowType) context.getPhysicalRowDataType().getLogicalType();
        LakeTableCheck.check(settings, declared);
        LakeChangeRouting changeRouting =
                settings.changelog
                        ? LakeTableCheck.changeRouting(settings, declaredPrimaryKey(context))
                        : LakeChangeRouting.ONE_READER;
        boolean batchExecution =
                context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.BATCH;
        return new LakeDynamicSource(settings, declared, batchExecution, changeRouting);
    }

    private static List<String> declaredPrimaryKey(Context context) {
        return context.getCatalogTable()
                .getResolvedSchema()
                .getPrimaryKey()
                .map(UniqueConstraint::getColumns)
                .orElse(List.of());
    }

    private DynamicTableSink createValidatedSink(Context context) {
        Map<String, String> rawOptions = namedOptions(context);
        LakeTableSettings.checkEnumValues(rawOptions);
        FactoryUtil.createTableFactoryHelper(this, context).validateExcept(UNCHECKED_PREFIXES);
        LakeTableSettings settings = new LakeTableSettings(rawOptions);
        if (Configuration.fromMap(rawOptions).get(LakeConnectorOptions.SINK_CREATE_TABLE)) {
            LakeSinkTableCreation.createIfMissing(settings, context.getCatalogTable(), rawOptions);
        }
        RowType declared = (RowType) context.getPhysicalRowDataType().getLogicalType();
        RowType actual = checkWrittenTable(settings, declared);
        LakeTableCheck.checkRequiredColumns(settings.loader.describe(), declared, actual);
        Configuration options = Configuration.fromMap(rawOptions);
        LakeSinkBuilder builder =
                sinkBuilder(
                        settings,
                        declared,
                        options.get(LakeConnectorOptions.SINK_TARGET_FILE_SIZE));
        MemorySize bufferMemory = options.get(LakeConnectorOptions.SINK_BUFFER_MEMORY);
        if (bufferMemory != null) {
            builder.bufferMemoryBytes(
                    positive(LakeConnectorOptions.SINK_BUFFER_MEMORY, bufferMemory));
        }
        List<String> primaryKey =
                LakeUpsertCheck.primaryKey(
                        context, settings, options.get(LakeConnectorOptions.SINK_UPSERT));
        builder.primaryKey(primaryKey);
        LakeConnectorOptions.SinkDistributionMode distribution =
                options.get(LakeConnectorOptions.SINK_DISTRIBUTION_MODE);
        if (distribution != null) {
            builder.distributionMode(
                    distribution == LakeConnectorOptions.SinkDistributionMode.HASH
                            ? LakeDistributionMode.HASH
                            : LakeDistributionMode.NONE);
        }
        return new LakeDynamicSink(
                sink(settings, builder),
                builder,
                settings.loader.describe(),
                options.get(LakeConnectorOptions.SINK_PARALLELISM),
                primaryKey,
                settings.format.capabilities().contains(LakeCapability.OVERWRITE));
    }

    /** The table's columns; a table that is not there names the ways to get one. */
    private static RowType checkWrittenTable(LakeTableSettings settings, RowType declared) {
        try {
            return LakeTableCheck.check(settings, declared);
        } catch (ValidationException e) {
            if (!(e.getCause() instanceof LakeTableNotFoundException)) {
                throw e;
            }
            throw new ValidationException(
                    String.format(
                            "%s With '%s' = 'false' the table must exist: remove the option to"
                                    + " have the INSERT create it, or create it first, e.g. with"
                                    + " CREATE TABLE in a 'lake' catalog.",
                            e.getMessage(), LakeConnectorOptions.SINK_CREATE_TABLE.key()),
                    e);
        }
    }

    /**
     * Builds the DataStream sink now, so a table the format cannot write, or declared columns that
     * are not exactly the table's in its order, fail the planning with a message naming them.
     */
    private static LakeSinkBuilder sinkBuilder(
            LakeTableSettings settings, RowType declared, MemorySize fileSize) {
        LakeSinkBuilder builder = LakeSink.builder().table(settings.loader).rowType(declared);
        if (fileSize != null) {
            builder.targetFileSizeBytes(
                    positive(LakeConnectorOptions.SINK_TARGET_FILE_SIZE, fileSize));
        }
        return builder;
    }

    private static long positive(ConfigOption<MemorySize> option, MemorySize size) {
        if (size.getBytes() <= 0) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be positive, but is '%s'.", option.key(), size));
        }
        return size.getBytes();
    }

    private static LakeSink sink(LakeTableSettings settings, LakeSinkBuilder builder) {
        if (!settings.format.capabilities().contains(LakeCapability.APPEND)) {
            throw new ValidationException(
                    String.format(
                            "%s cannot be the target of an INSERT: '%s' = '%s' tables cannot be"
                                    + " written yet; formats that can: %s.",
                            settings.loader.describe(),
                            LakeConnectorOptions.TABLE_FORMAT.key(),
                            settings.format.identifier(),
                            LakeFormats.withCapability(LakeCapability.APPEND)));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new ValidationException(e.getMessage() + ": " + e.getCause().getMessage(), e);
        }
    }
}
