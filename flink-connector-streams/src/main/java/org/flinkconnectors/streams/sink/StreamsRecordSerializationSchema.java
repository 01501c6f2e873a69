package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Turns an element into the {@link ProducerRecord} the sink sends: topic, partition, key, value,
 * timestamp and headers.
 *
 * <p>{@link #builder()} covers the common case (fixed topic, key and value schemas, partitioner);
 * implement the interface for anything else, such as a topic per record.
 */
@PublicEvolving
public interface StreamsRecordSerializationSchema<T> extends Serializable {

    /** Called once per writer before the first {@link #serialize}. */
    default void open(SerializationSchema.InitializationContext context, StreamsSinkContext sink)
            throws Exception {}

    /**
     * Serializes one element.
     *
     * @param timestamp the element's Flink timestamp, or null when it has none
     * @return the record to send, or null to drop the element
     */
    @Nullable
    ProducerRecord<byte[], byte[]> serialize(
            T element, StreamsSinkContext context, @Nullable Long timestamp);

    /** A builder for the usual topic/key/value/partitioner combination. */
    static <T> StreamsRecordSerializationSchemaBuilder<T> builder() {
        return new StreamsRecordSerializationSchemaBuilder<>();
    }

    /** What the writer knows that a serializer may need: its subtask and the topic layout. */
    @PublicEvolving
    interface StreamsSinkContext {

        int getParallelInstanceId();

        int getNumberOfParallelInstances();

        /** The partition ids of {@code topic}, from the producer's cached metadata. */
        int[] getPartitionsForTopic(String topic);
    }
}
