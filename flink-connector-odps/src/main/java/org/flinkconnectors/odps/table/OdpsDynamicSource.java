package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.lookup.OdpsLookupProviders;
import org.flinkconnectors.odps.lookup.OdpsLookupTable;
import org.flinkconnectors.odps.partition.PartitionFilterTranslator;
import org.flinkconnectors.odps.partition.PartitionPredicate;
import org.flinkconnectors.odps.partition.PartitionSpecPattern;
import org.flinkconnectors.odps.source.OdpsSource;
import org.flinkconnectors.odps.source.OdpsSourceBuilder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL scan of the {@code odps} connector: bounded, or unbounded with partition discovery; and
 * the dimension side of lookup joins (see {@link OdpsLookupProviders}). Projection goes into the
 * tunnel's column list, filters on partition columns and the {@code 'partition'} option prune
 * partitions before any download session is opened, and a LIMIT stops the readers early.
 */
@Internal
final class OdpsDynamicSource
        implements ScanTableSource,
                LookupTableSource,
                SupportsProjectionPushDown,
                SupportsFilterPushDown,
                SupportsLimitPushDown {

    private final OdpsTableSettings settings;
    private final RowType physicalType;
    private final List<String> partitionKeys;
    private RowType producedType;
    @Nullable private PartitionPredicate predicate;
    private long limit = -1;

    OdpsDynamicSource(
            OdpsTableSettings settings, RowType physicalType, List<String> partitionKeys) {
        this.settings = settings;
        this.physicalType = physicalType;
        this.partitionKeys = partitionKeys;
        this.producedType = physicalType;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        OdpsSourceBuilder<RowData> builder =
                OdpsSource.<RowData>builder()
                        .setConnection(settings.connection)
                        .setTable(settings.table)
                        .setColumns(dataColumns())
                        .setPartitionSelector(partitionSelector(settings.discoveryInterval == null))
                        .setSplitRows(settings.splitRows)
                        .setDiscoveryInterval(settings.discoveryInterval)
                        .setPartitionChangePolicy(settings.partitionChangePolicy)
                        .setArrowDownloads(
                                settings.scanFormat == OdpsConnectorOptions.ScanFormat.ARROW)
                        .setDeserializer(
                                new RowDataRecordDeserializer(
                                        producedType,
                                        context.createTypeInformation(DataTypes.of(producedType))));
        if (limit >= 0) {
            builder.setLimit(limit);
        }
        return SourceProvider.of(builder.build(), settings.sourceParallelism);
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        int[] keyPositions = new int[context.getKeys().length];
        for (int i = 0; i < keyPositions.length; i++) {
            keyPositions[i] = context.getKeys()[i][0];
        }
        OdpsLookupTable table =
                new OdpsLookupTable(
                        settings.connection,
                        settings.table,
                        partitionSelector(false),
                        producedType,
                        dataColumns(),
                        settings.splitRows,
                        settings.lookup.maxRetries());
        return OdpsLookupProviders.create(table, settings.lookup, keyPositions);
    }

    /**
     * @param requireNamedPartition whether an exact {@code 'partition'} that does not exist is an
     *     error (bounded scans) rather than nothing to read yet (discovery, lookup reloads)
     */
    private TablePartitionSelector partitionSelector(boolean requireNamedPartition) {
        return new TablePartitionSelector(
                settings.partition == null ? null : PartitionSpecPattern.parse(settings.partition),
                predicate,
                partitionKeys,
                settings.maxPartitions,
                requireNamedPartition);
    }

    /** The data columns to download: the projected non-partition fields (at least one). */
    private List<String> dataColumns() {
        List<String> columns = new ArrayList<>();
        for (String field : producedType.getFieldNames()) {
            if (!isPartitionKey(field)) {
                columns.add(field);
            }
        }
        if (columns.isEmpty()) {
            // Only partition columns (or none, e.g. COUNT(*)) are needed: download the narrowest.
            for (String field : physicalType.getFieldNames()) {
                if (!isPartitionKey(field)) {
                    columns.add(field);
                    break;
                }
            }
        }
        return columns;
    }

    private boolean isPartitionKey(String field) {
        return partitionKeys.stream().anyMatch(k -> k.equalsIgnoreCase(field));
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        this.producedType = (RowType) producedDataType.getLogicalType();
    }

    @Override
    public Result applyFilters(List<ResolvedExpression> filters) {
        Map<String, LogicalType> partitionColumns = new LinkedHashMap<>();
        for (RowType.RowField field : physicalType.getFields()) {
            if (isPartitionKey(field.getName())) {
                partitionColumns.put(field.getName(), field.getType());
            }
        }
        PartitionFilterTranslator.Result result =
                PartitionFilterTranslator.translate(filters, partitionColumns);
        this.predicate = result.predicate().orElse(null);
        return Result.of(result.accepted(), result.remaining());
    }

    @Override
    public void applyLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public OdpsDynamicSource copy() {
        OdpsDynamicSource copy = new OdpsDynamicSource(settings, physicalType, partitionKeys);
        copy.producedType = producedType;
        copy.predicate = predicate;
        copy.limit = limit;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "MaxCompute " + settings.tablePath();
    }
}
