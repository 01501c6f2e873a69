package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.odps.source.PartitionChangePolicy;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.connector.source.lookup.LookupOptions;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * Options of the {@code odps} SQL connector and the {@code odps} catalog.
 *
 * <p>Parallelism comes from {@link org.apache.flink.table.factories.FactoryUtil#SOURCE_PARALLELISM}
 * and {@link org.apache.flink.table.factories.FactoryUtil#SINK_PARALLELISM}; lookup caching and
 * retries from Flink's {@link LookupOptions} (see {@link #lookupOptions()}). Neither is redeclared
 * here. There is deliberately no {@code sink.overwrite}: {@code INSERT OVERWRITE} asks for it.
 *
 * <p>Deprecated keys are the names of Alibaba Cloud's MaxCompute connector (Realtime Compute for
 * Apache Flink) where the option means the same and takes the same values, so that its DDL works
 * with only the connector changed; its options whose values need translating are in {@link
 * OdpsMigrationOptions}.
 */
@PublicEvolving
public final class OdpsConnectorOptions {

    private OdpsConnectorOptions() {}

    /** Environment variable holding the access key id when {@link #ACCESS_ID} is not set. */
    public static final String ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID";

    /** Environment variable holding the access key secret when {@link #ACCESS_KEY} is not set. */
    public static final String ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";

    /** Environment variable holding the STS token when {@link #STS_TOKEN} is not set. */
    public static final String ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN";

    // ------------------------------------------------------------------------------------------
    // Connection
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<String> ENDPOINT =
            ConfigOptions.key("endpoint")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("endPoint")
                    .withDescription(
                            "MaxCompute service endpoint, e.g."
                                    + " 'http://service.cn-hangzhou.maxcompute.aliyun.com/api'.");

    public static final ConfigOption<String> TUNNEL_ENDPOINT =
            ConfigOptions.key("tunnel-endpoint")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("tunnelEndpoint")
                    .withDescription(
                            "Tunnel service endpoint used for reading and writing rows. When not"
                                    + " set, the SDK asks the service endpoint for the project's"
                                    + " tunnel endpoint.");

    public static final ConfigOption<String> PROJECT =
            ConfigOptions.key("project")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("MaxCompute project that holds the table.");

    public static final ConfigOption<String> SCHEMA =
            ConfigOptions.key("schema")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("schemaName")
                    .withDescription(
                            "Schema inside the project, for projects that use the three-tier"
                                    + " model (project.schema.table). When not set, the"
                                    + " project's default schema is used.");

    public static final ConfigOption<String> TABLE =
            ConfigOptions.key("table")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("tableName", "tablename")
                    .withDescription("MaxCompute table to read from or write to.");

    public static final ConfigOption<String> ACCESS_ID =
            ConfigOptions.key("access-id")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("accessId", "accessid")
                    .withDescription(
                            "AccessKey id. When neither 'access-id' nor 'access-key' is set, the"
                                    + " credentials come from the environment variables "
                                    + ENV_ACCESS_KEY_ID
                                    + ", "
                                    + ENV_ACCESS_KEY_SECRET
                                    + " and (optionally) "
                                    + ENV_SECURITY_TOKEN
                                    + "; the two sources are never mixed.");

    public static final ConfigOption<String> ACCESS_KEY =
            ConfigOptions.key("access-key")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("accessKey", "accesskey")
                    .withDescription(
                            "AccessKey secret; falls back to "
                                    + ENV_ACCESS_KEY_SECRET
                                    + " together with 'access-id'. Never printed.");

    public static final ConfigOption<String> STS_TOKEN =
            ConfigOptions.key("sts-token")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Security token of temporary STS credentials; needs 'access-id' and"
                                    + " 'access-key' of the same STS grant. Falls back to "
                                    + ENV_SECURITY_TOKEN
                                    + " when the credentials come from the environment. Never"
                                    + " printed.");

    public static final ConfigOption<Integer> CLIENT_MAX_RETRIES =
            ConfigOptions.key("client.max-retries")
                    .intType()
                    .defaultValue(5)
                    .withDeprecatedKeys("retryTimes")
                    .withDescription(
                            "How often a failed request to MaxCompute is retried before the job"
                                    + " fails: 5xx, 429 and I/O errors of metadata calls, tunnel"
                                    + " sessions, uploaded blocks and commits, and for upsert"
                                    + " sinks also a refused connection or an unanswered send of"
                                    + " buffered changes. Answers that name a user error (4xx)"
                                    + " fail at once. 0 disables retries.");

    public static final ConfigOption<Duration> CLIENT_RETRY_BACKOFF =
            ConfigOptions.key("client.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDeprecatedKeys("sleepMillis")
                    .withDescription(
                            "Pause before the first retry; the connector doubles it on every"
                                    + " further retry, up to 30 s or this value if larger. The"
                                    + " SDK's own retries wait this long, rounded up to whole"
                                    + " seconds.");

    public static final ConfigOption<Duration> CLIENT_TIMEOUT =
            ConfigOptions.key("client.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(120))
                    .withDescription(
                            "Connect and read timeout of every HTTP request to the service and"
                                    + " the tunnel, rounded up to whole seconds. The default is"
                                    + " the SDK's own read timeout.");

    // ------------------------------------------------------------------------------------------
    // Partitions
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<String> PARTITION =
            ConfigOptions.key("partition")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Partition(s) to read or the static partition to write, e.g."
                                    + " 'ds=20260101,hh=00' (',' or '/' between levels). For"
                                    + " reading, values may contain '*' wildcards"
                                    + " ('ds=2026*'), omitted keys match every value, ';'"
                                    + " separates alternatives, and the whole value may be"
                                    + " 'max_pt()' (the greatest partition) or"
                                    + " 'max_pt_with_done()' (the greatest partition that has a"
                                    + " '<value>.done' sibling). Not set: every partition.");

    // ------------------------------------------------------------------------------------------
    // Scan
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<Long> SCAN_SPLIT_ROWS =
            ConfigOptions.key("scan.split-rows")
                    .longType()
                    .defaultValue(1_000_000L)
                    // The former name; 'lake' has a 'scan.split-size' in bytes.
                    .withDeprecatedKeys("scan.split-size")
                    .withDescription(
                            "Rows per split: a partition (or table) is read as ranges of this many"
                                    + " rows of one tunnel download session. One million rows"
                                    + " (roughly 100-500 MB) keeps the number of splits and"
                                    + " requests small for large tables while still spreading a"
                                    + " partition of a few million rows over several readers.");

    public static final ConfigOption<Duration> SCAN_PARTITION_DISCOVERY_INTERVAL =
            ConfigOptions.key("scan.partition-discovery.interval")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "How often new partitions matching 'partition' are looked for. Not"
                                    + " set: a bounded scan of the partitions that exist when"
                                    + " the job starts. Set: an unbounded scan that also reads"
                                    + " partitions created later.");

    public static final ConfigOption<PartitionChangePolicy> SCAN_ON_PARTITION_CHANGE =
            ConfigOptions.key("scan.on-partition-change")
                    .enumType(PartitionChangePolicy.class)
                    .defaultValue(PartitionChangePolicy.FAIL)
                    .withDescription(
                            "Unbounded scans: what to do when a partition already read changed"
                                    + " other than by appended rows (overwritten with fewer or"
                                    + " more rows, truncated, merged), detected from its row count"
                                    + " and its first and last read rows. 'fail' fails the job"
                                    + " naming table, partition and what changed; 'reread' reads"
                                    + " the partition's new contents again from the first row,"
                                    + " so rows already emitted from it are emitted again.");

    public static final ConfigOption<ScanFormat> SCAN_FORMAT =
            ConfigOptions.key("scan.format")
                    .enumType(ScanFormat.class)
                    .defaultValue(ScanFormat.RECORD)
                    .withDescription("Wire format of tunnel downloads.");

    public static final ConfigOption<Integer> SCAN_MAX_PARTITIONS =
            ConfigOptions.key("scan.max-partitions")
                    .intType()
                    .defaultValue(1000)
                    .withDeprecatedKeys("maxPartitionCount")
                    .withDescription(
                            "Upper bound on the number of partitions one scan may select, so that"
                                    + " a missing or too wide 'partition' or filter fails fast"
                                    + " instead of reading a whole history. 0 or less disables"
                                    + " the check.");

    // ------------------------------------------------------------------------------------------
    // Sink
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<DeliveryGuarantee> SINK_DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
                    .withDescription(
                            "'exactly-once' (upload sessions are committed after the checkpoint"
                                    + " completes) or 'at-least-once'. 'none' is not supported.");

    public static final ConfigOption<Integer> SINK_DYNAMIC_PARTITION_LIMIT =
            ConfigOptions.key("sink.dynamic-partition.limit")
                    .intType()
                    .defaultValue(100)
                    .withDeprecatedKeys("dynamicPartitionLimit")
                    .withDescription(
                            "Maximum number of partitions one sink subtask writes between two"
                                    + " checkpoints when partition values come from the rows."
                                    + " Every open partition holds an upload session and an"
                                    + " HTTP connection; exceeding the limit fails the job.");

    public static final ConfigOption<Integer> SINK_BUFFER_FLUSH_MAX_ROWS =
            ConfigOptions.key("sink.buffer-flush.max-rows")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "Upload the buffered rows of a partition as one block after this"
                                    + " many rows. 0: no row limit; blocks are sent by size and at"
                                    + " checkpoints.");

    public static final ConfigOption<MemorySize> SINK_BUFFER_FLUSH_MAX_SIZE =
            ConfigOptions.key("sink.buffer-flush.max-size")
                    .memoryType()
                    .defaultValue(MemorySize.parse("64mb"))
                    .withDeprecatedKeys("batchSize")
                    .withDescription(
                            "Upload the buffered rows of a partition as one block once they take"
                                    + " this many bytes (memory per open partition). Each block"
                                    + " becomes a file in MaxCompute, so small blocks make many"
                                    + " small files; the SDK recommends 64 MB.");

    public static final ConfigOption<MemorySize> SINK_BUFFER_MEMORY =
            ConfigOptions.key("sink.buffer-memory")
                    .memoryType()
                    .defaultValue(MemorySize.parse("64mb"))
                    .withDescription(
                            "Memory one sink subtask may use for the rows it buffers over all"
                                    + " partitions it writes. When the buffers hold more, the"
                                    + " largest is uploaded as a block at once, so a subtask"
                                    + " writing many partitions stays within this bound instead"
                                    + " of 'sink.buffer-flush.max-size' per partition. Counted"
                                    + " as the encoded (compressed) bytes of the buffered rows,"
                                    + " an estimate (for upsert tables from the values written);"
                                    + " the heap used can be up to twice that. A budget below"
                                    + " 'sink.buffer-flush.max-size' makes blocks, and files in"
                                    + " MaxCompute, smaller.");

    public static final ConfigOption<Duration> SINK_BUFFER_FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer-flush.interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDeprecatedKeys("flushIntervalMs")
                    .withDescription(
                            "At-least-once only: commit the buffered rows at least this often,"
                                    + " not just at checkpoints, so they become visible sooner."
                                    + " Exactly-once commits at checkpoints. 0 disables the"
                                    + " timer.");

    /** The options a catalog needs as well as a table: where and as whom to connect. */
    public static Set<ConfigOption<?>> connectionOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(ENDPOINT);
        options.add(TUNNEL_ENDPOINT);
        options.add(PROJECT);
        options.add(SCHEMA);
        options.add(ACCESS_ID);
        options.add(ACCESS_KEY);
        options.add(STS_TOKEN);
        options.add(CLIENT_MAX_RETRIES);
        options.add(CLIENT_RETRY_BACKOFF);
        options.add(CLIENT_TIMEOUT);
        return options;
    }

    /**
     * Flink's own lookup options that the {@code odps} lookup source understands. Unlike Flink's
     * default, {@code lookup.cache} defaults to {@code FULL} here (MaxCompute has no point reads),
     * reloaded hourly unless {@code lookup.full-cache.*} says otherwise; see {@link
     * LookupCacheSettings}.
     */
    public static Set<ConfigOption<?>> lookupOptions() {
        return LookupCacheSettings.options();
    }

    /** Wire format of tunnel downloads. */
    @PublicEvolving
    public enum ScanFormat implements DescribedEnum {
        RECORD("record", "Row-oriented tunnel records; works for every table."),
        ARROW(
                "arrow",
                "Apache Arrow record batches, turned into rows column by column; scalar column"
                        + " types only (no ARRAY, MAP or STRUCT).");

        private final String value;
        private final String description;

        ScanFormat(String value, String description) {
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
