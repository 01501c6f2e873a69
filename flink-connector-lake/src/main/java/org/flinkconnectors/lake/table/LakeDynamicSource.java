package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeSourceBuilder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL scan of the {@code lake} connector: a bounded read of one version, or a streaming read of
 * appends (formats that support it). Projection goes to the format's readers, so unread columns are
 * never decoded; filters go to the format's planner, which skips partitions and files by their
 * statistics. Flink still applies every filter to the rows, since pruning is by file.
 *
 * <p>There is no limit push-down: the source has no way yet to stop its readers early, and Flink's
 * own limit operator ends a bounded job once it has enough rows.
 */
@Internal
final class LakeDynamicSource
        implements ScanTableSource, SupportsProjectionPushDown, SupportsFilterPushDown {

    private final LakeTableSettings settings;
    private RowType producedType;
    private List<LakePredicate> filters = List.of();

    LakeDynamicSource(LakeTableSettings settings, RowType physicalType) {
        this.settings = settings;
        this.producedType = physicalType;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        LakeSourceBuilder<RowData> builder =
                LakeSource.builder().table(settings.loader).scan(scanSpec());
        if (settings.start != null) {
            builder.streaming(settings.start);
            if (settings.monitorInterval != null) {
                builder.monitorInterval(settings.monitorInterval);
            }
            if (settings.onRewrite != null) {
                builder.onRewrite(settings.onRewrite);
            }
        }
        try {
            return SourceProvider.of(builder.build(), settings.parallelism);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    /** The version, the columns the query reads, the pushed filters and the split size. */
    private LakeScanSpec scanSpec() {
        LakeScanSpec.Builder spec =
                LakeScanSpec.builder().version(settings.version).project(readColumns());
        filters.forEach(spec::filter);
        if (settings.splitSizeBytes != null) {
            spec.splitSizeBytes(settings.splitSizeBytes);
        }
        return spec.build();
    }

    private List<String> readColumns() {
        List<String> columns = producedType.getFieldNames();
        if (columns.isEmpty()) {
            throw new ValidationException(
                    "A lake scan needs at least one column; the query reads none of "
                            + settings.loader.describe()
                            + ".");
        }
        return columns;
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        this.producedType = (RowType) producedDataType.getLogicalType();
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
    public LakeDynamicSource copy() {
        LakeDynamicSource copy = new LakeDynamicSource(settings, producedType);
        copy.filters = filters;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Lake " + settings.loader.describe();
    }
}
