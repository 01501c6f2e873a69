package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeFormatOptions;
import org.flinkconnectors.lake.source.LakeRewritePolicy;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.table.factories.FactoryUtil;

import java.time.Duration;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * Options of the {@code lake} SQL connector that apply to every format; each format adds its own
 * (e.g. {@code IcebergOptions}, {@code DeltaOptions}), which the other formats reject. Iceberg says
 * snapshot id where Delta says version. Parallelism is Flink's {@code scan.parallelism} and {@code
 * sink.parallelism}; without {@code scan.parallelism}, bounded reads in batch mode infer it ({@link
 * #SCAN_INFER_PARALLELISM}).
 */
@PublicEvolving
public final class LakeConnectorOptions {

    private LakeConnectorOptions() {}

    public static final ConfigOption<String> TABLE_FORMAT = LakeFormatOptions.TABLE_FORMAT;

    /** Iceberg: data files are read in pieces of about this size. */
    public static final ConfigOption<MemorySize> SCAN_SPLIT_SIZE =
            LakeFormatOptions.SCAN_SPLIT_SIZE;

    /** Delta: the memory a sink subtask may buffer rows in. */
    public static final ConfigOption<MemorySize> SINK_BUFFER_MEMORY =
            LakeFormatOptions.SINK_BUFFER_MEMORY;

    // ------------------------------------------------------------------------------------------
    // Where the table is
    // ------------------------------------------------------------------------------------------

    // ------------------------------------------------------------------------------------------
    // Bounded reads: which version (time travel)
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<Long> SCAN_AS_OF_TIMESTAMP =
            ConfigOptions.key("scan.as-of-timestamp")
                    .longType()
                    .noDefaultValue()
                    .withDeprecatedKeys("as-of-timestamp")
                    .withDescription(
                            "Read the snapshot or version that was current at this time (epoch"
                                    + " milliseconds).");

    // ------------------------------------------------------------------------------------------
    // Streaming reads
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<ScanMode> SCAN_MODE =
            ConfigOptions.key("scan.mode")
                    .enumType(ScanMode.class)
                    .defaultValue(ScanMode.BOUNDED)
                    .withDeprecatedKeys("scan.startup.mode")
                    .withDescription(
                            "'bounded' reads one version and ends; the other modes read"
                                    + " continuously, starting as named, then tail later"
                                    + " commits.");

    public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.startup.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDeprecatedKeys("start-snapshot-timestamp")
                    .withDescription(
                            "For 'from-timestamp': rows appended by commits at or after this time"
                                    + " (epoch milliseconds) are read.");

    public static final ConfigOption<Duration> SCAN_MONITOR_INTERVAL =
            ConfigOptions.key("scan.commit-discovery.interval")
                    .durationType()
                    .noDefaultValue()
                    .withDeprecatedKeys("scan.monitor-interval", "monitor-interval")
                    .withDescription("Streaming modes: how often to look for new commits.");

    public static final ConfigOption<LakeRewritePolicy> SCAN_ON_REWRITE =
            ConfigOptions.key("scan.on-rewrite")
                    .enumType(LakeRewritePolicy.class)
                    .noDefaultValue()
                    .withDescription(
                            "Streaming modes: what to do with a commit that deletes or rewrites"
                                    + " rows.");

    public static final ConfigOption<Boolean> SCAN_CHANGELOG =
            ConfigOptions.key("scan.changelog")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Streaming modes: read every row a commit deletes or inserts (updates"
                                    + " as a delete of the old row and an insert of the new one),"
                                    + " not only appended rows. 'earliest' starts with the current"
                                    + " rows as inserts. Each row's changes reach the downstream"
                                    + " operators in commit order; partitions are read in parallel"
                                    + " unless the declared PRIMARY KEY leaves out a partition"
                                    + " column, then one reader reads all changes.");

    public static final ConfigOption<String> LOOKUP_PARTITION =
            ConfigOptions.key("lookup.partition")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Lookup joins with 'lookup.cache' = 'FULL': 'max_pt()' holds only the"
                                    + " partition whose partition path ('day=2026-12-07', by"
                                    + " string order, as MaxCompute's max_pt()) is the greatest;"
                                    + " a commit that writes a newer partition moves the cache to"
                                    + " it. Without it the whole table is held.");

    public static final ConfigOption<Integer> SCAN_MAX_PENDING_SPLITS =
            ConfigOptions.key("scan.max-pending-splits")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Streaming modes: while this many planned splits wait for a reader,"
                                    + " no new commits are planned; planning goes on from where it"
                                    + " stopped once readers take splits.");

    public static final ConfigOption<Boolean> SCAN_INFER_PARALLELISM =
            ConfigOptions.key("scan.infer-parallelism")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Bounded reads in batch execution mode without 'scan.parallelism':"
                                    + " run as many readers as the scan has splits (planned when"
                                    + " the query is), at most 'scan.infer-parallelism.max', and"
                                    + " no more than a pushed-down LIMIT. 'false' leaves the"
                                    + " parallelism to Flink.");

    public static final ConfigOption<Integer> SCAN_INFER_PARALLELISM_MAX =
            ConfigOptions.key("scan.infer-parallelism.max")
                    .intType()
                    .defaultValue(100)
                    .withDescription(
                            "The most readers 'scan.infer-parallelism' runs (at least 1).");

    // ------------------------------------------------------------------------------------------
    // Writes (INSERT INTO); parallelism is Flink's 'sink.parallelism'
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<MemorySize> SINK_TARGET_FILE_SIZE =
            ConfigOptions.key("sink.target-file-size")
                    .memoryType()
                    .noDefaultValue()
                    .withDeprecatedKeys("target-file-size-bytes")
                    .withDescription(
                            "The size at which a writer rolls to a new data file. Default: for"
                                    + " Iceberg the table property"
                                    + " 'write.target-file-size-bytes' (512 mb if not set), for"
                                    + " Delta 128 mb (Delta Kernel's).");

    public static final ConfigOption<SinkDistributionMode> SINK_DISTRIBUTION_MODE =
            ConfigOptions.key("sink.distribution-mode")
                    .enumType(SinkDistributionMode.class)
                    .noDefaultValue()
                    .withDeprecatedKeys("distribution-mode")
                    .withDescription(
                            "How rows reach the writers: 'none' keeps the input's distribution,"
                                    + " 'hash' keys rows by their partition (Iceberg partition"
                                    + " transforms, Delta partition columns) so each partition"
                                    + " is written by one writer. Default: as Iceberg's Flink"
                                    + " sink, the Iceberg table property"
                                    + " 'write.distribution-mode' ('range' counts as 'hash'),"
                                    + " else 'none'. A table with a PRIMARY KEY is always keyed"
                                    + " by the key.");

    /** How the sink distributes rows to its writers. */
    @PublicEvolving
    public enum SinkDistributionMode implements DescribedEnum {
        NONE("none", "Rows stay where they are; every writer may write every partition."),
        HASH("hash", "Rows are keyed by partition; one writer per partition.");

        private final String value;
        private final String description;

        SinkDistributionMode(String value, String description) {
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

    public static final ConfigOption<Boolean> SINK_UPSERT =
            ConfigOptions.key("sink.upsert")
                    .booleanType()
                    .noDefaultValue()
                    .withDeprecatedKeys("upsert-enabled")
                    .withDescription(
                            "Whether writes upsert by the declared PRIMARY KEY (NOT ENFORCED)."
                                    + " Unset: they do when one is declared. 'true' requires one;"
                                    + " 'false' appends even when one is declared.");

    /** Flink's {@code sink.parallelism}, also under Iceberg's connector name. */
    public static final ConfigOption<Integer> SINK_PARALLELISM =
            FactoryUtil.SINK_PARALLELISM.withDeprecatedKeys("write-parallelism");

    public static final ConfigOption<Boolean> SINK_CREATE_TABLE =
            ConfigOptions.key("sink.create-table")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Create the table from the declared columns when an INSERT is planned"
                                    + " and the table does not exist yet: PARTITIONED BY columns"
                                    + " become identity partitions (Iceberg) or partition columns"
                                    + " (Delta); 'format-version', 'write.*', ... and 'delta.*'"
                                    + " options become table properties.");

    /** Whether a read is bounded, and where a streaming read starts. */
    @PublicEvolving
    public enum ScanMode implements DescribedEnum {
        BOUNDED("bounded", "Read one version (the latest or the time-travel one) and end."),
        LATEST("latest", "Read only the rows later commits append."),
        EARLIEST("earliest", "Read the current version in full, then later appends."),
        FROM_SNAPSHOT(
                "from-snapshot",
                "Iceberg: read the rows appended by 'scan.startup.snapshot-id' and later"
                        + " snapshots."),
        FROM_VERSION(
                "from-version",
                "Delta: read the rows appended by 'scan.startup.version' and later versions."),
        FROM_TIMESTAMP(
                "from-timestamp",
                "Read the rows appended by commits at or after 'scan.startup.timestamp-millis'.");

        private final String value;
        private final String description;

        ScanMode(String value, String description) {
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
