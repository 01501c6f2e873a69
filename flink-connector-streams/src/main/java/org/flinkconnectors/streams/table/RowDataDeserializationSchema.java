package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.source.reader.deserializer.StreamsRecordDeserializationSchema;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * Decodes a Kafka record into the table's row: key columns from the key format, value columns from
 * the value format (which may emit several rows, e.g. a debezium update), then the metadata
 * columns. In upsert mode a record without value (a tombstone) becomes a DELETE of its key.
 */
@Internal
class RowDataDeserializationSchema implements StreamsRecordDeserializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    @Nullable private final DeserializationSchema<RowData> keyFormat;
    private final DeserializationSchema<RowData> valueFormat;
    private final RowData.FieldGetter[] keyGetters;
    private final int[] keyTargets;
    private final RowData.FieldGetter[] valueGetters;
    private final int[] valueTargets;
    private final ReadableMetadata[] metadata;

    /** Physical columns plus the value format's metadata columns, which precede ours. */
    private final int physicalArity;

    private final boolean upsert;
    private final TypeInformation<RowData> producedType;

    private transient Collector<RowData> output;
    private transient RowData keyRow;
    private transient ConsumerRecord<byte[], byte[]> record;
    private transient ValueCollector valueCollector;

    /**
     * @param keyTargets output position of each key-format field, -1 if projected away
     * @param valueTargets output position of each value-format field, -1 if projected away
     */
    RowDataDeserializationSchema(
            @Nullable DeserializationSchema<RowData> keyFormat,
            RowData.FieldGetter[] keyGetters,
            int[] keyTargets,
            DeserializationSchema<RowData> valueFormat,
            RowData.FieldGetter[] valueGetters,
            int[] valueTargets,
            ReadableMetadata[] metadata,
            int physicalArity,
            boolean upsert,
            TypeInformation<RowData> producedType) {
        this.keyFormat = keyFormat;
        this.keyGetters = keyGetters;
        this.keyTargets = keyTargets;
        this.valueFormat = valueFormat;
        this.valueGetters = valueGetters;
        this.valueTargets = valueTargets;
        this.metadata = metadata;
        this.physicalArity = physicalArity;
        this.upsert = upsert;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
        valueFormat.open(context);
        valueCollector = new ValueCollector();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RowData> out)
            throws IOException {
        this.record = record;
        this.output = out;
        keyRow = null;
        if (keyFormat != null && record.key() != null) {
            keyRow = keyFormat.deserialize(record.key());
        }
        if (record.value() == null) {
            if (upsert && keyRow != null) {
                emit(RowKind.DELETE, null);
            }
            return;
        }
        // Failures are reported by the emitter with the record's topic, partition and offset.
        valueFormat.deserialize(record.value(), valueCollector);
    }

    private void emit(RowKind kind, @Nullable RowData valueRow) {
        GenericRowData row = new GenericRowData(kind, physicalArity + metadata.length);
        if (keyRow != null) {
            copy(keyRow, keyGetters, keyTargets, row);
        }
        if (valueRow != null) {
            copy(valueRow, valueGetters, valueTargets, row);
        }
        for (int i = 0; i < metadata.length; i++) {
            row.setField(physicalArity + i, metadata[i].reader.read(record));
        }
        output.collect(row);
    }

    private static void copy(
            RowData from, RowData.FieldGetter[] getters, int[] targets, GenericRowData to) {
        for (int i = 0; i < getters.length; i++) {
            if (targets[i] >= 0) {
                to.setField(targets[i], getters[i].getFieldOrNull(from));
            }
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }

    /** Receives the value format's rows and completes each with key and metadata. */
    private final class ValueCollector implements Collector<RowData> {
        @Override
        public void collect(RowData valueRow) {
            emit(valueRow.getRowKind(), valueRow);
        }

        @Override
        public void close() {}
    }
}
