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

    private final StreamsTableSettings settings;
    @Nullable private final DecodingFormat<DeserializationSchema<RowData>> keyFormat;
    private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;

    private int[] projectedFields;
    private List<String> metadataKeys = new ArrayList<>();
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
                getters(valueType),
                targets(decodedValueFields),
                metadata,
                projectedFields.length,
                settings.upsert,
                context.createTypeInformation(producedDataType));
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
        for (ReadableMetadata m : ReadableMetadata.values()) {
            metadata.put(m.key, m.dataType);
        }
        return metadata;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        this.metadataKeys = new ArrayList<>(metadataKeys);
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
