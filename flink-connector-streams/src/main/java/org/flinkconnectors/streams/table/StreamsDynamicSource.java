package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.source.StreamsSource;
import org.flinkconnectors.streams.source.StreamsSourceBuilder;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.ProjectableDecodingFormat;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The table source of {@code streams} and {@code upsert-streams}: a {@link StreamsSource} of rows,
 * with metadata columns, watermark pushdown (per-partition watermarks), projection pushdown (into
 * the value format where it can project) and, for bounded reads, limit pushdown.
 */
@Internal
public class StreamsDynamicSource
        implements ScanTableSource,
                SupportsReadingMetadata,
                SupportsWatermarkPushDown,
                SupportsProjectionPushDown,
                SupportsLimitPushDown {

    private static final String VALUE_METADATA_PREFIX = "value.";

    private final StreamsTableSettings settings;
    @Nullable private final DecodingFormat<DeserializationSchema<RowData>> keyFormat;
    private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;

    private int[] projectedFields;

    /** Connector metadata keys, in the order of the produced row. */
    private List<String> metadataKeys = new ArrayList<>();

    /** Value-format metadata keys (without the 'value.' prefix); they come first. */
    private List<String> formatMetadataKeys = new ArrayList<>();

    private DataType producedDataType;
    @Nullable private WatermarkStrategy<RowData> watermarkStrategy;
    private long limit = -1;

    StreamsDynamicSource(
            StreamsTableSettings settings,
            @Nullable DecodingFormat<DeserializationSchema<RowData>> keyFormat,
            DecodingFormat<DeserializationSchema<RowData>> valueFormat) {
        this.settings = settings;
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.projectedFields =
                IntStream.range(0, DataType.getFieldCount(settings.physicalType)).toArray();
        this.producedDataType = settings.physicalType;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return settings.upsert ? ChangelogMode.upsert(false) : valueFormat.getChangelogMode();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        StreamsSource<RowData> source = createSource(context);
        WatermarkStrategy<RowData> watermarks =
                watermarkStrategy == null ? WatermarkStrategy.noWatermarks() : watermarkStrategy;
        return new DataStreamScanProvider() {
            @Override
            public DataStreamSource<RowData> produceDataStream(
                    org.apache.flink.table.connector.ProviderContext providerContext,
                    org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream =
                        env.fromSource(source, watermarks, "StreamsSource-" + settings.tableName);
                providerContext.generateUid("streams-source").ifPresent(stream::uid);
                if (settings.parallelism != null) {
                    stream.setParallelism(settings.parallelism);
                }
                return stream;
            }

            @Override
            public boolean isBounded() {
                return settings.stoppingOffsets != null;
            }
        };
    }

    StreamsSource<RowData> createSource(ScanContext context) {
        StreamsSourceBuilder<RowData> builder =
                StreamsSource.<RowData>builder()
                        .setProperties(settings.properties)
                        .setStartingOffsets(settings.startingOffsets)
                        .setPartitionDiscoveryInterval(settings.discoveryInterval)
                        .setDeserializer(deserializer(context));
        if (settings.topicPattern != null) {
            builder.setTopicPattern(settings.topicPattern);
        } else {
            builder.setTopics(settings.topics);
        }
        OffsetsInitializer stop = settings.stoppingOffsets;
        if (stop != null) {
            builder.setBounded(stop);
            if (limit >= 0) {
                builder.setRecordLimit(limit);
            }
        }
        return builder.build();
    }

    private RowDataDeserializationSchema deserializer(ScanContext context) {
        int[] keyFields = settings.keyProjection;
        int[] valueFields = settings.valueProjection;
        DeserializationSchema<RowData> keyDecoder = null;
        RowData.FieldGetter[] keyGetters = new RowData.FieldGetter[0];
        int[] keyTargets = new int[0];
        if (keyFormat != null && keyFields.length > 0) {
            DataType keyType =
                    StreamsOptionsUtil.stripPrefix(
                            Projection.of(keyFields).project(settings.physicalType),
                            settings.keyPrefix);
            keyDecoder = keyFormat.createRuntimeDecoder(context, keyType);
            keyGetters = getters(keyType);
            keyTargets = targets(keyFields);
        }
        DataType valueType = Projection.of(valueFields).project(settings.physicalType);
        // The format appends its metadata columns to the value rows it produces.
        if (!formatMetadataKeys.isEmpty()) {
            valueFormat.applyReadableMetadata(formatMetadataKeys);
        }
        DeserializationSchema<RowData> valueDecoder;
        int[] decodedValueFields;
        if (valueFormat instanceof ProjectableDecodingFormat) {
            // Decode only the value columns the query needs.
            int[] needed =
                    IntStream.range(0, valueFields.length)
                            .filter(i -> target(valueFields[i]) >= 0)
                            .toArray();
            valueDecoder =
                    ((ProjectableDecodingFormat<DeserializationSchema<RowData>>) valueFormat)
                            .createRuntimeDecoder(
                                    context, valueType, Projection.of(needed).toNestedIndexes());
            decodedValueFields = Arrays.stream(needed).map(i -> valueFields[i]).toArray();
            valueType = Projection.of(needed).project(valueType);
        } else {
            valueDecoder = valueFormat.createRuntimeDecoder(context, valueType);
            decodedValueFields = valueFields;
        }
        ReadableMetadata[] metadata =
                metadataKeys.stream().map(ReadableMetadata::ofKey).toArray(ReadableMetadata[]::new);
        return new RowDataDeserializationSchema(
                keyDecoder,
                keyGetters,
                keyTargets,
                valueDecoder,
                valueGetters(valueType),
                valueTargets(decodedValueFields),
                metadata,
                projectedFields.length + formatMetadataKeys.size(),
                settings.upsert,
                context.createTypeInformation(producedDataType));
    }

    /** Getters of the value row: its physical columns, then the format's metadata columns. */
    private RowData.FieldGetter[] valueGetters(DataType valueType) {
        RowData.FieldGetter[] physical = getters(valueType);
        RowData.FieldGetter[] all =
                Arrays.copyOf(physical, physical.length + formatMetadataKeys.size());
        Map<String, DataType> formatMetadata = valueFormat.listReadableMetadata();
        for (int i = 0; i < formatMetadataKeys.size(); i++) {
            DataType type = formatMetadata.get(formatMetadataKeys.get(i));
            all[physical.length + i] =
                    RowData.createFieldGetter(type.getLogicalType(), physical.length + i);
        }
        return all;
    }

    /** Output positions of the value row's fields; format metadata follows the physical row. */
    private int[] valueTargets(int[] decodedValueFields) {
        int[] physical = targets(decodedValueFields);
        int[] all = Arrays.copyOf(physical, physical.length + formatMetadataKeys.size());
        for (int i = 0; i < formatMetadataKeys.size(); i++) {
            all[physical.length + i] = projectedFields.length + i;
        }
        return all;
    }

    private int target(int physicalField) {
        for (int i = 0; i < projectedFields.length; i++) {
            if (projectedFields[i] == physicalField) {
                return i;
            }
        }
        return -1;
    }

    private int[] targets(int[] physicalFields) {
        return Arrays.stream(physicalFields).map(this::target).toArray();
    }

    private static RowData.FieldGetter[] getters(DataType rowType) {
        List<DataType> fields = DataType.getFieldDataTypes(rowType);
        RowData.FieldGetter[] getters = new RowData.FieldGetter[fields.size()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = RowData.createFieldGetter(fields.get(i).getLogicalType(), i);
        }
        return getters;
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> metadata = new LinkedHashMap<>();
        valueFormat
                .listReadableMetadata()
                .forEach((key, type) -> metadata.put(VALUE_METADATA_PREFIX + key, type));
        for (ReadableMetadata m : ReadableMetadata.values()) {
            metadata.put(m.key, m.dataType);
        }
        return metadata;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        this.formatMetadataKeys = new ArrayList<>();
        this.metadataKeys = new ArrayList<>();
        for (String key : metadataKeys) {
            if (key.startsWith(VALUE_METADATA_PREFIX)) {
                formatMetadataKeys.add(key.substring(VALUE_METADATA_PREFIX.length()));
            } else {
                this.metadataKeys.add(key);
            }
        }
        this.producedDataType = producedDataType;
    }

    @Override
    public boolean supportsMetadataProjection() {
        return true;
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> watermarkStrategy) {
        this.watermarkStrategy = watermarkStrategy;
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        this.projectedFields = Arrays.stream(projectedFields).mapToInt(path -> path[0]).toArray();
        this.producedDataType = producedDataType;
    }

    @Override
    public void applyLimit(long limit) {
        // Only a bounded read can end early; an unbounded one keeps the planner's limit alone.
        if (settings.stoppingOffsets != null) {
            this.limit = limit;
        }
    }

    @Override
    public DynamicTableSource copy() {
        StreamsDynamicSource copy = new StreamsDynamicSource(settings, keyFormat, valueFormat);
        copy.projectedFields = projectedFields.clone();
        copy.metadataKeys = new ArrayList<>(metadataKeys);
        copy.formatMetadataKeys = new ArrayList<>(formatMetadataKeys);
        copy.producedDataType = producedDataType;
        copy.watermarkStrategy = watermarkStrategy;
        copy.limit = limit;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return settings.upsert ? "upsert-streams" : "streams";
    }
}
