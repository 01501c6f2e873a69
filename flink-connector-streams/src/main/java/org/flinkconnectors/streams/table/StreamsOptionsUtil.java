package org.flinkconnectors.streams.table;

import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.streams.sink.partitioner.FixedPartitioner;
import org.flinkconnectors.streams.sink.partitioner.RoundRobinPartitioner;
import org.flinkconnectors.streams.sink.partitioner.StreamsPartitioner;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetResetStrategy;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.table.StreamsConnectorOptions.ScanBoundedMode;
import org.flinkconnectors.streams.table.StreamsConnectorOptions.ScanStartupMode;
import org.flinkconnectors.streams.table.StreamsConnectorOptions.ValueFieldsStrategy;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.apache.flink.util.InstantiationUtil;

import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.IntStream;

import static org.flinkconnectors.streams.table.StreamsConnectorOptions.KEY_FIELDS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.KEY_FIELDS_PREFIX;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_BOUNDED_MODE;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_BOUNDED_SPECIFIC_OFFSETS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_STARTUP_MODE;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.SINK_PARTITIONER;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.TOPIC;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.TOPIC_PATTERN;
import static org.flinkconnectors.streams.table.StreamsConnectorOptions.VALUE_FIELDS_INCLUDE;

/** Turns validated table options into source and sink settings, with errors naming the option. */
@Internal
final class StreamsOptionsUtil {

    private static final Pattern OFFSET_ENTRY =
            Pattern.compile("\\s*partition\\s*:\\s*(\\d+)\\s*,\\s*offset\\s*:\\s*(\\d+)\\s*");

    private StreamsOptionsUtil() {}

    /** Reads an enum option, turning Flink's parse error into one that lists the values. */
    static <E extends Enum<E>> E enumOption(
            ReadableConfig options, ConfigOption<E> option, Class<E> type) {
        try {
            return options.get(option);
        } catch (IllegalArgumentException e) {
            String raw = options.toMap().get(option.key());
            ValidationException error =
                    ConnectorOptionUtils.invalidValue(
                            option, raw, Arrays.asList(type.getEnumConstants()));
            error.initCause(e);
            throw error;
        }
    }

    static void validateTopics(ReadableConfig options, boolean isSink) {
        boolean hasTopics = options.getOptional(TOPIC).map(t -> !t.isEmpty()).orElse(false);
        boolean hasPattern = options.getOptional(TOPIC_PATTERN).isPresent();
        if (hasTopics && hasPattern) {
            throw new ValidationException(
                    "Options 'topic' and 'topic-pattern' are exclusive; set only one of them.");
        }
        if (isSink && hasPattern) {
            throw new ValidationException(
                    "Option 'topic-pattern' is only for reading; a sink takes 'topic' or the"
                            + " 'topic' metadata column.");
        }
        options.getOptional(TOPIC_PATTERN)
                .ifPresent(
                        pattern -> {
                            try {
                                Pattern.compile(pattern);
                            } catch (PatternSyntaxException e) {
                                throw new ValidationException(
                                        "Option 'topic-pattern' is not a valid regular"
                                                + " expression: "
                                                + e.getDescription(),
                                        e);
                            }
                        });
    }

    static OffsetsInitializer startingOffsets(
            ReadableConfig options, ScanStartupMode mode, Properties consumer) {
        switch (mode) {
            case EARLIEST_OFFSET:
                return OffsetsInitializer.earliest();
            case LATEST_OFFSET:
                return OffsetsInitializer.latest();
            case GROUP_OFFSETS:
                return OffsetsInitializer.committedOffsets(resetStrategy(consumer));
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(
                        required(options, SCAN_STARTUP_TIMESTAMP_MILLIS, SCAN_STARTUP_MODE, mode));
            case SPECIFIC_OFFSETS:
                return OffsetsInitializer.offsets(
                        specificOffsets(
                                options,
                                required(
                                        options,
                                        SCAN_STARTUP_SPECIFIC_OFFSETS,
                                        SCAN_STARTUP_MODE,
                                        mode)),
                        resetStrategy(consumer));
            default:
                throw new IllegalArgumentException("Unknown startup mode " + mode);
        }
    }

    @Nullable
    static OffsetsInitializer stoppingOffsets(ReadableConfig options, ScanBoundedMode mode) {
        switch (mode) {
            case UNBOUNDED:
                return null;
            case LATEST_OFFSET:
                return OffsetsInitializer.latest();
            case GROUP_OFFSETS:
                return OffsetsInitializer.committedOffsets();
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(
                        required(options, SCAN_BOUNDED_TIMESTAMP_MILLIS, SCAN_BOUNDED_MODE, mode));
            case SPECIFIC_OFFSETS:
                return OffsetsInitializer.offsets(
                        specificOffsets(
                                options,
                                required(
                                        options,
                                        SCAN_BOUNDED_SPECIFIC_OFFSETS,
                                        SCAN_BOUNDED_MODE,
                                        mode)),
                        OffsetResetStrategy.LATEST);
            default:
                throw new IllegalArgumentException("Unknown bounded mode " + mode);
        }
    }

    private static OffsetResetStrategy resetStrategy(Properties consumer) {
        String reset = consumer.getProperty("auto.offset.reset", "earliest");
        for (OffsetResetStrategy strategy : OffsetResetStrategy.values()) {
            if (strategy.kafkaValue().equalsIgnoreCase(reset)) {
                return strategy;
            }
        }
        throw ConnectorOptionUtils.invalidValue(
                "properties.auto.offset.reset", reset, List.of("earliest", "latest", "none"));
    }

    private static <T> T required(
            ReadableConfig options, ConfigOption<T> option, ConfigOption<?> mode, Object value) {
        return options.getOptional(option)
                .orElseThrow(() -> ConnectorOptionUtils.requiredWhen(option, mode, value));
    }

    /** Parses {@code partition:0,offset:42;partition:1,offset:300} for the single topic. */
    private static Map<TopicPartition, Long> specificOffsets(ReadableConfig options, String spec) {
        List<String> topics = options.getOptional(TOPIC).orElse(List.of());
        if (topics.size() != 1) {
            throw new ValidationException(
                    "Specific offsets need exactly one topic in option 'topic'.");
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (String entry : spec.split(";")) {
            var matcher = OFFSET_ENTRY.matcher(entry);
            if (!matcher.matches()) {
                throw new ValidationException(
                        String.format(
                                "Invalid specific offsets '%s': expected"
                                        + " 'partition:<int>,offset:<long>' entries separated by"
                                        + " ';', e.g. 'partition:0,offset:42;partition:1,offset:300'.",
                                spec));
            }
            offsets.put(
                    new TopicPartition(topics.get(0), Integer.parseInt(matcher.group(1))),
                    Long.parseLong(matcher.group(2)));
        }
        return offsets;
    }

    @Nullable
    static StreamsPartitioner<RowData> partitioner(ReadableConfig options, ClassLoader loader) {
        String name = options.get(SINK_PARTITIONER);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "default":
                return null;
            case "fixed":
                return new FixedPartitioner<>();
            case "round-robin":
                return new RoundRobinPartitioner<>();
            default:
                return customPartitioner(name, loader);
        }
    }

    @SuppressWarnings("unchecked")
    private static StreamsPartitioner<RowData> customPartitioner(String name, ClassLoader loader) {
        Supplier<ValidationException> invalid =
                () ->
                        ConnectorOptionUtils.invalidValue(
                                SINK_PARTITIONER,
                                name,
                                List.of(
                                        "default",
                                        "fixed",
                                        "round-robin",
                                        "<class implementing "
                                                + StreamsPartitioner.class.getName()
                                                + ">"));
        try {
            Class<?> clazz = Class.forName(name, true, loader);
            if (!StreamsPartitioner.class.isAssignableFrom(clazz)) {
                throw invalid.get();
            }
            return (StreamsPartitioner<RowData>) InstantiationUtil.instantiate(clazz);
        } catch (ClassNotFoundException | RuntimeException e) {
            if (e instanceof ValidationException) {
                throw (ValidationException) e;
            }
            ValidationException error = invalid.get();
            error.initCause(e);
            throw error;
        }
    }

    /** Positions of the key columns in the physical row, in 'key.fields' order. */
    static int[] keyProjection(ReadableConfig options, DataType physicalType) {
        List<String> keyFields = options.get(KEY_FIELDS);
        List<String> names = org.apache.flink.table.types.DataType.getFieldNames(physicalType);
        String prefix = options.getOptional(KEY_FIELDS_PREFIX).orElse("");
        return keyFields.stream()
                .mapToInt(
                        field -> {
                            int pos = names.indexOf(field);
                            if (pos < 0) {
                                throw new ValidationException(
                                        String.format(
                                                "Column '%s' of option 'key.fields' is not a"
                                                        + " physical column. Physical columns:"
                                                        + " %s.",
                                                field, names));
                            }
                            if (!field.startsWith(prefix)) {
                                throw new ValidationException(
                                        String.format(
                                                "Key column '%s' does not start with the"
                                                        + " 'key.fields-prefix' '%s'.",
                                                field, prefix));
                            }
                            return pos;
                        })
                .toArray();
    }

    /** Positions of the value columns in the physical row. */
    static int[] valueProjection(ReadableConfig options, DataType physicalType, int[] keyFields) {
        int arity = LogicalTypeChecks.getFieldCount(physicalType.getLogicalType());
        ValueFieldsStrategy strategy =
                enumOption(options, VALUE_FIELDS_INCLUDE, ValueFieldsStrategy.class);
        if (options.getOptional(KEY_FIELDS_PREFIX).filter(p -> !p.isEmpty()).isPresent()
                && strategy != ValueFieldsStrategy.EXCEPT_KEY) {
            throw new ValidationException(
                    "Option 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY'.");
        }
        if (strategy == ValueFieldsStrategy.ALL) {
            return IntStream.range(0, arity).toArray();
        }
        return IntStream.range(0, arity)
                .filter(pos -> Arrays.stream(keyFields).noneMatch(k -> k == pos))
                .toArray();
    }

    /** The key's row type as the key format sees it: column names without the key prefix. */
    static DataType stripPrefix(DataType rowType, String prefix) {
        if (prefix.isEmpty()) {
            return rowType;
        }
        List<String> names = DataType.getFieldNames(rowType);
        List<DataType> types = DataType.getFieldDataTypes(rowType);
        DataTypes.Field[] fields = new DataTypes.Field[names.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = DataTypes.FIELD(names.get(i).substring(prefix.length()), types.get(i));
        }
        DataType stripped = DataTypes.ROW(fields);
        return rowType.getLogicalType().isNullable() ? stripped : stripped.notNull();
    }
}
