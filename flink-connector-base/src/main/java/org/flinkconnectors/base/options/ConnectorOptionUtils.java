package org.flinkconnectors.base.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.table.api.ValidationException;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Option helpers shared by the suite's table factories: {@code properties.*} pass-through and
 * validation messages that name the key and the valid values.
 */
@PublicEvolving
public final class ConnectorOptionUtils {

    /** Prefix of options handed to the vendor client unchanged. */
    public static final String PROPERTIES_PREFIX = "properties.";

    private ConnectorOptionUtils() {}

    /** Returns the {@code properties.*} entries of {@code options} with the prefix removed. */
    public static Properties passThroughProperties(Map<String, String> options) {
        Properties properties = new Properties();
        options.forEach(
                (key, value) -> {
                    if (key.startsWith(PROPERTIES_PREFIX)) {
                        properties.setProperty(key.substring(PROPERTIES_PREFIX.length()), value);
                    }
                });
        return properties;
    }

    /** A {@link ValidationException} for an invalid value, listing the valid ones. */
    public static ValidationException invalidValue(
            ConfigOption<?> option, Object value, Collection<?> validValues) {
        return invalidValue(option.key(), value, validValues);
    }

    /** A {@link ValidationException} for an invalid value, listing the valid ones. */
    public static ValidationException invalidValue(
            String key, Object value, Collection<?> validValues) {
        String valid = validValues.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return new ValidationException(
                String.format(
                        "Invalid value '%s' for option '%s'. Valid values are: [%s].",
                        value, key, valid));
    }

    /**
     * Checks the raw value of an enum option before Flink parses it, so that a typo fails with the
     * list of valid values instead of a bare "Invalid value".
     */
    public static <E extends Enum<E>> void validateEnumOption(
            Map<String, String> rawOptions, ConfigOption<E> option, Class<E> enumClass) {
        String raw = rawOptions.get(option.key());
        if (raw == null) {
            return;
        }
        for (E constant : enumClass.getEnumConstants()) {
            if (constant.toString().equalsIgnoreCase(raw)
                    || constant.name().equalsIgnoreCase(raw)) {
                return;
            }
        }
        throw invalidValue(option, raw, Arrays.asList(enumClass.getEnumConstants()));
    }

    /** Lists the values of a described enum as the user writes them in SQL. */
    public static <E extends Enum<E> & DescribedEnum> java.util.List<String> valuesOf(
            Class<E> enumClass) {
        return Arrays.stream(enumClass.getEnumConstants())
                .map(Object::toString)
                .collect(Collectors.toList());
    }

    /**
     * A {@link ValidationException} for an option that is required only in combination with another
     * one.
     */
    public static ValidationException requiredWhen(
            ConfigOption<?> required, ConfigOption<?> trigger, Object triggerValue) {
        return new ValidationException(
                String.format(
                        "Option '%s' is required when '%s' is '%s'.",
                        required.key(), trigger.key(), triggerValue));
    }
}
