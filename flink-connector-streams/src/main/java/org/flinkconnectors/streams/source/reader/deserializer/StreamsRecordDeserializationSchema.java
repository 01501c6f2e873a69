package org.flinkconnectors.streams.source.reader.deserializer;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.Serializable;

/**
 * Turns a Kafka record (key, value, headers, timestamp, topic, partition, offset) into zero or more
 * elements of the stream. Use {@link #valueOnly} to reuse a Flink {@link DeserializationSchema}
 * that only needs the value bytes.
 *
 * <pre>{@code
 * StreamsRecordDeserializationSchema<String> schema =
 *         StreamsRecordDeserializationSchema.valueOnly(new SimpleStringSchema());
 * }</pre>
 *
 * @param <T> the type of the produced elements
 */
@PublicEvolving
public interface StreamsRecordDeserializationSchema<T>
        extends Serializable, ResultTypeQueryable<T> {

    /** Called once per reader before the first record, e.g. to register metrics. */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    /**
     * Deserializes {@code record} and emits the result(s) to {@code out}; emitting nothing skips
     * the record.
     */
    void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) throws IOException;

    /** A schema that deserializes only the record value with {@code valueSchema}. */
    static <V> StreamsRecordDeserializationSchema<V> valueOnly(
            DeserializationSchema<V> valueSchema) {
        return new ValueOnlyDeserializationSchema<>(valueSchema);
    }
}
