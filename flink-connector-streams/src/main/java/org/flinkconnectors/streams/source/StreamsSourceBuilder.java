package org.flinkconnectors.streams.source;

import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.enumerator.subscriber.StreamsSubscriber;
import org.flinkconnectors.streams.source.reader.deserializer.StreamsRecordDeserializationSchema;
import org.flinkconnectors.streams.util.KafkaClassNames;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Builds a {@link StreamsSource}. Required: bootstrap servers, topics or a topic pattern, and a
 * deserializer. By default the source starts from the earliest offsets, runs unbounded, discovers
 * new partitions every 5 minutes and, if a group id is set, commits offsets on checkpoints.
 *
 * <pre>{@code
 * StreamsSource<String> source =
 *         StreamsSource.<String>builder()
 *                 .setBootstrapServers("broker:9092")
 *                 .setTopicPattern(Pattern.compile("orders-.*"))
 *                 .setGroupId("audit")
 *                 .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
 *                 .setBounded(OffsetsInitializer.latest())
 *                 .setValueOnlyDeserializer(new SimpleStringSchema())
 *                 .build();
 * }</pre>
 *
 * <p>The consumer always uses byte-array deserializers (the source deserializes) and never
 * auto-commits (offsets live in Flink state; committing happens on checkpoints).
 */
@PublicEvolving
public final class StreamsSourceBuilder<OUT> {

    /** Like the official Kafka connector: new partitions show up within five minutes. */
    public static final Duration DEFAULT_PARTITION_DISCOVERY_INTERVAL = Duration.ofMinutes(5);

    public static final String DEFAULT_CLIENT_ID_PREFIX = "streams-source";

    private long recordLimit = Long.MAX_VALUE; // none

    @Nullable private String bootstrapServers;
    @Nullable private List<String> topics;
    @Nullable private Pattern topicPattern;
    @Nullable private String groupId;
    private OffsetsInitializer startingOffsets = OffsetsInitializer.earliest();
    @Nullable private OffsetsInitializer stoppingOffsets;
    @Nullable private StreamsRecordDeserializationSchema<OUT> deserializer;
    private final Properties properties = new Properties();
    private Duration partitionDiscoveryInterval = DEFAULT_PARTITION_DISCOVERY_INTERVAL;
    @Nullable private Boolean commitOffsetsOnCheckpoint;
    private String clientIdPrefix = DEFAULT_CLIENT_ID_PREFIX;

    StreamsSourceBuilder() {}

    /** The brokers to connect to, as {@code host:port[,host:port...]}. */
    public StreamsSourceBuilder<OUT> setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    /** Reads these topics; they must exist. Excludes {@link #setTopicPattern}. */
    public StreamsSourceBuilder<OUT> setTopics(String... topics) {
        return setTopics(Arrays.asList(topics));
    }

    /** Reads these topics; they must exist. Excludes {@link #setTopicPattern}. */
    public StreamsSourceBuilder<OUT> setTopics(List<String> topics) {
        this.topics = new ArrayList<>(topics);
        return this;
    }

    /** Reads every topic whose whole name matches. Excludes {@link #setTopics}. */
    public StreamsSourceBuilder<OUT> setTopicPattern(Pattern topicPattern) {
        this.topicPattern = topicPattern;
        return this;
    }

    /** The consumer group: needed to commit offsets and to start from committed offsets. */
    public StreamsSourceBuilder<OUT> setGroupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    /** Where partitions found at the first discovery start; default {@code earliest()}. */
    public StreamsSourceBuilder<OUT> setStartingOffsets(OffsetsInitializer startingOffsets) {
        this.startingOffsets = startingOffsets;
        return this;
    }

    /**
     * Makes the source bounded: every partition stops at the offset {@code stoppingOffsets} gives.
     */
    public StreamsSourceBuilder<OUT> setBounded(OffsetsInitializer stoppingOffsets) {
        this.stoppingOffsets = stoppingOffsets;
        return this;
    }

    /** Turns whole Kafka records (key, value, headers, metadata) into elements. */
    public StreamsSourceBuilder<OUT> setDeserializer(
            StreamsRecordDeserializationSchema<OUT> deserializer) {
        this.deserializer = deserializer;
        return this;
    }

    /** Deserializes only the record values, with a Flink format. */
    public StreamsSourceBuilder<OUT> setValueOnlyDeserializer(
            DeserializationSchema<OUT> valueDeserializer) {
        this.deserializer = StreamsRecordDeserializationSchema.valueOnly(valueDeserializer);
        return this;
    }

    /** Adds Kafka consumer properties (security, fetch sizes, isolation level, ...). */
    public StreamsSourceBuilder<OUT> setProperties(Properties properties) {
        this.properties.putAll(properties);
        return this;
    }

    /** Adds one Kafka consumer property. */
    public StreamsSourceBuilder<OUT> setProperty(String key, String value) {
        this.properties.setProperty(key, value);
        return this;
    }

    /**
     * How often an unbounded source looks for new partitions (default 5 minutes); zero or negative
     * disables discovery. Bounded sources discover once.
     */
    public StreamsSourceBuilder<OUT> setPartitionDiscoveryInterval(Duration interval) {
        this.partitionDiscoveryInterval = interval;
        return this;
    }

    /** Whether completed checkpoints commit offsets to Kafka; default: when a group id is set. */
    public StreamsSourceBuilder<OUT> setCommitOffsetsOnCheckpoint(boolean commit) {
        this.commitOffsetsOnCheckpoint = commit;
        return this;
    }

    /** Prefix of the Kafka client ids, to find the source's clients in broker logs and quotas. */
    public StreamsSourceBuilder<OUT> setClientIdPrefix(String clientIdPrefix) {
        this.clientIdPrefix = clientIdPrefix;
        return this;
    }

    /**
     * Lets every reader of a bounded source stop after emitting {@code limit} elements, for a
     * pushed-down SQL {@code LIMIT}; the planner still applies the exact limit on top.
     */
    public StreamsSourceBuilder<OUT> setRecordLimit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("The record limit must not be negative.");
        }
        this.recordLimit = limit;
        return this;
    }

    /** Validates the settings and builds the source. */
    public StreamsSource<OUT> build() {
        Properties consumerProperties = consumerProperties();
        StreamsSubscriber subscriber = subscriber();
        if (deserializer == null) {
            throw new IllegalArgumentException(
                    "No deserializer is set: call setDeserializer(...) or"
                            + " setValueOnlyDeserializer(...).");
        }
        if (startingOffsets == null) {
            throw new IllegalArgumentException("The starting offsets must not be null.");
        }
        startingOffsets.validate(consumerProperties);
        if (recordLimit != Long.MAX_VALUE && stoppingOffsets == null) {
            throw new IllegalArgumentException(
                    "A record limit needs a bounded source: call setBounded(...) as well.");
        }
        if (stoppingOffsets != null) {
            stoppingOffsets.validate(consumerProperties);
        }
        boolean hasGroup = OffsetsInitializer.hasGroupId(consumerProperties);
        if (Boolean.TRUE.equals(commitOffsetsOnCheckpoint) && !hasGroup) {
            throw new IllegalArgumentException(
                    "Committing offsets on checkpoints needs a consumer group: call"
                            + " setGroupId(...) or setCommitOffsetsOnCheckpoint(false).");
        }
        String isolation = consumerProperties.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
        if (isolation != null
                && !isolation.equals("read_committed")
                && !isolation.equals("read_uncommitted")) {
            throw new IllegalArgumentException(
                    "Invalid value '"
                            + isolation
                            + "' for property '"
                            + ConsumerConfig.ISOLATION_LEVEL_CONFIG
                            + "'. Valid values are: [read_committed, read_uncommitted].");
        }
        if (clientIdPrefix == null || clientIdPrefix.isBlank()) {
            throw new IllegalArgumentException("The client id prefix must not be empty.");
        }
        if (partitionDiscoveryInterval == null) {
            throw new IllegalArgumentException(
                    "The partition discovery interval must not be null.");
        }
        return new StreamsSource<>(
                subscriber,
                startingOffsets,
                stoppingOffsets,
                deserializer,
                consumerProperties,
                clientIdPrefix,
                Math.max(-1, partitionDiscoveryInterval.toMillis()),
                commitOffsetsOnCheckpoint == null ? hasGroup : commitOffsetsOnCheckpoint,
                recordLimit);
    }

    private StreamsSubscriber subscriber() {
        if (topics != null && topicPattern != null) {
            throw new IllegalArgumentException(
                    "Both topics "
                            + topics
                            + " and topic pattern '"
                            + topicPattern
                            + "' are set; use exactly one of setTopics(...) and"
                            + " setTopicPattern(...).");
        }
        if (topicPattern != null) {
            return StreamsSubscriber.pattern(topicPattern);
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException(
                    "No topics are set: call setTopics(...) or setTopicPattern(...).");
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException(
                        "The topic list " + topics + " has an empty name.");
            }
        }
        return StreamsSubscriber.topics(topics);
    }

    private Properties consumerProperties() {
        Properties result = new Properties();
        result.putAll(properties);
        if (bootstrapServers != null) {
            result.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        String servers = result.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException(
                    "No bootstrap servers are set: call setBootstrapServers(\"host:port\") or set"
                            + " the property '"
                            + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG
                            + "'.");
        }
        if (groupId != null) {
            result.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        // The source deserializes and owns offsets; these are not the user's choice.
        result.setProperty(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        result.setProperty(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        result.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (startingOffsets != null) {
            result.putIfAbsent(
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    startingOffsets.getAutoOffsetResetStrategy().kafkaValue());
        }
        return KafkaClassNames.relocate(result);
    }

    @Override
    public String toString() {
        return "StreamsSourceBuilder{bootstrapServers="
                + bootstrapServers
                + ", topics="
                + topics
                + ", topicPattern="
                + topicPattern
                + ", groupId="
                + groupId
                + ", startingOffsets="
                + startingOffsets
                + ", stoppingOffsets="
                + stoppingOffsets
                + ", properties="
                + SecretMasking.mask(properties)
                + '}';
    }
}
