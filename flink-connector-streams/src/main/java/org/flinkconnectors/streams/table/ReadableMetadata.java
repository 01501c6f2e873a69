package org.flinkconnectors.streams.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** The metadata columns a {@code streams} source can read, with their SQL types. */
@Internal
enum ReadableMetadata {
    TOPIC("topic", DataTypes.STRING().notNull(), r -> StringData.fromString(r.topic())),
    PARTITION("partition", DataTypes.INT().notNull(), ConsumerRecord::partition),
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable()).notNull(),
            ReadableMetadata::headers),
    LEADER_EPOCH("leader-epoch", DataTypes.INT().nullable(), r -> r.leaderEpoch().orElse(null)),
    OFFSET("offset", DataTypes.BIGINT().notNull(), ConsumerRecord::offset),
    TIMESTAMP(
            "timestamp",
            DataTypes.TIMESTAMP_LTZ(3).notNull(),
            r -> TimestampData.fromEpochMillis(r.timestamp())),
    TIMESTAMP_TYPE(
            "timestamp-type",
            DataTypes.STRING().notNull(),
            r -> StringData.fromString(r.timestampType().toString()));

    final String key;
    final DataType dataType;
    final Reader reader;

    ReadableMetadata(String key, DataType dataType, Reader reader) {
        this.key = key;
        this.dataType = dataType;
        this.reader = reader;
    }

    static ReadableMetadata ofKey(String key) {
        for (ReadableMetadata metadata : values()) {
            if (metadata.key.equals(key)) {
                return metadata;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key " + key);
    }

    private static Object headers(ConsumerRecord<byte[], byte[]> record) {
        Map<StringData, byte[]> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(StringData.fromString(header.key()), header.value());
        }
        return new GenericMapData(headers);
    }

    /** Reads one metadata value of a record in its internal Flink representation. */
    interface Reader extends Serializable {
        Object read(ConsumerRecord<byte[], byte[]> record);
    }
}
