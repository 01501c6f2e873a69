package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeStaticResources;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriterFactory;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * An exactly-once Sink V2 sink into a lake table (Iceberg, or any format implementing the writing
 * part of {@link org.flinkconnectors.lake.core.LakeTable}).
 *
 * <p>Parallel writers write data files, rolled at the target size, and complete them at every
 * checkpoint; a pre-commit operator of parallelism 1 gathers the files of all writers into one
 * committable per checkpoint; the committer commits it as one table version after the checkpoint
 * completed. The version records job id, operator id and checkpoint id, so a commit repeated after
 * a failover is skipped. Rows become visible only with the commit.
 *
 * <p>With a {@link LakeSinkBuilder#primaryKey primary key} the sink consumes an upsert changelog:
 * the rows are keyed by the key before the writers, so all changes of one key go, in order, to the
 * same writer, which turns them into data and delete files.
 *
 * <pre>{@code
 * rows.sinkTo(
 *         LakeSink.builder()
 *                 .table(IcebergTableLoader.hadoop("/warehouse", "db", "orders"))
 *                 .targetFileSizeBytes(128L << 20)
 *                 .build());
 * }</pre>
 */
@PublicEvolving
public final class LakeSink
        implements Sink<RowData>,
                SupportsCommitter<LakeCommittable>,
                SupportsPreCommitTopology<LakeWriteResult, LakeCommittable>,
                SupportsPreWriteTopology<RowData> {

    private static final long serialVersionUID = 1L;

    private final LakeTableLoader tableLoader;
    private final LakeWriterFactory writerFactory;
    @Nullable private final LakeOverwrite overwrite;

    /** Routes the rows to the writers, or null to keep the input's distribution. */
    @Nullable private final KeySelector<RowData, Integer> writerKey;

    LakeSink(
            LakeTableLoader tableLoader,
            LakeWriterFactory writerFactory,
            @Nullable LakeOverwrite overwrite) {
        this(tableLoader, writerFactory, overwrite, null);
    }

    LakeSink(
            LakeTableLoader tableLoader,
            LakeWriterFactory writerFactory,
            @Nullable LakeOverwrite overwrite,
            @Nullable KeySelector<RowData, Integer> writerKey) {
        this.tableLoader = tableLoader;
        this.writerFactory = writerFactory;
        this.overwrite = overwrite;
        this.writerKey = writerKey;
    }

    /** Whether rows are keyed before the writers (by primary key or partition). */
    public boolean isKeyedBeforeWriters() {
        return writerKey != null;
    }

    /** Whether commits replace rows ({@link LakeSinkBuilder#overwrite}) instead of appending. */
    public boolean isOverwrite() {
        return overwrite != null;
    }

    /** A builder; the table is required. */
    public static LakeSinkBuilder builder() {
        return new LakeSinkBuilder();
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) throws IOException {
        LakeStaticResources.releaseWith(context.getUserCodeClassLoader());
        TaskInfo task = context.getTaskInfo();
        return new LakeSinkWriter(
                writerFactory.create(
                        task.getIndexOfThisSubtask(),
                        task.getNumberOfParallelSubtasks(),
                        task.getAttemptNumber()),
                context.metricGroup().getNumRecordsSendCounter(),
                context.metricGroup().getNumBytesSendCounter());
    }

    @Override
    public Committer<LakeCommittable> createCommitter(CommitterInitContext context) {
        return new LakeCommitter(tableLoader, overwrite, new CommitMetrics(context.metricGroup()));
    }

    @Override
    public SimpleVersionedSerializer<LakeCommittable> getCommittableSerializer() {
        return LakeCommittableSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<LakeWriteResult> getWriteResultSerializer() {
        return LakeWriteResultSerializer.INSTANCE;
    }

    /** Keys the rows before the writers if a primary key or distribution asks for it. */
    @Override
    public DataStream<RowData> addPreWriteTopology(DataStream<RowData> rows) {
        return writerKey == null ? rows : rows.keyBy(writerKey, Types.INT);
    }

    /**
     * Routes every writer's results to the one aggregator, and its committables to committer
     * subtask 0: Sink V2 gives the committer the writers' parallelism, so the other committer
     * subtasks stay idle.
     */
    @Override
    public DataStream<CommittableMessage<LakeCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<LakeWriteResult>> writeResults) {
        return writeResults
                .global()
                .transform(
                        "Lake commit aggregator: " + tableLoader.describe(),
                        CommittableMessageTypeInfo.of(this::getCommittableSerializer),
                        new LakeWriteAggregator(overwrite != null))
                .setParallelism(1)
                .setMaxParallelism(1)
                .global();
    }
}
