package org.flinkconnectors.streams.source.reader.deserializer;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;

/**
 * Adapts a value-only {@link DeserializationSchema} to {@link StreamsRecordDeserializationSchema}.
 */
final class ValueOnlyDeserializationSchema<T> implements StreamsRecordDeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<T> valueSchema;

    ValueOnlyDeserializationSchema(DeserializationSchema<T> valueSchema) {
        if (valueSchema == null) {
            throw new IllegalArgumentException("The value deserialization schema must not be null");
        }
        this.valueSchema = valueSchema;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        valueSchema.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out)
            throws IOException {
        valueSchema.deserialize(record.value(), out);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return valueSchema.getProducedType();
    }

    @Override
    public String toString() {
        return "valueOnly(" + valueSchema + ")";
    }
}
