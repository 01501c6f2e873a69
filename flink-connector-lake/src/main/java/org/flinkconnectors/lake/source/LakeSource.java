package org.flinkconnectors.lake.source;

import org.flinkconnectors.base.source.reader.PositionedRecordEmitter;
import org.flinkconnectors.base.source.reader.PullSourceReader;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplitSerializer;
import org.flinkconnectors.lake.core.LakeStaticResources;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.enumerator.LakeBoundedEnumerator;
import org.flinkconnectors.lake.source.enumerator.LakeContinuousEnumerator;
import org.flinkconnectors.lake.source.enumerator.LakeEnumState;
import org.flinkconnectors.lake.source.enumerator.LakeEnumStateSerializer;
import org.flinkconnectors.lake.source.enumerator.LakeReadSchema;
import org.flinkconnectors.lake.source.reader.LakeRowLayout;
import org.flinkconnectors.lake.source.reader.LakeSplitReader;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.util.List;

/**
 * A FLIP-27 source that reads one version of an Iceberg or Delta table: the latest, or an older one
 * by version, time or reference (time travel). It emits Flink's internal {@code RowData} unless a
 * {@link LakeRowConverter} turns rows into other elements.
 *
 * <p>The builder checks the table, version and columns and fixes the produced row type. The
 * enumerator resolves the version when the job starts and plans its data files into splits (format
 * bindings prune them by the filters and split large files by byte range); the planned version is
 * checkpointed, so a restore reads the same one. Readers pull splits one at a time and checkpoint
 * the records they emitted per split, so a restore neither repeats nor skips a row. Row-level
 * deletes (Iceberg delete files, Delta deletion vectors) are applied by the format's reader.
 *
 * <p>Built with {@link LakeSourceBuilder#streaming}, the source is unbounded: it starts at a {@link
 * LakeStartingPosition} and then reads the rows each later commit appends, looking for commits
 * every monitor interval; commits that delete or rewrite rows fail the job or are skipped ({@link
 * LakeRewritePolicy}). It reads with the columns fixed when it was built: a column added to the
 * table later is not emitted, a renamed one is still read (files are matched by Iceberg field id or
 * Delta physical name), and a version that dropped a column the job reads or changed its type fails
 * the job for good, naming the version and column; restarting from the last checkpoint picks up the
 * new schema.
 *
 * <p>Rows may carry {@link LakeMetadataColumn metadata columns} (the data file, the version), and a
 * {@link LakeSourceBuilder#limit limit} stops each reader early. The enumerator reports the gauges
 * {@code pendingSplits}, {@code currentVersion} and (streaming) {@code pendingCommits} and the
 * counter {@code assignedSplits}; readers add {@value #SPLITS_OPENED_METRIC} to Flink's standard
 * reader metrics.
 *
 * <pre>{@code
 * LakeSource<RowData> source =
 *         LakeSource.builder()
 *                 .table(IcebergTableLoader.hadoop("/warehouse", "db", "orders"))
 *                 .scan(LakeScanSpec.builder().project(List.of("id", "amount")).build())
 *                 .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 */
@PublicEvolving
public final class LakeSource<T>
        implements Source<T, LakeSplit, LakeEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    /** The reader counter of the splits (data files or pieces of them) it opened. */
    public static final String SPLITS_OPENED_METRIC = "numSplitsOpened";

    private final LakeTableLoader tableLoader;
    private final LakeScanSpec spec;
    private final LakeRowLayout layout;
    private final LakeReaderFactory readerFactory;
    private final LakeRowConverter<T> converter;
    @Nullable private final LakeStreamingSpec streaming;
    private final long limit;

    /** The identities of the columns read, for a streaming read's schema checks. */
    private final List<String> readColumnIds;

    LakeSource(
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeRowLayout layout,
            LakeReaderFactory readerFactory,
            LakeRowConverter<T> converter,
            @Nullable LakeStreamingSpec streaming,
            long limit,
            List<String> readColumnIds) {
        this.tableLoader = tableLoader;
        this.spec = spec;
        this.layout = layout;
        this.readerFactory = readerFactory;
        this.converter = converter;
        this.streaming = streaming;
        this.limit = limit;
        this.readColumnIds = List.copyOf(readColumnIds);
    }

    /** A builder; see the class documentation for an example. */
    public static LakeSourceBuilder<RowData> builder() {
        return new LakeSourceBuilder<>(LakeRowConverter.rowData());
    }

    @Override
    public Boundedness getBoundedness() {
        return streaming == null || streaming.stopAfterVersion() != null
                ? Boundedness.BOUNDED
                : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, LakeSplit> createReader(SourceReaderContext context) {
        LakeStaticResources.releaseWith(context.getUserCodeClassLoader());
        Counter splitsOpened = context.metricGroup().counter(SPLITS_OPENED_METRIC);
        ReadLimit readLimit = ReadLimit.of(limit);
        return new PullSourceReader<>(
                () ->
                        new LakeSplitReader<>(
                                readerFactory, layout, converter, readLimit, splitsOpened),
                new PositionedRecordEmitter<>(),
                context);
    }

    @Override
    public SplitEnumerator<LakeSplit, LakeEnumState> createEnumerator(
            SplitEnumeratorContext<LakeSplit> context) {
        return restoreEnumerator(context, LakeEnumState.initial());
    }

    @Override
    public SplitEnumerator<LakeSplit, LakeEnumState> restoreEnumerator(
            SplitEnumeratorContext<LakeSplit> context, LakeEnumState state) {
        if (streaming == null) {
            return new LakeBoundedEnumerator(context, tableLoader, spec, state);
        }
        return new LakeContinuousEnumerator(
                context,
                tableLoader,
                spec,
                state,
                streaming,
                new LakeReadSchema(layout.readType(), readColumnIds));
    }

    @Override
    public SimpleVersionedSerializer<LakeSplit> getSplitSerializer() {
        return LakeSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<LakeEnumState> getEnumeratorCheckpointSerializer() {
        return new LakeEnumStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return converter.producedType(layout.outputType());
    }

    /** The type of the rows the source reads (before conversion), metadata columns included. */
    public RowType producedRowType() {
        return layout.outputType();
    }

    /** The rows each reader reads at most; {@code Long.MAX_VALUE} without a limit. */
    public long limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "LakeSource{"
                + tableLoader.describe()
                + ", "
                + spec
                + (streaming == null ? "" : ", " + streaming)
                + (limit == Long.MAX_VALUE ? "" : ", limit=" + limit)
                + '}';
    }
}
