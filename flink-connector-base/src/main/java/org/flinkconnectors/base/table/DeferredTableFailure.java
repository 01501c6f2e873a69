package org.flinkconnectors.base.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.abilities.SupportsOverwrite;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.types.DataType;

import java.util.List;
import java.util.Map;

/**
 * Stands in for a table whose options or schema are invalid and raises the error when the planner
 * first uses it, still while planning the statement. It implements the abilities the planner checks
 * before that first use (metadata columns, partitions, INSERT OVERWRITE), so the planner reaches
 * the error instead of complaining about a missing ability.
 */
@Internal
final class DeferredTableFailure
        implements ScanTableSource,
                LookupTableSource,
                SupportsReadingMetadata,
                DynamicTableSink,
                SupportsPartitioning,
                SupportsOverwrite,
                SupportsWritingMetadata {

    private final String table;
    private final RuntimeException error;

    DeferredTableFailure(String table, RuntimeException error) {
        this.table = table;
        this.error = error;
    }

    RuntimeException error() {
        return error;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        throw error;
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        throw error;
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        throw error;
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        throw error;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        throw error;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        throw error;
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(DynamicTableSink.Context context) {
        throw error;
    }

    @Override
    public void applyStaticPartition(Map<String, String> partition) {
        throw error;
    }

    @Override
    public void applyOverwrite(boolean overwrite) {
        throw error;
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        throw error;
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        throw error;
    }

    @Override
    public DeferredTableFailure copy() {
        return this;
    }

    @Override
    public String asSummaryString() {
        return "invalid table " + table;
    }
}
