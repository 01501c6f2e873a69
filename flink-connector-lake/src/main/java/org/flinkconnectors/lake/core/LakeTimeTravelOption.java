package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Objects;
import java.util.function.Function;

/**
 * A connector option of one format that chooses the version a bounded read takes, e.g. Iceberg's
 * {@code 'scan.snapshot-id'} or Delta's {@code 'scan.version'}.
 */
@PublicEvolving
public record LakeTimeTravelOption(
        ConfigOption<?> option, Function<ReadableConfig, LakeVersionSelector> selector) {

    public LakeTimeTravelOption {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(selector, "selector");
    }

    /** An option whose value is the version itself. */
    public static LakeTimeTravelOption version(ConfigOption<Long> option) {
        return new LakeTimeTravelOption(
                option, options -> LakeVersionSelector.version(options.get(option)));
    }

    /** An option whose value names a reference (a tag or a branch). */
    public static LakeTimeTravelOption ref(ConfigOption<String> option) {
        return new LakeTimeTravelOption(
                option, options -> LakeVersionSelector.ref(options.get(option)));
    }
}
