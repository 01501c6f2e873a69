package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.sink.LakeSinkBuilder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsOverwrite;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;

import javax.annotation.Nullable;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL write of the {@code lake} connector: {@code INSERT INTO} through the exactly-once {@link
 * LakeSink}, so rows become visible with the commit after each checkpoint (or at the end of a
 * bounded job). Without a primary key it appends only: updates and deletes are not accepted.
 *
 * <p>With {@code PRIMARY KEY (...) NOT ENFORCED} it upserts (Iceberg v2 tables): it consumes an
 * upsert changelog ({@code INSERT}, {@code UPDATE_AFTER}, {@code DELETE}; the planner drops {@code
 * UPDATE_BEFORE}), the rows are keyed by the key before the writers, and each checkpoint commits
 * data files plus equality/position delete files as one row delta.
 *
 * <p>{@code INSERT INTO t PARTITION (p = 'x')} works: the planner writes the static values into the
 * rows' columns, and the format places each row by its own partition spec.
 *
 * <p>{@code INSERT OVERWRITE} in batch mode commits one version that replaces rows: with a static
 * partition that partition, otherwise the partitions written (all rows of an unpartitioned table);
 * see {@link LakeOverwrite}. It needs bounded input, since every commit replaces, and a format that
 * can replace (Iceberg, Delta).
 */
@Internal
final class LakeDynamicSink implements DynamicTableSink, SupportsPartitioning, SupportsOverwrite {

    private final LakeSink sink;
    private final LakeSinkBuilder builder;
    private final String tableName;
    @Nullable private final Integer parallelism;
    private final List<String> primaryKey;
    private final boolean overwritable;
    private Map<String, String> staticPartition = Map.of();

    private boolean overwrite;

    /**
     * @param sink the appending sink, built (and so checked) at planning
     * @param builder the builder that built it, to build the overwriting one
     * @param primaryKey the declared primary key the sink upserts by, or empty to append
     * @param overwritable whether the table's format can replace rows
     */
    LakeDynamicSink(
            LakeSink sink,
            LakeSinkBuilder builder,
            String tableName,
            @Nullable Integer parallelism,
            List<String> primaryKey,
            boolean overwritable) {
        this.sink = sink;
        this.builder = builder;
        this.tableName = tableName;
        this.parallelism = parallelism;
        this.primaryKey = List.copyOf(primaryKey);
        this.overwritable = overwritable;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return primaryKey.isEmpty() ? ChangelogMode.insertOnly() : ChangelogMode.upsert();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        if (!overwrite) {
            return SinkV2Provider.of(sink, parallelism);
        }
        if (!primaryKey.isEmpty()) {
            throw new ValidationException(
                    "INSERT OVERWRITE into "
                            + tableName
                            + " is not supported: it has the PRIMARY KEY "
                            + primaryKey
                            + ", so writes upsert by key. Use INSERT INTO.");
        }
        if (!context.isBounded()) {
            throw new ValidationException(
                    "INSERT OVERWRITE into "
                            + tableName
                            + " needs bounded input in batch mode: every commit of a streaming"
                            + " job would replace the rows again.");
        }
        return SinkV2Provider.of(overwritingSink(), parallelism);
    }

    private LakeSink overwritingSink() {
        if (!overwritable) {
            throw new ValidationException(
                    "INSERT OVERWRITE into "
                            + tableName
                            + " is not supported: its format cannot replace rows. Use INSERT INTO.");
        }
        try {
            return builder.overwrite(new LakeOverwrite(staticPartition)).build();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new ValidationException(e.getMessage() + ": " + e.getCause().getMessage(), e);
        }
    }

    /** Nothing to do: the planner fills the values into the rows, which carry every column. */
    @Override
    public void applyStaticPartition(Map<String, String> partition) {
        this.staticPartition = new LinkedHashMap<>(partition);
    }

    @Override
    public void applyOverwrite(boolean overwrite) {
        this.overwrite = overwrite;
    }

    @Override
    public LakeDynamicSink copy() {
        LakeDynamicSink copy =
                new LakeDynamicSink(
                        sink, builder, tableName, parallelism, primaryKey, overwritable);
        copy.staticPartition = staticPartition;
        copy.overwrite = overwrite;
        return copy;
    }

    @Override
    public String asSummaryString() {
        String target =
                staticPartition.isEmpty()
                        ? "Lake " + tableName
                        : "Lake " + tableName + " partition " + staticPartition;
        if (!primaryKey.isEmpty()) {
            target = target + " (upsert by " + primaryKey + ')';
        }
        return overwrite ? target + " (overwrite)" : target;
    }
}
