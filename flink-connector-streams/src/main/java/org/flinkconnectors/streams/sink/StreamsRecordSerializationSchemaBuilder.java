package org.flinkconnectors.streams.sink;

import org.flinkconnectors.streams.sink.partitioner.StreamsPartitioner;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.util.Preconditions;

import org.apache.kafka.clients.producer.ProducerRecord;

import javax.annotation.Nullable;

/**
 * Builds a {@link StreamsRecordSerializationSchema} from a topic, value (and optionally key) {@link
 * SerializationSchema} and an optional {@link StreamsPartitioner}.
 *
 * <pre>{@code
 * StreamsRecordSerializationSchema<String> schema =
 *     StreamsRecordSerializationSchema.<String>builder()
 *         .setTopic("orders")
 *         .setValueSerializationSchema(new SimpleStringSchema())
 *         .build();
 * }</pre>
 */
@PublicEvolving
public class StreamsRecordSerializationSchemaBuilder<T> {

    private String topic;
    private SerializationSchema<? super T> keySchema;
    private SerializationSchema<? super T> valueSchema;
    private StreamsPartitioner<? super T> partitioner;

    StreamsRecordSerializationSchemaBuilder() {}

    public StreamsRecordSerializationSchemaBuilder<T> setTopic(String topic) {
        this.topic = Preconditions.checkNotNull(topic);
        return this;
    }

    public StreamsRecordSerializationSchemaBuilder<T> setKeySerializationSchema(
            SerializationSchema<? super T> keySchema) {
        this.keySchema = Preconditions.checkNotNull(keySchema);
        return this;
    }

    public StreamsRecordSerializationSchemaBuilder<T> setValueSerializationSchema(
            SerializationSchema<? super T> valueSchema) {
        this.valueSchema = Preconditions.checkNotNull(valueSchema);
        return this;
    }

    public StreamsRecordSerializationSchemaBuilder<T> setPartitioner(
            StreamsPartitioner<? super T> partitioner) {
        this.partitioner = Preconditions.checkNotNull(partitioner);
        return this;
    }

    public StreamsRecordSerializationSchema<T> build() {
        Preconditions.checkState(topic != null, "A topic must be set with setTopic().");
        Preconditions.checkState(
                valueSchema != null,
                "A value serialization schema must be set with setValueSerializationSchema().");
        return new Schema<>(topic, keySchema, valueSchema, partitioner);
    }

    /** The schema the builder produces. */
    private static final class Schema<T> implements StreamsRecordSerializationSchema<T> {

        private static final long serialVersionUID = 1L;

        private final String topic;
        @Nullable private final SerializationSchema<? super T> keySchema;
        private final SerializationSchema<? super T> valueSchema;
        @Nullable private final StreamsPartitioner<? super T> partitioner;

        Schema(
                String topic,
                @Nullable SerializationSchema<? super T> keySchema,
                SerializationSchema<? super T> valueSchema,
                @Nullable StreamsPartitioner<? super T> partitioner) {
            this.topic = topic;
            this.keySchema = keySchema;
            this.valueSchema = valueSchema;
            this.partitioner = partitioner;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, StreamsSinkContext sink)
                throws Exception {
            if (keySchema != null) {
                keySchema.open(context);
            }
            valueSchema.open(context);
            if (partitioner != null) {
                partitioner.open(sink.getParallelInstanceId(), sink.getNumberOfParallelInstances());
            }
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                T element, StreamsSinkContext context, @Nullable Long timestamp) {
            byte[] key = keySchema == null ? null : keySchema.serialize(element);
            byte[] value = valueSchema.serialize(element);
            Integer partition =
                    partitioner == null
                            ? null
                            : partitioner.partition(
                                    element,
                                    key,
                                    value,
                                    topic,
                                    context.getPartitionsForTopic(topic));
            return new ProducerRecord<>(topic, partition, timestamp, key, value);
        }
    }
}
