package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;

import java.util.List;
import java.util.Objects;

/**
 * How a format names its versions in the connector's vocabulary: Iceberg says snapshot id where
 * Delta says version, in the time-travel options, in the streaming start and in the metadata key.
 *
 * @param metadataKey the metadata column key of the version a row was read from
 * @param startupMode the {@code 'scan.mode'} value that starts a stream at a given version
 * @param startupOption the option that gives that version
 * @param stopOption the option that gives the last version a streaming read reads, which then ends
 * @param timeTravel the options besides {@code 'scan.as-of-timestamp'} that choose the version of a
 *     bounded read
 */
@PublicEvolving
public record LakeVersionNaming(
        String metadataKey,
        String startupMode,
        ConfigOption<Long> startupOption,
        ConfigOption<Long> stopOption,
        List<LakeTimeTravelOption> timeTravel) {

    public LakeVersionNaming {
        Objects.requireNonNull(metadataKey, "metadataKey");
        Objects.requireNonNull(startupMode, "startupMode");
        Objects.requireNonNull(startupOption, "startupOption");
        Objects.requireNonNull(stopOption, "stopOption");
        timeTravel = List.copyOf(timeTravel);
    }
}
