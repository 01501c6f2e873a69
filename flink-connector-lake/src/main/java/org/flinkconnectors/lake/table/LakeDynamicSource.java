package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.lookup.LakeLookupProviders;
import org.flinkconnectors.lake.source.LakeChangeRouting;
import org.flinkconnectors.lake.source.LakeMetadataColumn;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeSourceBuilder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL scan of the {@code lake} connector: a bounded read of one version, or a streaming read of
 * appends (formats that support it). Projection goes to the format's readers, so unread columns are
 * never decoded; filters go to the format's planner, which skips partitions and files by their
 * statistics. Flink still applies every filter to the rows, since pruning is by file.
 *
 * <p>Metadata columns ({@link LakeReadableMetadata}) say which file and version a row came from. A
 * pushed-down {@code LIMIT} stops each reader after that many rows, so later files are never
 * opened; Flink still applies the limit on top. A bounded read in batch mode runs as many readers
 * as it has splits unless told otherwise ({@link LakeParallelismInference}).
 */
@Internal
final class LakeDynamicSource
        implements ScanTableSource,
                LookupTableSource,
                SupportsProjectionPushDown,
                SupportsFilterPushDown,
                SupportsReadingMetadata,
                SupportsLimitPushDown {

    private final LakeTableSettings settings;
    private final RowType declaredType;
    private final boolean batchExecution;
    private RowType physicalType;
    private List<LakePredicate> filters = List.of();
    private List<String> metadataKeys = List.of();
    @Nullable private Long limit;
    private final LakeChangeRouting changeRouting;

    /**
     * @param changeRouting how a changelog read ({@code 'scan.changelog'}) routes changes
     */
    LakeDynamicSource(
            LakeTableSettings settings,
            RowType physicalType,
            boolean batchExecution,
            LakeChangeRouting changeRouting) {
        this.settings = settings;
        this.changeRouting = changeRouting;
        this.declaredType = physicalType;
        this.physicalType = physicalType;
        this.batchExecution = batchExecution;
    }

    /**
     * A changelog read emits a deleted row as a DELETE with all its columns and an updated one as a
     * DELETE of the old row and an INSERT of the new: a retract stream that needs no state
     * downstream to be correct.
     */
    @Override
    public ChangelogMode getChangelogMode() {
        return settings.changelog
                ? ChangelogMode.newBuilder()
                        .addContainedKind(RowKind.INSERT)
                        .addContainedKind(RowKind.DELETE)
                        .build()
                : ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        LakeScanSpec spec = scanSpec();
        LakeSourceBuilder<RowData> builder = LakeSource.builder().table(settings.loader).scan(spec);
        List<LakeMetadataColumn> metadata =
                LakeReadableMetadata.columns(settings.format, metadataKeys);
        if (physicalType.getFieldCount() == 0) {
            builder.metadataColumnsOnly(metadata);
        } else {
            builder.metadataColumns(metadata);
        }
        if (limit != null) {
            builder.limit(limit);
        }
        if (settings.start != null) {
            builder.streaming(settings.start);
            if (settings.monitorInterval != null) {
                builder.monitorInterval(settings.monitorInterval);
            }
            if (settings.onRewrite != null) {
                builder.onRewrite(settings.onRewrite);
            }
            if (settings.maxPendingSplits != null) {
                builder.maxPendingSplits(settings.maxPendingSplits);
            }
            if (settings.changelog) {
                builder.changeRouting(changeRouting);
            }
            if (settings.stopAfterVersion != null) {
                builder.stopAfterVersion(settings.stopAfterVersion);
            }
        }
        try {
            LakeSource<RowData> source = builder.build();
            return SourceProvider.of(
                    source,
                    LakeParallelismInference.parallelism(settings, spec, batchExecution, limit));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    /**
     * A lookup join reads the version the options choose, the latest unless a time-travel option is
     * set, and keeps a cache of it fresh as {@code lookup.*} says.
     */
    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        if (!settings.format.capabilities().contains(LakeCapability.LOOKUP)) {
            throw new ValidationException(
                    String.format(
                            "%s cannot be the dimension table of a lookup join: '%s' tables do"
                                    + " not support lookups.",
                            settings.loader.describe(), settings.format.identifier()));
        }
        if (!metadataKeys.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Metadata columns %s of %s are not available in lookup joins; leave"
                                    + " them out of the query or read the table as a scan.",
                            metadataKeys, settings.loader.describe()));
        }
        int[] keyPositions = new int[context.getKeys().length];
        for (int i = 0; i < keyPositions.length; i++) {
            int[] path = context.getKeys()[i];
            if (path.length != 1) {
                throw new ValidationException(
                        "Lookup keys of " + settings.loader.describe() + " must be top-level.");
            }
            keyPositions[i] = path[0];
        }
        return LakeLookupProviders.create(
                settings.loader,
                lookupSpec(),
                physicalType,
                keyPositions,
                settings.lookup,
                settings.versionOption != null,
                settings.format.capabilities().contains(LakeCapability.CHANGELOG),
                settings.lookupNewestPartition);
    }

    /** The scan's spec without the changelog: a lookup holds the table's rows. */
    private LakeScanSpec lookupSpec() {
        return specBuilder().build();
    }

    /** The version, the columns the query reads, the pushed filters and the split size. */
    private LakeScanSpec scanSpec() {
        return specBuilder().changelog(settings.changelog).build();
    }

    private LakeScanSpec.Builder specBuilder() {
        LakeScanSpec.Builder spec =
                LakeScanSpec.builder().version(settings.version).project(readColumns());
        filters.forEach(spec::filter);
        if (settings.splitSizeBytes != null) {
            spec.splitSizeBytes(settings.splitSizeBytes);
        }
        return spec;
    }

    private List<String> readColumns() {
        List<String> columns = physicalType.getFieldNames();
        if (!columns.isEmpty()) {
            return columns;
        }
        if (metadataKeys.isEmpty() || declaredType.getFieldCount() == 0) {
            throw new ValidationException(
                    "A lake scan needs at least one column; the query reads none of "
                            + settings.loader.describe()
                            + ".");
        }
        // Metadata only: a format reads at least one column; its values are dropped.
        return List.of(declaredType.getFieldNames().get(0));
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        this.physicalType = (RowType) producedDataType.getLogicalType();
    }

    /**
     * Accepts the filters it can translate, for the plan and the cost estimate, yet leaves all of
     * them to Flink: a format only skips files whose statistics exclude every row.
     */
    @Override
    public Result applyFilters(List<ResolvedExpression> offered) {
        List<LakePredicate> translated = new ArrayList<>();
        List<ResolvedExpression> accepted = new ArrayList<>();
        for (ResolvedExpression filter : offered) {
            Optional<LakePredicate> predicate = LakeFilterTranslator.translate(filter);
            if (predicate.isPresent()) {
                translated.add(predicate.get());
                accepted.add(filter);
            }
        }
        this.filters = List.copyOf(translated);
        return Result.of(accepted, offered);
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        return LakeReadableMetadata.of(settings.format);
    }

    /**
     * Flink appends the metadata columns after the physical ones it projected; the physical part is
     * what the format reads.
     */
    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        RowType produced = (RowType) producedDataType.getLogicalType();
        int physicalCount = produced.getFieldCount() - metadataKeys.size();
        this.physicalType =
                new RowType(produced.isNullable(), produced.getFields().subList(0, physicalCount));
        this.metadataKeys = List.copyOf(metadataKeys);
    }

    @Override
    public void applyLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public LakeDynamicSource copy() {
        LakeDynamicSource copy =
                new LakeDynamicSource(settings, declaredType, batchExecution, changeRouting);
        copy.physicalType = physicalType;
        copy.filters = filters;
        copy.metadataKeys = metadataKeys;
        copy.limit = limit;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Lake " + settings.loader.describe();
    }
}
