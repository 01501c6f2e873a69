package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.StreamsRecordSerializationSchema;
import org.flinkconnectors.streams.sink.partitioner.StreamsPartitioner;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a table row as a Kafka record: key and value columns through their formats, topic,
 * timestamp and headers from writable metadata columns. In upsert mode a DELETE becomes a tombstone
 * (null value) of its key and UPDATE_BEFORE is dropped.
 */
@Internal
class RowDataSerializationSchema implements StreamsRecordSerializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    @Nullable private final SerializationSchema<RowData> keyFormat;
    private final SerializationSchema<RowData> valueFormat;
    private final RowData.FieldGetter[] keyGetters;
    private final RowData.FieldGetter[] valueGetters;
    @Nullable private final String defaultTopic;
    private final List<String> allowedTopics;
    private final int topicPos;
    private final int timestampPos;
    private final int headersPos;
    private final boolean upsert;
    @Nullable private final StreamsPartitioner<RowData> partitioner;

    /**
     * @param keyGetters read the key columns from the consumed row
     * @param valueGetters read the value columns from the consumed row
     * @param topicPos position of the 'topic' metadata column in the consumed row, or -1
     */
    RowDataSerializationSchema(
            @Nullable SerializationSchema<RowData> keyFormat,
            RowData.FieldGetter[] keyGetters,
            SerializationSchema<RowData> valueFormat,
            RowData.FieldGetter[] valueGetters,
            @Nullable String defaultTopic,
            List<String> allowedTopics,
            int topicPos,
            int timestampPos,
            int headersPos,
            boolean upsert,
            @Nullable StreamsPartitioner<RowData> partitioner) {
        this.keyFormat = keyFormat;
        this.keyGetters = keyGetters;
        this.valueFormat = valueFormat;
        this.valueGetters = valueGetters;
        this.defaultTopic = defaultTopic;
        this.allowedTopics = allowedTopics;
        this.topicPos = topicPos;
        this.timestampPos = timestampPos;
        this.headersPos = headersPos;
        this.upsert = upsert;
        this.partitioner = partitioner;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, StreamsSinkContext sink)
            throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
        valueFormat.open(context);
        if (partitioner != null) {
            partitioner.open(sink.getParallelInstanceId(), sink.getNumberOfParallelInstances());
        }
    }

    @Nullable
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RowData row, StreamsSinkContext context, @Nullable Long flinkTimestamp) {
        RowKind kind = row.getRowKind();
        if (upsert && kind == RowKind.UPDATE_BEFORE) {
            return null;
        }
        byte[] key = keyFormat == null ? null : keyFormat.serialize(project(row, keyGetters));
        byte[] value;
        if (upsert && kind == RowKind.DELETE) {
            value = null;
        } else {
            RowData valueRow = project(row, valueGetters);
            valueRow.setRowKind(upsert ? RowKind.INSERT : kind);
            value = valueFormat.serialize(valueRow);
        }
        String topic = topic(row);
        Integer partition =
                partitioner == null
                        ? null
                        : partitioner.partition(
                                row, key, value, topic, context.getPartitionsForTopic(topic));
        Long timestamp = null;
        if (timestampPos >= 0 && !row.isNullAt(timestampPos)) {
            TimestampData ts = row.getTimestamp(timestampPos, 3);
            timestamp = ts.getMillisecond();
        }
        return new ProducerRecord<>(topic, partition, timestamp, key, value, headers(row));
    }

    private String topic(RowData row) {
        if (topicPos >= 0 && !row.isNullAt(topicPos)) {
            String topic = row.getString(topicPos).toString();
            if (!allowedTopics.isEmpty() && !allowedTopics.contains(topic)) {
                throw new IllegalArgumentException(
                        String.format(
                                "The row's 'topic' metadata names topic '%s', which is not one of"
                                        + " the table's topics %s (option 'topic').",
                                topic, allowedTopics));
            }
            return topic;
        }
        if (defaultTopic == null) {
            throw new IllegalArgumentException(
                    "The row's 'topic' metadata column is null and the table has no single"
                            + " 'topic' to fall back to.");
        }
        return defaultTopic;
    }

    @Nullable
    private List<Header> headers(RowData row) {
        if (headersPos < 0 || row.isNullAt(headersPos)) {
            return null;
        }
        MapData map = row.getMap(headersPos);
        List<Header> headers = new ArrayList<>(map.size());
        for (int i = 0; i < map.size(); i++) {
            String name = map.keyArray().getString(i).toString();
            byte[] bytes = map.valueArray().isNullAt(i) ? null : map.valueArray().getBinary(i);
            headers.add(new RecordHeader(name, bytes));
        }
        return headers;
    }

    private static RowData project(RowData row, RowData.FieldGetter[] getters) {
        GenericRowData projected = new GenericRowData(row.getRowKind(), getters.length);
        for (int i = 0; i < getters.length; i++) {
            projected.setField(i, getters[i].getFieldOrNull(row));
        }
        return projected;
    }
}
