package org.flinkconnectors.base.testutils;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The type of a {@link ConfigOption} and its values as a user writes them in a WITH clause. */
final class OptionValues {

    private OptionValues() {}

    /** E.g. {@code Duration}, {@code `List<String>`} or {@code Enum: `fail`, `reread`}. */
    static String typeOf(ConfigOption<?> option) {
        Class<?> clazz = valueClass(option);
        if (isList(option)) {
            // In backticks: GitHub would drop "<String>" as an HTML tag.
            return "`List<" + clazz.getSimpleName() + ">`";
        }
        if (clazz.isEnum()) {
            return "Enum: "
                    + Arrays.stream(clazz.getEnumConstants())
                            .map(value -> "`" + value + "`")
                            .collect(Collectors.joining(", "));
        }
        return clazz.getSimpleName();
    }

    /** The enum class of a single-valued enum option, else null. */
    static Class<?> enumClass(ConfigOption<?> option) {
        Class<?> clazz = valueClass(option);
        return clazz.isEnum() && !isList(option) ? clazz : null;
    }

    /**
     * A value as Flink parses it back: durations and memory sizes with their highest whole unit,
     * enum constants by their {@code toString()}, lists {@code ;}-separated, maps as {@code
     * k:v,...}.
     */
    static String format(Object value) {
        if (value instanceof Duration) {
            return TimeUtils.formatWithHighestUnit((Duration) value);
        }
        if (value instanceof MemorySize) {
            return value.toString();
        }
        if (value instanceof List) {
            return ((List<?>) value)
                    .stream().map(OptionValues::format).collect(Collectors.joining(";"));
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value)
                    .entrySet().stream()
                            .map(entry -> format(entry.getKey()) + ":" + format(entry.getValue()))
                            .collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    // ConfigOption keeps its value class and list flag package-private; Flink's own docs
    // generator reads them from inside the package.
    private static Class<?> valueClass(ConfigOption<?> option) {
        return (Class<?>) invoke(option, "getClazz");
    }

    private static boolean isList(ConfigOption<?> option) {
        return (Boolean) invoke(option, "isList");
    }

    private static Object invoke(ConfigOption<?> option, String method) {
        try {
            Method accessor = ConfigOption.class.getDeclaredMethod(method);
            accessor.setAccessible(true);
            return accessor.invoke(option);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flink's ConfigOption has no " + method + "()", e);
        }
    }
}
