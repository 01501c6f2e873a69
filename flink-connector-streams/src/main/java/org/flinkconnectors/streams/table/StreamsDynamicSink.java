package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.StreamsSink;
import org.flinkconnectors.streams.sink.StreamsSinkBuilder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table sink of {@code streams} and {@code upsert-streams}: a {@link StreamsSink} of rows with
 * writable topic, timestamp and headers metadata.
 */
@Internal
public class StreamsDynamicSink implements DynamicTableSink, SupportsWritingMetadata {

    private final StreamsTableSettings settings;
    @Nullable private final EncodingFormat<SerializationSchema<RowData>> keyFormat;
    private final EncodingFormat<SerializationSchema<RowData>> valueFormat;
    private List<String> metadataKeys = new ArrayList<>();

    StreamsDynamicSink(
            StreamsTableSettings settings,
            @Nullable EncodingFormat<SerializationSchema<RowData>> keyFormat,
            EncodingFormat<SerializationSchema<RowData>> valueFormat) {
        this.settings = settings;
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return settings.upsert ? ChangelogMode.upsert() : valueFormat.getChangelogMode();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        SerializationSchema<RowData> keyEncoder = null;
        RowData.FieldGetter[] keyGetters = new RowData.FieldGetter[0];
        if (keyFormat != null && settings.keyProjection.length > 0) {
            DataType keyType =
                    StreamsOptionsUtil.stripPrefix(
                            Projection.of(settings.keyProjection).project(settings.physicalType),
                            settings.keyPrefix);
            keyEncoder = keyFormat.createRuntimeEncoder(context, keyType);
            keyGetters = getters(settings.keyProjection);
        }
        DataType valueType = Projection.of(settings.valueProjection).project(settings.physicalType);
        SerializationSchema<RowData> valueEncoder =
                valueFormat.createRuntimeEncoder(context, valueType);
        int physicalArity = DataType.getFieldCount(settings.physicalType);
        RowDataSerializationSchema serializer =
                new RowDataSerializationSchema(
                        keyEncoder,
                        keyGetters,
                        valueEncoder,
                        getters(settings.valueProjection),
                        settings.topics.size() == 1 ? settings.topics.get(0) : null,
                        settings.topics,
                        metadataPosition(WritableMetadata.TOPIC, physicalArity),
                        metadataPosition(WritableMetadata.TIMESTAMP, physicalArity),
                        metadataPosition(WritableMetadata.HEADERS, physicalArity),
                        settings.upsert,
                        settings.partitioner);
        StreamsSinkBuilder<RowData> builder =
                StreamsSink.<RowData>builder()
                        .setKafkaProducerConfig(settings.properties)
                        .setDeliveryGuarantee(settings.deliveryGuarantee)
                        .setOnLostTransaction(settings.onLostTransaction)
                        .setRecordSerializer(serializer);
        if (settings.transactionalIdPrefix != null) {
            builder.setTransactionalIdPrefix(settings.transactionalIdPrefix);
        }
        StreamsSink<RowData> sink = builder.build();
        if (settings.upsert && settings.bufferMaxRows > 0) {
            return SinkV2Provider.of(
                    new ReducingUpsertSink(
                            sink,
                            getters(settings.keyProjection),
                            settings.bufferMaxRows,
                            settings.bufferInterval),
                    settings.sinkParallelism);
        }
        return SinkV2Provider.of(sink, settings.sinkParallelism);
    }

    private int metadataPosition(WritableMetadata metadata, int physicalArity) {
        int index = metadataKeys.indexOf(metadata.key);
        return index < 0 ? -1 : physicalArity + index;
    }

    private RowData.FieldGetter[] getters(int[] fields) {
        List<DataType> types = DataType.getFieldDataTypes(settings.physicalType);
        RowData.FieldGetter[] getters = new RowData.FieldGetter[fields.length];
        for (int i = 0; i < fields.length; i++) {
            getters[i] =
                    RowData.createFieldGetter(types.get(fields[i]).getLogicalType(), fields[i]);
        }
        return getters;
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        Map<String, DataType> metadata = new LinkedHashMap<>();
        for (WritableMetadata m : WritableMetadata.values()) {
            metadata.put(m.key, m.dataType);
        }
        return metadata;
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadataKeys = new ArrayList<>(metadataKeys);
    }

    @Override
    public DynamicTableSink copy() {
        StreamsDynamicSink copy = new StreamsDynamicSink(settings, keyFormat, valueFormat);
        copy.metadataKeys = new ArrayList<>(metadataKeys);
        return copy;
    }

    @Override
    public String asSummaryString() {
        return settings.upsert ? "upsert-streams" : "streams";
    }

    boolean isExactlyOnce() {
        return settings.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE;
    }
}
