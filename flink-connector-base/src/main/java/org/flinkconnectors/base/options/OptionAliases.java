package org.flinkconnectors.base.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.table.api.ValidationException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves deprecated aliases of options ({@link ConfigOption#withDeprecatedKeys}), such as the
 * option names of another connector a user migrates from, into the options' own keys. Flink reads
 * an alias only when the option's key is unset, and silently prefers the key when both are set;
 * code that reads raw option maps would miss the alias. After this, every option has one key, and
 * an alias set next to its key with another value fails naming both.
 */
@PublicEvolving
public final class OptionAliases {

    private OptionAliases() {}

    /** The options with each deprecated alias of {@code options} renamed to its option's key. */
    public static Map<String, String> resolve(
            Map<String, String> rawOptions, Collection<ConfigOption<?>> options) {
        Map<String, String> resolved = new LinkedHashMap<>(rawOptions);
        for (ConfigOption<?> option : options) {
            for (FallbackKey alias : option.fallbackKeys()) {
                if (!alias.isDeprecated() || !resolved.containsKey(alias.getKey())) {
                    continue;
                }
                String value = resolved.remove(alias.getKey());
                String own = resolved.putIfAbsent(option.key(), value);
                if (own != null && !own.equals(value)) {
                    throw new ValidationException(
                            String.format(
                                    "Options '%s' = '%s' and '%s' = '%s' mean the same ('%s' is"
                                            + " the deprecated name of '%s'); set only '%s'.",
                                    option.key(),
                                    own,
                                    alias.getKey(),
                                    value,
                                    alias.getKey(),
                                    option.key(),
                                    option.key()));
                }
            }
        }
        return resolved;
    }
}
