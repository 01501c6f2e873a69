package org.flinkconnectors.base.testutils;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.table.factories.Factory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Markdown table of a factory's options (key, default, type, description), generated from the
 * {@link ConfigOption}s its {@link Factory#requiredOptions()} and {@link Factory#optionalOptions()}
 * declare: the keys Flink lets a user set. Required keys come first, each group sorted by key.
 */
public final class OptionsTable {

    private static final String HEADER =
            "| key | default | type | description |\n|---|---|---|---|\n";

    private final Set<ConfigOption<?>> required;
    private final Set<ConfigOption<?>> optional;
    private final Map<String, String> notes = new HashMap<>();
    private final Map<String, Object> connectorDefaults = new HashMap<>();

    private OptionsTable(Set<ConfigOption<?>> required, Set<ConfigOption<?>> optional) {
        this.required = required;
        this.optional = optional;
    }

    /** The options {@code factory} validates. */
    public static OptionsTable of(Factory factory) {
        return new OptionsTable(factory.requiredOptions(), factory.optionalOptions());
    }

    /** Puts {@code note} (e.g. "Iceberg only") in front of the option's description. */
    public OptionsTable withNote(ConfigOption<?> option, String note) {
        notes.put(option.key(), note);
        return this;
    }

    /**
     * Documents {@code value} as the option's default: for options the connector reads with a
     * default of its own, e.g. Flink's {@code lookup.cache}, which Flink declares as {@code NONE}.
     */
    public <T> OptionsTable withConnectorDefault(ConfigOption<T> option, T value) {
        connectorDefaults.put(option.key(), value);
        return this;
    }

    /** The table, one line per option, each line ending with a line break. */
    public String render() {
        StringBuilder table = new StringBuilder(HEADER);
        rows().forEach(row -> table.append(row).append('\n'));
        return table.toString();
    }

    private List<String> rows() {
        List<String> rows = new ArrayList<>();
        sorted(required).forEach(option -> rows.add(row(option, "required")));
        sorted(optional).stream()
                .filter(option -> !required.contains(option))
                .forEach(option -> rows.add(row(option, defaultOf(option))));
        return rows;
    }

    private static List<ConfigOption<?>> sorted(Set<ConfigOption<?>> options) {
        return options.stream()
                .sorted(Comparator.comparing(ConfigOption::key))
                .collect(Collectors.toList());
    }

    private String row(ConfigOption<?> option, String defaultCell) {
        return "| "
                + String.join(
                        " | ",
                        cell("`" + option.key() + "`"),
                        cell(defaultCell),
                        cell(OptionValues.typeOf(option)),
                        cell(description(option)))
                + " |";
    }

    private String defaultOf(ConfigOption<?> option) {
        Object value =
                connectorDefaults.containsKey(option.key())
                        ? connectorDefaults.get(option.key())
                        : option.defaultValue();
        if (value == null) {
            return "none";
        }
        String formatted = OptionValues.format(value);
        return formatted.isEmpty() ? "empty" : "`" + formatted + "`";
    }

    private String description(ConfigOption<?> option) {
        StringBuilder description = new StringBuilder();
        if (notes.containsKey(option.key())) {
            description.append("**").append(notes.get(option.key())).append(".** ");
        }
        description.append(MarkdownDescriptionFormatter.toMarkdown(option.description()));
        description.append(enumValues(option));
        description.append(aliases(option, true)).append(aliases(option, false));
        return description.toString().trim();
    }

    /** " Deprecated aliases: `a`, `b`." or " Alias: `c`.", empty without such keys. */
    private static String aliases(ConfigOption<?> option, boolean deprecated) {
        List<String> keys = new ArrayList<>();
        for (FallbackKey fallback : option.fallbackKeys()) {
            if (fallback.isDeprecated() == deprecated) {
                keys.add("`" + fallback.getKey() + "`");
            }
        }
        if (keys.isEmpty()) {
            return "";
        }
        String label =
                (deprecated ? " Deprecated alias" : " Alias") + (keys.size() > 1 ? "es" : "");
        return label + ": " + String.join(", ", keys) + ".";
    }

    /** What each value of a described enum means; plain enums list their values in the type. */
    private static String enumValues(ConfigOption<?> option) {
        Object[] values = enumConstants(option);
        if (values.length == 0 || !(values[0] instanceof DescribedEnum)) {
            return "";
        }
        StringBuilder entries = new StringBuilder();
        for (Object value : values) {
            Description meaning =
                    Description.builder()
                            .text("%s", ((DescribedEnum) value).getDescription())
                            .build();
            entries.append("<br>• `")
                    .append(value)
                    .append("`: ")
                    .append(MarkdownDescriptionFormatter.toMarkdown(meaning));
        }
        return entries.toString();
    }

    private static Object[] enumConstants(ConfigOption<?> option) {
        Class<?> clazz = OptionValues.enumClass(option);
        return clazz == null ? new Object[0] : clazz.getEnumConstants();
    }

    /** One table cell: no line breaks, and a {@code |} of the text does not end the cell. */
    private static String cell(String text) {
        return text.replace("\r", "").replace("\n", " ").replace("|", "\\|");
    }
}
