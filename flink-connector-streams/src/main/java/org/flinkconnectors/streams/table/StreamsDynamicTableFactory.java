package org.flinkconnectors.streams.table;

import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.base.table.SecretSafeTableFactories;
import org.flinkconnectors.streams.sink.OnLostTransaction;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.table.StreamsConnectorOptions.ScanBoundedMode;
import org.flinkconnectors.streams.table.StreamsConnectorOptions.ScanStartupMode;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import static org.flinkconnectors.streams.table.StreamsConnectorOptions.DELIVERY_GUARANTEE;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.KEY_FIELDS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.KEY_FIELDS_PREFIX;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.KEY_FORMAT;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.PROPS_BOOTSTRAP_SERVERS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.PROPS_GROUP_ID;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_BOUNDED_MODE;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_BOUNDED_SPECIFIC_OFFSETS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_STARTUP_MODE;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_TOPIC_PARTITION_DISCOVERY;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SINK_ON_LOST_TRANSACTION;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SINK_PARTITIONER;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.TOPIC;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.TOPIC_PATTERN;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.TRANSACTIONAL_ID_PREFIX;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.VALUE_FIELDS_INCLUDE;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.VALUE_FORMAT;

/**
 * Factory of the {@code streams} SQL connector: {@code CREATE TABLE ... WITH ('connector' =
 * 'streams', ...)} with the official Kafka connector's option names.
 */
@Internal
public class StreamsDynamicTableFactory
        implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    public static final String IDENTIFIER = "streams";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    /** Whether tables of this factory are upsert tables keyed by their primary key. */
    protected boolean upsert() {
        return false;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(PROPS_BOOTSTRAP_SERVERS);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(
                FactoryUtil.FORMAT,
                KEY_FORMAT,
                KEY_FIELDS,
                KEY_FIELDS_PREFIX,
                VALUE_FORMAT,
                VALUE_FIELDS_INCLUDE,
                TOPIC,
                TOPIC_PATTERN,
                PROPS_GROUP_ID,
                SCAN_STARTUP_MODE,
                SCAN_STARTUP_SPECIFIC_OFFSETS,
                SCAN_STARTUP_TIMESTAMP_MILLIS,
                SCAN_BOUNDED_MODE,
                SCAN_BOUNDED_SPECIFIC_OFFSETS,
                SCAN_BOUNDED_TIMESTAMP_MILLIS,
                SCAN_TOPIC_PARTITION_DISCOVERY,
                SINK_PARTITIONER,
                DELIVERY_GUARANTEE,
                TRANSACTIONAL_ID_PREFIX,
                SINK_ON_LOST_TRANSACTION,
                SINK_BUFFER_FLUSH_MAX_ROWS,
                SINK_BUFFER_FLUSH_INTERVAL,
                FactoryUtil.SOURCE_PARALLELISM,
                FactoryUtil.SINK_PARALLELISM);
    }

    /**
     * {@inheritDoc}
     *
     * <p>An invalid table next to a secret Flink would print (e.g. {@code
     * properties.ssl.keystore.key}) fails when the planner uses the source, see {@link
     * SecretSafeTableFactories}.
     */
    @Override
    public DynamicTableSource createDynamicTableSource(DynamicTableFactory.Context context) {
        return SecretSafeTableFactories.createSource(
                context, Map.of(), () -> createValidatedSource(context));
    }

    /** {@inheritDoc} Fails like {@link #createDynamicTableSource}. */
    @Override
    public DynamicTableSink createDynamicTableSink(DynamicTableFactory.Context context) {
        return SecretSafeTableFactories.createSink(
                context, Map.of(), () -> createValidatedSink(context));
    }

    private DynamicTableSource createValidatedSource(DynamicTableFactory.Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        Optional<DecodingFormat<DeserializationSchema<RowData>>> keyFormat =
                helper.discoverOptionalDecodingFormat(
                        DeserializationFormatFactory.class, KEY_FORMAT);
        DecodingFormat<DeserializationSchema<RowData>> valueFormat =
                helper.discoverDecodingFormat(DeserializationFormatFactory.class, VALUE_FORMAT);
        validateEnums(context);
        helper.validateExcept(ConnectorOptionUtils.PROPERTIES_PREFIX);
        ReadableConfig options = helper.getOptions();
        StreamsOptionsUtil.validateTopics(options, false);
        if (options.getOptional(TOPIC).map(List::isEmpty).orElse(true)
                && options.getOptional(TOPIC_PATTERN).isEmpty()) {
            throw new ValidationException(
                    "Either 'topic' or 'topic-pattern' must be set to read from table "
                            + context.getObjectIdentifier().asSummaryString()
                            + ".");
        }
        validateKeyAndPrimaryKey(
                context,
                options,
                keyFormat.isPresent(),
                valueFormat.getChangelogMode().containsOnly(RowKind.INSERT));
        return new StreamsDynamicSource(
                settings(context, options, true), keyFormat.orElse(null), valueFormat);
    }

    private DynamicTableSink createValidatedSink(DynamicTableFactory.Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        Optional<EncodingFormat<SerializationSchema<RowData>>> keyFormat =
                helper.discoverOptionalEncodingFormat(SerializationFormatFactory.class, KEY_FORMAT);
        EncodingFormat<SerializationSchema<RowData>> valueFormat =
                helper.discoverEncodingFormat(SerializationFormatFactory.class, VALUE_FORMAT);
        validateEnums(context);
        helper.validateExcept(ConnectorOptionUtils.PROPERTIES_PREFIX);
        ReadableConfig options = helper.getOptions();
        StreamsOptionsUtil.validateTopics(options, true);
        validateKeyAndPrimaryKey(
                context,
                options,
                keyFormat.isPresent(),
                valueFormat.getChangelogMode().containsOnly(RowKind.INSERT));
        validateBuffer(options);
        StreamsTableSettings settings = settings(context, options, false);
        if (settings.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
                && settings.transactionalIdPrefix == null) {
            throw ConnectorOptionUtils.requiredWhen(
                    TRANSACTIONAL_ID_PREFIX, DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
        }
        return new StreamsDynamicSink(settings, keyFormat.orElse(null), valueFormat);
    }

    private static void validateEnums(DynamicTableFactory.Context context) {
        Map<String, String> raw = context.getCatalogTable().getOptions();
        ConnectorOptionUtils.validateEnumOption(raw, SCAN_STARTUP_MODE, ScanStartupMode.class);
        ConnectorOptionUtils.validateEnumOption(raw, SCAN_BOUNDED_MODE, ScanBoundedMode.class);
        ConnectorOptionUtils.validateEnumOption(
                raw, VALUE_FIELDS_INCLUDE, StreamsConnectorOptions.ValueFieldsStrategy.class);
        ConnectorOptionUtils.validateEnumOption(raw, DELIVERY_GUARANTEE, DeliveryGuarantee.class);
        ConnectorOptionUtils.validateEnumOption(
                raw, SINK_ON_LOST_TRANSACTION, OnLostTransaction.class);
    }

    private void validateKeyAndPrimaryKey(
            DynamicTableFactory.Context context,
            ReadableConfig options,
            boolean hasKeyFormat,
            boolean insertOnlyValueFormat) {
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        boolean hasPrimaryKey = schema.getPrimaryKey().isPresent();
        if (upsert()) {
            if (!hasPrimaryKey) {
                throw new ValidationException(
                        "An 'upsert-streams' table needs a PRIMARY KEY: it names the columns of"
                                + " the record key.");
            }
            if (!hasKeyFormat) {
                throw new ValidationException(
                        "An 'upsert-streams' table needs option 'key.format'.");
            }
            if (!options.get(KEY_FIELDS).isEmpty()) {
                throw new ValidationException(
                        "Option 'key.fields' is not allowed for 'upsert-streams': the PRIMARY KEY"
                                + " defines the key columns.");
            }
            return;
        }
        if (hasPrimaryKey && insertOnlyValueFormat) {
            throw new ValidationException(
                    "A 'streams' table with an insert-only value format cannot have a PRIMARY KEY,"
                            + " because the topic cannot guarantee its uniqueness. Use connector"
                            + " 'upsert-streams' for upsert semantics.");
        }
        boolean hasKeyFields = !options.get(KEY_FIELDS).isEmpty();
        if (hasKeyFormat != hasKeyFields) {
            throw new ValidationException(
                    "Options 'key.format' and 'key.fields' go together: set both to read or write"
                            + " the record key, or neither.");
        }
    }

    private StreamsTableSettings settings(
            DynamicTableFactory.Context context, ReadableConfig options, boolean forSource) {
        DataType physicalType = context.getPhysicalRowDataType();
        int[] keyProjection =
                upsert()
                        ? context.getPrimaryKeyIndexes()
                        : StreamsOptionsUtil.keyProjection(options, physicalType);
        int[] valueProjection =
                StreamsOptionsUtil.valueProjection(options, physicalType, keyProjection);
        Properties properties =
                ConnectorOptionUtils.passThroughProperties(context.getCatalogTable().getOptions());
        ScanStartupMode startupMode =
                StreamsOptionsUtil.enumOption(options, SCAN_STARTUP_MODE, ScanStartupMode.class);
        if (upsert() && options.getOptional(SCAN_STARTUP_MODE).isEmpty()) {
            // An upsert table is a changelog: without its beginning the view is incomplete.
            startupMode = ScanStartupMode.EARLIEST_OFFSET;
        }
        ScanBoundedMode boundedMode =
                StreamsOptionsUtil.enumOption(options, SCAN_BOUNDED_MODE, ScanBoundedMode.class);
        OffsetsInitializer starting =
                StreamsOptionsUtil.startingOffsets(options, startupMode, properties);
        OffsetsInitializer stopping = StreamsOptionsUtil.stoppingOffsets(options, boundedMode);
        DeliveryGuarantee guarantee =
                StreamsOptionsUtil.enumOption(options, DELIVERY_GUARANTEE, DeliveryGuarantee.class);
        return new StreamsTableSettings(
                context.getObjectIdentifier().asSummaryString(),
                physicalType,
                keyProjection,
                valueProjection,
                options.getOptional(KEY_FIELDS_PREFIX).orElse(""),
                upsert(),
                options.getOptional(TOPIC).orElse(List.of()),
                options.getOptional(TOPIC_PATTERN).map(Pattern::compile).orElse(null),
                properties,
                starting,
                stopping,
                options.get(SCAN_TOPIC_PARTITION_DISCOVERY),
                options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(null),
                guarantee,
                options.getOptional(TRANSACTIONAL_ID_PREFIX).orElse(null),
                StreamsOptionsUtil.enumOption(
                        options, SINK_ON_LOST_TRANSACTION, OnLostTransaction.class),
                forSource
                        ? null
                        : StreamsOptionsUtil.partitioner(options, context.getClassLoader()),
                options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null),
                options.get(SINK_BUFFER_FLUSH_MAX_ROWS),
                options.get(SINK_BUFFER_FLUSH_INTERVAL));
    }

    private void validateBuffer(ReadableConfig options) {
        boolean rows = options.get(SINK_BUFFER_FLUSH_MAX_ROWS) > 0;
        boolean interval = !options.get(SINK_BUFFER_FLUSH_INTERVAL).isZero();
        if (options.get(SINK_BUFFER_FLUSH_MAX_ROWS) < 0
                || options.get(SINK_BUFFER_FLUSH_INTERVAL).isNegative()) {
            throw new ValidationException(
                    "Options 'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' must"
                            + " not be negative.");
        }
        if ((rows || interval) && !upsert()) {
            throw new ValidationException(
                    "Options 'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' are"
                            + " only for 'upsert-streams' tables.");
        }
        if (rows != interval) {
            throw new ValidationException(
                    "Options 'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' go"
                            + " together: set both above 0 to buffer, or neither.");
        }
    }
}
