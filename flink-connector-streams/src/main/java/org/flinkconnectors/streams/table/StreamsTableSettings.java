package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.OnLostTransaction;
import org.flinkconnectors.streams.sink.partitioner.StreamsPartitioner;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The resolved options of one {@code streams} table, shared by its source and sink: what the
 * factory validated, in the form the DataStream builders take.
 */
@Internal
final class StreamsTableSettings {

    final String tableName;
    final DataType physicalType;
    final int[] keyProjection;
    final int[] valueProjection;
    final String keyPrefix;
    final boolean upsert;
    final List<String> topics;
    @Nullable final Pattern topicPattern;
    final Properties properties;

    // source
    final OffsetsInitializer startingOffsets;
    @Nullable final OffsetsInitializer stoppingOffsets;
    final Duration discoveryInterval;
    @Nullable final Integer parallelism;

    // sink
    final DeliveryGuarantee deliveryGuarantee;
    @Nullable final String transactionalIdPrefix;
    final OnLostTransaction onLostTransaction;
    @Nullable final StreamsPartitioner<RowData> partitioner;
    @Nullable final Integer sinkParallelism;
    final int bufferMaxRows;
    final Duration bufferInterval;

    StreamsTableSettings(
            String tableName,
            DataType physicalType,
            int[] keyProjection,
            int[] valueProjection,
            String keyPrefix,
            boolean upsert,
            List<String> topics,
            @Nullable Pattern topicPattern,
            Properties properties,
            OffsetsInitializer startingOffsets,
            @Nullable OffsetsInitializer stoppingOffsets,
            Duration discoveryInterval,
            @Nullable Integer parallelism,
            DeliveryGuarantee deliveryGuarantee,
            @Nullable String transactionalIdPrefix,
            OnLostTransaction onLostTransaction,
            @Nullable StreamsPartitioner<RowData> partitioner,
            @Nullable Integer sinkParallelism,
            int bufferMaxRows,
            Duration bufferInterval) {
        this.tableName = tableName;
        this.physicalType = physicalType;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.keyPrefix = keyPrefix;
        this.upsert = upsert;
        this.topics = topics;
        this.topicPattern = topicPattern;
        this.properties = properties;
        this.startingOffsets = startingOffsets;
        this.stoppingOffsets = stoppingOffsets;
        this.discoveryInterval = discoveryInterval;
        this.parallelism = parallelism;
        this.deliveryGuarantee = deliveryGuarantee;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.onLostTransaction = onLostTransaction;
        this.partitioner = partitioner;
        this.sinkParallelism = sinkParallelism;
        this.bufferMaxRows = bufferMaxRows;
        this.bufferInterval = bufferInterval;
    }
}
