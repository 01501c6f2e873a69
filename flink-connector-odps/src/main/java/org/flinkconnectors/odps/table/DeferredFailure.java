package org.flinkconnectors.odps.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.abilities.SupportsOverwrite;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;

import java.util.Map;

/**
 * Stands in for a table whose options or schema are invalid and raises the error when the planner
 * first uses it, still at planning time. Throwing from the factory instead would let Flink wrap the
 * error in a message that prints every table option, and Flink does not consider {@code access-key}
 * secret.
 */
@Internal
final class DeferredFailure
        implements ScanTableSource,
                LookupTableSource,
                DynamicTableSink,
                SupportsPartitioning,
                SupportsOverwrite {

    private final RuntimeException error;

    DeferredFailure(RuntimeException error) {
        this.error = error;
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
    public DeferredFailure copy() {
        return this;
    }

    @Override
    public String asSummaryString() {
        return "MaxCompute (invalid: " + error.getMessage() + ")";
    }

    static DynamicTableSource source(RuntimeException error) {
        return new DeferredFailure(error);
    }
}
