package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.OnLostTransaction;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.factories.FactoryUtil;

import java.time.Duration;
import java.util.List;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * Options of the {@code streams} and {@code upsert-streams} SQL connectors. Keys and meanings
 * follow the official Flink Kafka connector, so a table migrates by changing the identifier.
 */
@PublicEvolving
public final class StreamsConnectorOptions {

    private StreamsConnectorOptions() {}

    public static final ConfigOption<List<String>> TOPIC =
            ConfigOptions.key("topic")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Topic(s) to read from or write to, separated by ';'. A sink with"
                                    + " several topics needs the 'topic' metadata column.");

    public static final ConfigOption<String> TOPIC_PATTERN =
            ConfigOptions.key("topic-pattern")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Java regular expression of the topics to read; exclusive with"
                                    + " 'topic'.");

    public static final ConfigOption<String> PROPS_BOOTSTRAP_SERVERS =
            ConfigOptions.key("properties.bootstrap.servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Comma-separated list of brokers to connect to.");

    public static final ConfigOption<String> PROPS_GROUP_ID =
            ConfigOptions.key("properties.group.id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Consumer group id; needed for 'group-offsets' and for committing"
                                    + " offsets on checkpoints.");

    public static final ConfigOption<String> KEY_FORMAT =
            ConfigOptions.key("key" + FactoryUtil.FORMAT_SUFFIX)
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Format of the record key, e.g. 'json', 'raw', 'avro'.");

    public static final ConfigOption<String> VALUE_FORMAT =
            ConfigOptions.key("value" + FactoryUtil.FORMAT_SUFFIX)
                    .stringType()
                    .noDefaultValue()
                    .withFallbackKeys(FactoryUtil.FORMAT.key())
                    .withDescription(
                            "Format of the record value, e.g. 'json', 'csv', 'avro', 'raw',"
                                    + " 'debezium-json', 'canal-json'. Required, as"
                                    + " 'value.format' or 'format'.");

    public static final ConfigOption<List<String>> KEY_FIELDS =
            ConfigOptions.key("key.fields")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Physical columns that form the record key, separated by ';'.");

    public static final ConfigOption<String> KEY_FIELDS_PREFIX =
            ConfigOptions.key("key.fields-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the key columns' names that the key format does not see;"
                                    + " needs 'value.fields-include' = 'EXCEPT_KEY'.");

    public static final ConfigOption<ValueFieldsStrategy> VALUE_FIELDS_INCLUDE =
            ConfigOptions.key("value.fields-include")
                    .enumType(ValueFieldsStrategy.class)
                    .defaultValue(ValueFieldsStrategy.ALL)
                    .withDescription("Which physical columns the value format sees.");

    public static final ConfigOption<ScanStartupMode> SCAN_STARTUP_MODE =
            ConfigOptions.key("scan.startup.mode")
                    .enumType(ScanStartupMode.class)
                    .defaultValue(ScanStartupMode.GROUP_OFFSETS)
                    .withDescription("Where a new job starts reading.");

    public static final ConfigOption<String> SCAN_STARTUP_SPECIFIC_OFFSETS =
            ConfigOptions.key("scan.startup.specific-offsets")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Offsets for 'specific-offsets', e.g."
                                    + " 'partition:0,offset:42;partition:1,offset:300'.");

    public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.startup.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Epoch milliseconds for 'timestamp' startup mode.");

    public static final ConfigOption<ScanBoundedMode> SCAN_BOUNDED_MODE =
            ConfigOptions.key("scan.bounded.mode")
                    .enumType(ScanBoundedMode.class)
                    .defaultValue(ScanBoundedMode.UNBOUNDED)
                    .withDescription("Where a bounded read stops.");

    public static final ConfigOption<String> SCAN_BOUNDED_SPECIFIC_OFFSETS =
            ConfigOptions.key("scan.bounded.specific-offsets")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Stopping offsets for 'specific-offsets' bounded mode.");

    public static final ConfigOption<Long> SCAN_BOUNDED_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.bounded.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Epoch milliseconds for 'timestamp' bounded mode.");

    public static final ConfigOption<Duration> SCAN_TOPIC_PARTITION_DISCOVERY =
            ConfigOptions.key("scan.topic-partition-discovery.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How often new topics and partitions are discovered; 0 disables"
                                    + " discovery. New partitions are read from the earliest"
                                    + " offset.");

    public static final ConfigOption<String> SINK_PARTITIONER =
            ConfigOptions.key("sink.partitioner")
                    .stringType()
                    .defaultValue("default")
                    .withDescription(
                            "'default' (Kafka's partitioner: by key hash, sticky without key),"
                                    + " 'fixed' (each subtask writes to one partition),"
                                    + " 'round-robin', or the class name of a"
                                    + " StreamsPartitioner<RowData>.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withDescription(
                            "The sink's delivery guarantee; 'exactly-once' writes in Kafka"
                                    + " transactions committed on checkpoints and needs"
                                    + " 'sink.transactional-id-prefix'.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("sink.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the Kafka transactional ids; required for"
                                    + " 'exactly-once' and unique per job.");

    public static final ConfigOption<OnLostTransaction> SINK_ON_LOST_TRANSACTION =
            ConfigOptions.key("sink.on-lost-transaction")
                    .enumType(OnLostTransaction.class)
                    .defaultValue(OnLostTransaction.FAIL)
                    .withDescription(
                            "'exactly-once' only: what to do when a Kafka transaction is gone"
                                    + " before its commit (aborted by the broker after"
                                    + " 'properties.transaction.timeout.ms', or fenced), so that"
                                    + " checkpoint's records are lost. 'fail' fails the job,"
                                    + " 'log' logs an error and counts it in the metric"
                                    + " 'numLostTransactions'.");

    public static final ConfigOption<Integer> SINK_BUFFER_FLUSH_MAX_ROWS =
            ConfigOptions.key("sink.buffer-flush.max-rows")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "'upsert-streams' only: buffer up to this many keys, keeping the newest"
                                    + " row per key, before writing; needs"
                                    + " 'sink.buffer-flush.interval'. 0 disables the buffer.");

    public static final ConfigOption<Duration> SINK_BUFFER_FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer-flush.interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "'upsert-streams' only: write the buffered rows at least this often"
                                    + " (and at every checkpoint); needs"
                                    + " 'sink.buffer-flush.max-rows'. 0 disables the buffer.");

    /** Which physical columns the value format sees. */
    @PublicEvolving
    public enum ValueFieldsStrategy implements DescribedEnum {
        ALL("ALL", "All physical columns, including the key columns."),
        EXCEPT_KEY("EXCEPT_KEY", "All physical columns except the key columns.");

        private final String value;
        private final String description;

        ValueFieldsStrategy(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    /** Where a job without state starts reading. */
    @PublicEvolving
    public enum ScanStartupMode implements DescribedEnum {
        EARLIEST_OFFSET("earliest-offset", "From the earliest offset of every partition."),
        LATEST_OFFSET("latest-offset", "From the end of every partition."),
        GROUP_OFFSETS(
                "group-offsets",
                "From the consumer group's committed offsets; 'properties.auto.offset.reset'"
                        + " (default earliest) for partitions without one."),
        TIMESTAMP("timestamp", "From 'scan.startup.timestamp-millis'."),
        SPECIFIC_OFFSETS("specific-offsets", "From 'scan.startup.specific-offsets'.");

        private final String value;
        private final String description;

        ScanStartupMode(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    /** Where a bounded read stops. */
    @PublicEvolving
    public enum ScanBoundedMode implements DescribedEnum {
        UNBOUNDED("unbounded", "Never stop."),
        LATEST_OFFSET("latest-offset", "At the end offsets when a partition is assigned."),
        GROUP_OFFSETS("group-offsets", "At the consumer group's committed offsets."),
        TIMESTAMP("timestamp", "At the first record at or after 'scan.bounded.timestamp-millis'."),
        SPECIFIC_OFFSETS("specific-offsets", "At 'scan.bounded.specific-offsets'.");

        private final String value;
        private final String description;

        ScanBoundedMode(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }
}
