package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@code 'table-format' = 'delta'} tables of the {@code lake} connector. */
@PublicEvolving
public final class DeltaOptions {

    private DeltaOptions() {}

    public static final ConfigOption<String> PATH =
            ConfigOptions.key("path")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("table-path")
                    .withDescription("The table's directory or URI; required.");

    public static final ConfigOption<Long> SCAN_VERSION =
            ConfigOptions.key("scan.version")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Read this table version instead of the latest.");

    public static final ConfigOption<Long> SCAN_STARTUP_VERSION =
            ConfigOptions.key("scan.startup.version")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "For 'from-version': the first version whose appended"
                                    + " rows are read.");

    public static final ConfigOption<Long> SCAN_END_VERSION =
            ConfigOptions.key("scan.end-version")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Streaming modes that start at a version or a time: the last"
                                    + " version read; the read then ends (bounded), e.g. the"
                                    + " changes between two versions with 'scan.changelog'.");
}
