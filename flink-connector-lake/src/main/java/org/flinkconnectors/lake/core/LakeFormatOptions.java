package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * The option that chooses the format, and connector options that only some formats take: a format
 * lists those it takes among its {@link LakeFormat#tableOptions()}, the others reject them.
 */
@PublicEvolving
public final class LakeFormatOptions {

    private LakeFormatOptions() {}

    public static final ConfigOption<String> TABLE_FORMAT =
            ConfigOptions.key("table-format")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The table's format: 'iceberg' or 'delta' (any format registered"
                                    + " as a LakeFormat on the class path).");

    public static final ConfigOption<MemorySize> SCAN_SPLIT_SIZE =
            ConfigOptions.key("scan.split-size")
                    .memoryType()
                    .noDefaultValue()
                    .withDeprecatedKeys("split-size")
                    .withDescription(
                            "Data files are read in pieces of about this size. Delta reads"
                                    + " one split per file.");

    public static final ConfigOption<MemorySize> SINK_BUFFER_MEMORY =
            ConfigOptions.key("sink.buffer-memory")
                    .memoryType()
                    .noDefaultValue()
                    .withDescription(
                            "Memory one sink subtask may use for the rows it buffers"
                                    + " over all partitions it writes (a Delta writer buffers a"
                                    + " file's rows before writing it). When the buffers hold"
                                    + " more, the largest is written out as a file at once, so a"
                                    + " subtask writing many partitions stays within this bound"
                                    + " at the cost of smaller files. Counted by the same rough"
                                    + " in-memory estimate that rolls files at"
                                    + " 'sink.target-file-size' (default: that size, 128 MB if"
                                    + " not set).");
}
