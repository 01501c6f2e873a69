package org.flinkconnectors.streams.source;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;
import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.streams.source.enumerator.StreamsEnumState;
import org.flinkconnectors.streams.source.enumerator.StreamsEnumStateSerializer;
import org.flinkconnectors.streams.source.enumerator.StreamsSourceEnumerator;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.enumerator.subscriber.StreamsSubscriber;
import org.flinkconnectors.streams.source.reader.StreamsPartitionSplitReader;
import org.flinkconnectors.streams.source.reader.StreamsRecordEmitter;
import org.flinkconnectors.streams.source.reader.StreamsSourceFetcherManager;
import org.flinkconnectors.streams.source.reader.StreamsSourceReader;
import org.flinkconnectors.streams.source.reader.StreamsSourceReaderMetrics;
import org.flinkconnectors.streams.source.reader.deserializer.StreamsRecordDeserializationSchema;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplitSerializer;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import javax.annotation.Nullable;

import java.util.Properties;

/**
 * A FLIP-27 source that reads Kafka-protocol topics (Kafka, Redpanda, ...). Every topic partition
 * is one split; the enumerator discovers partitions and resolves start and stop offsets, readers
 * consume their partitions with one consumer each and checkpoint the offset of every partition.
 *
 * <pre>{@code
 * StreamsSource<String> source =
 *         StreamsSource.<String>builder()
 *                 .setBootstrapServers("broker:9092")
 *                 .setTopics("orders")
 *                 .setGroupId("order-audit")
 *                 .setStartingOffsets(OffsetsInitializer.earliest())
 *                 .setValueOnlyDeserializer(new SimpleStringSchema())
 *                 .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 *
 * @param <OUT> the type of the produced elements
 */
@PublicEvolving
public final class StreamsSource<OUT>
        implements Source<OUT, StreamsPartitionSplit, StreamsEnumState>, ResultTypeQueryable<OUT> {

    private static final long serialVersionUID = 1L;

    private final StreamsSubscriber subscriber;
    private final OffsetsInitializer startingOffsets;
    @Nullable private final OffsetsInitializer stoppingOffsets;
    private final Boundedness boundedness;
    private final StreamsRecordDeserializationSchema<OUT> deserializer;
    private final Properties properties;
    private final String clientIdPrefix;
    private final long partitionDiscoveryIntervalMs;
    private final boolean commitOffsetsOnCheckpoint;
    private final long recordLimit;

    StreamsSource(
            StreamsSubscriber subscriber,
            OffsetsInitializer startingOffsets,
            @Nullable OffsetsInitializer stoppingOffsets,
            StreamsRecordDeserializationSchema<OUT> deserializer,
            Properties properties,
            String clientIdPrefix,
            long partitionDiscoveryIntervalMs,
            boolean commitOffsetsOnCheckpoint,
            long recordLimit) {
        this.subscriber = subscriber;
        this.startingOffsets = startingOffsets;
        this.stoppingOffsets = stoppingOffsets;
        this.boundedness =
                stoppingOffsets == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
        this.deserializer = deserializer;
        this.properties = properties;
        this.clientIdPrefix = clientIdPrefix;
        this.partitionDiscoveryIntervalMs = partitionDiscoveryIntervalMs;
        this.commitOffsetsOnCheckpoint = commitOffsetsOnCheckpoint;
        this.recordLimit = recordLimit;
    }

    /** A builder for a source; see the class documentation for an example. */
    public static <OUT> StreamsSourceBuilder<OUT> builder() {
        return new StreamsSourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return boundedness;
    }

    @Override
    public SourceReader<OUT, StreamsPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        JobClassLoaderRelease.register(context.getUserCodeClassLoader(), "streams", () -> {});
        deserializer.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return context.metricGroup().addGroup("deserializer");
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return context.getUserCodeClassLoader();
                    }
                });
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(properties);
        consumerProperties.setProperty(
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientIdPrefix + "-reader-" + context.getIndexOfSubtask());
        StreamsSourceReaderMetrics metrics = new StreamsSourceReaderMetrics(context.metricGroup());
        ReadLimit limit = ReadLimit.of(recordLimit);
        StreamsSourceFetcherManager fetcherManager =
                new StreamsSourceFetcherManager(
                        () -> new StreamsPartitionSplitReader(consumerProperties, metrics, limit),
                        context.getConfiguration());
        return new StreamsSourceReader<>(
                fetcherManager,
                new StreamsRecordEmitter<>(deserializer, metrics, limit),
                context.getConfiguration(),
                context,
                metrics,
                commitOffsetsOnCheckpoint);
    }

    @Override
    public SplitEnumerator<StreamsPartitionSplit, StreamsEnumState> createEnumerator(
            SplitEnumeratorContext<StreamsPartitionSplit> context) {
        return restoreEnumerator(context, StreamsEnumState.initial());
    }

    @Override
    public SplitEnumerator<StreamsPartitionSplit, StreamsEnumState> restoreEnumerator(
            SplitEnumeratorContext<StreamsPartitionSplit> context, StreamsEnumState state) {
        return new StreamsSourceEnumerator(
                subscriber,
                startingOffsets,
                stoppingOffsets,
                properties,
                clientIdPrefix,
                boundedness == Boundedness.BOUNDED ? -1 : partitionDiscoveryIntervalMs,
                boundedness,
                context,
                state);
    }

    @Override
    public SimpleVersionedSerializer<StreamsPartitionSplit> getSplitSerializer() {
        return StreamsPartitionSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<StreamsEnumState> getEnumeratorCheckpointSerializer() {
        return new StreamsEnumStateSerializer();
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        TypeInformation<OUT> type = deserializer.getProducedType();
        if (type == null) {
            throw new FlinkRuntimeException(
                    "The deserialization schema " + deserializer + " does not declare its type.");
        }
        return type;
    }

    /** A copy of the consumer properties, secrets included (never log it); for tests. */
    Properties getConsumerProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    boolean isCommitOffsetsOnCheckpoint() {
        return commitOffsetsOnCheckpoint;
    }

    long getPartitionDiscoveryIntervalMs() {
        return partitionDiscoveryIntervalMs;
    }

    @Override
    public String toString() {
        return "StreamsSource{subscriber="
                + subscriber
                + ", startingOffsets="
                + startingOffsets
                + ", stoppingOffsets="
                + (stoppingOffsets == null ? "none" : stoppingOffsets)
                + ", boundedness="
                + boundedness
                + ", partitionDiscoveryIntervalMs="
                + partitionDiscoveryIntervalMs
                + ", commitOffsetsOnCheckpoint="
                + commitOffsetsOnCheckpoint
                + ", properties="
                + SecretMasking.mask(properties)
                + '}';
    }
}
