package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.partition.PartitionSpecPattern;
import org.flinkconnectors.odps.sink.OdpsSink;
import org.flinkconnectors.odps.sink.OdpsSinkBuilder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsOverwrite;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SQL sink of the {@code odps} connector: appends a changelog of inserts to a MaxCompute table
 * exactly once, into a static partition ({@code 'partition'} option or {@code INSERT INTO t
 * PARTITION (ds='...')}) or into the partitions named by each row's partition columns. INSERT
 * OVERWRITE (batch) replaces the partitions it writes, each with a single commit. When the table
 * declares a PRIMARY KEY it takes an upsert changelog instead (inserts, update-afters and deletes;
 * update-befores are not needed) and writes it through upsert sessions.
 */
@Internal
final class OdpsDynamicSink implements DynamicTableSink, SupportsPartitioning, SupportsOverwrite {

    private final OdpsTableSettings settings;
    private final RowType consumedType;
    private final List<String> partitionKeys;
    private final List<String> primaryKey;
    private final Map<String, String> staticPartition = new LinkedHashMap<>();
    private boolean overwrite;

    OdpsDynamicSink(
            OdpsTableSettings settings,
            RowType consumedType,
            List<String> partitionKeys,
            List<String> primaryKey) {
        this.settings = settings;
        this.consumedType = consumedType;
        this.partitionKeys = partitionKeys;
        this.primaryKey = primaryKey;
        if (settings.partition != null) {
            PartitionSpecPattern pattern = PartitionSpecPattern.parse(settings.partition);
            pattern.validateKeys(partitionKeys);
            if (!pattern.isStatic()) {
                throw new ValidationException(
                        "Option 'partition' = '"
                                + settings.partition
                                + "' selects partitions to read; writing into "
                                + settings.tablePath()
                                + " needs exact values such as 'ds=20261121'.");
            }
            staticPartition.putAll(pattern.staticPartition(partitionKeys));
        }
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        if (primaryKey.isEmpty()) {
            return ChangelogMode.insertOnly();
        }
        ChangelogMode.Builder upserts = ChangelogMode.newBuilder();
        for (RowKind kind : requestedMode.getContainedKinds()) {
            if (kind != RowKind.UPDATE_BEFORE) {
                upserts.addContainedKind(kind);
            }
        }
        return upserts.build();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        if (overwrite && !context.isBounded()) {
            throw new ValidationException(
                    "INSERT OVERWRITE into MaxCompute table "
                            + settings.tablePath()
                            + " needs a bounded input: each partition is replaced by one commit"
                            + " at the end of the job.");
        }
        String partition = staticPartitionSpec();
        boolean upsert = !primaryKey.isEmpty();
        if (upsert && overwrite) {
            throw new ValidationException(
                    "INSERT OVERWRITE into MaxCompute table "
                            + settings.tablePath()
                            + " with a PRIMARY KEY is not supported: upsert sessions cannot replace"
                            + " a partition. Use INSERT INTO.");
        }
        if (upsert && partition == null && !partitionKeys.isEmpty()) {
            for (String key : partitionKeys) {
                if (!OdpsPrimaryKeys.containsIgnoreCase(primaryKey, key)) {
                    throw new ValidationException(
                            "Upserting into dynamic partitions of MaxCompute table "
                                    + settings.tablePath()
                                    + " needs the partition columns "
                                    + OdpsPrimaryKeys.render(partitionKeys)
                                    + " in the PRIMARY KEY "
                                    + OdpsPrimaryKeys.render(primaryKey)
                                    + ", so that a key's changes stay in one partition; add them"
                                    + " to the key or write into a static partition.");
                }
            }
        }
        OdpsSinkBuilder<org.apache.flink.table.data.RowData> builder =
                OdpsSink.<org.apache.flink.table.data.RowData>builder()
                        .setConnection(settings.connection)
                        .setTable(settings.table)
                        .setPartition(partition)
                        .setOverwrite(overwrite)
                        .setDeliveryGuarantee(settings.deliveryGuarantee)
                        .setUpsert(upsert)
                        .setDynamicPartitionLimit(settings.dynamicPartitionLimit)
                        .setMaxBlockBytes(settings.maxBlockBytes)
                        .setBufferMemory(settings.bufferMemory)
                        .setSerializationSchema(
                                new RowDataRecordSerializer(consumedType, partition));
        if (settings.maxBlockRows > 0) {
            builder.setMaxBlockRows(settings.maxBlockRows);
        }
        if (settings.deliveryGuarantee == DeliveryGuarantee.AT_LEAST_ONCE
                && settings.flushInterval != null) {
            builder.setFlushInterval(settings.flushInterval);
        }
        return SinkV2Provider.of(builder.build(), settings.sinkParallelism);
    }

    /** The full static spec, or null when some partition values come from the rows. */
    private String staticPartitionSpec() {
        if (partitionKeys.isEmpty() || staticPartition.size() < partitionKeys.size()) {
            return null;
        }
        return partitionKeys.stream()
                .map(k -> k + "=" + valueOf(k))
                .collect(Collectors.joining(","));
    }

    private String valueOf(String key) {
        for (Map.Entry<String, String> entry : staticPartition.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        throw new IllegalStateException("No value for partition key " + key);
    }

    @Override
    public void applyStaticPartition(Map<String, String> partition) {
        staticPartition.putAll(partition);
    }

    @Override
    public void applyOverwrite(boolean overwrite) {
        this.overwrite = overwrite;
    }

    @Override
    public DynamicTableSink copy() {
        OdpsDynamicSink copy =
                new OdpsDynamicSink(settings, consumedType, partitionKeys, primaryKey);
        copy.staticPartition.putAll(staticPartition);
        copy.overwrite = overwrite;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return (primaryKey.isEmpty() ? "MaxCompute " : "MaxCompute upsert ") + settings.tablePath();
    }
}
