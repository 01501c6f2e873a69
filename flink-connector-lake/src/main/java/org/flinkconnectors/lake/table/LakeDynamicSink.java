package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.sink.LakeSink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsOverwrite;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL write of the {@code lake} connector: {@code INSERT INTO} through the exactly-once {@link
 * LakeSink}, so rows become visible with the commit after each checkpoint (or at the end of a
 * bounded job). Appends only: the table gets no deletes, so updates and deletes are not accepted.
 *
 * <p>{@code INSERT INTO t PARTITION (p = 'x')} works: the planner writes the static values into the
 * rows' columns, and the format places each row by its own partition spec. {@code INSERT OVERWRITE}
 * is rejected until the sink can replace partitions.
 */
@Internal
final class LakeDynamicSink implements DynamicTableSink, SupportsPartitioning, SupportsOverwrite {

    private final LakeSink sink;
    private final String tableName;
    @Nullable private final Integer parallelism;
    private Map<String, String> staticPartition = Map.of();

    LakeDynamicSink(LakeSink sink, String tableName, @Nullable Integer parallelism) {
        this.sink = sink;
        this.tableName = tableName;
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return SinkV2Provider.of(sink, parallelism);
    }

    /** Nothing to do: the planner fills the values into the rows, which carry every column. */
    @Override
    public void applyStaticPartition(Map<String, String> partition) {
        this.staticPartition = new LinkedHashMap<>(partition);
    }

    @Override
    public void applyOverwrite(boolean overwrite) {
        if (overwrite) {
            throw new ValidationException(
                    "INSERT OVERWRITE into "
                            + tableName
                            + " is not supported yet: the lake connector only appends. Use"
                            + " INSERT INTO.");
        }
    }

    @Override
    public LakeDynamicSink copy() {
        LakeDynamicSink copy = new LakeDynamicSink(sink, tableName, parallelism);
        copy.staticPartition = staticPartition;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return staticPartition.isEmpty()
                ? "Lake " + tableName
                : "Lake " + tableName + " partition " + staticPartition;
    }
}
