package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.testutils.FailOnceAfterCheckpoint;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lake sink writing real Iceberg tables on a MiniCluster with parallelism 2 and checkpoints
 * every 300 ms: every row exactly once, one snapshot per checkpoint that had data, also across a
 * task failure between checkpoints.
 */
class IcebergLakeSinkITCase {

    private static final int RECORDS = 3_000;
    private static final int PARALLELISM = 2;

    private static final Schema PARTITIONED =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "part", Types.IntegerType.get()));

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;

    @BeforeEach
    void createWarehouse() {
        tables = new IcebergTestTables(warehouse);
    }

    @Test
    void writesEveryRowOnceWithOneSnapshotPerCheckpoint() throws Exception {
        Table table = tables.create("orders");

        run(table, "orders", false, false);

        assertExactlyOnce(table);
        assertThat(IcebergRows.snapshots(table).size())
                .as("a 2-second stream with 300 ms checkpoints commits several times")
                .isGreaterThan(1);
    }

    @Test
    void aTaskFailureBetweenCheckpointsLosesAndDuplicatesNothing() throws Exception {
        Table table = tables.create("orders");

        run(table, "orders", false, true);

        assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
        assertThat(FailOnceAfterCheckpoint.taskStarts()).isGreaterThan(PARALLELISM);
        assertExactlyOnce(table);
    }

    @Test
    void anIdentityPartitionedTableGetsFilesHoldingOnlyTheirPartitionsRows() throws Exception {
        Table table =
                tables.create(
                        "parts",
                        PARTITIONED,
                        PartitionSpec.builderFor(PARTITIONED).identity("part").build());

        run(table, "parts", true, false);

        assertExactlyOnce(table);
        List<DataFile> files = IcebergTestTables.dataFiles(table);
        assertThat(files.stream().map(f -> f.partition().get(0, Integer.class)).distinct())
                .containsExactlyInAnyOrder(0, 1, 2);
        for (DataFile file : files) {
            assertThat(file.location()).contains("part=" + file.partition().get(0, Integer.class));
        }
    }

    @Test
    void aBatchJobCommitsOneSnapshotAtTheEndThatTheLakeSourceReadsBack() throws Exception {
        Table table = tables.create("orders");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(PARALLELISM);
        RowType rowType = FlinkSchemaUtil.convert(table.schema());
        env.fromSequence(0, RECORDS - 1)
                .map(new ToRow(false), InternalTypeInfo.of(rowType))
                .sinkTo(sink("orders"));

        env.execute("lake sink batch");

        assertExactlyOnce(table);
        assertThat(IcebergRows.snapshots(table)).hasSize(1);
        assertThat(readWithLakeSource("orders"))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, RECORDS));
    }

    /** overwrite(true) in a batch job: the old rows are gone, replaced in one snapshot. */
    @Test
    void aBatchOverwriteReplacesTheTableInOneSnapshot() throws Exception {
        Table table = tables.create("orders");
        IcebergTestTables.append(table, 1_000, 1_050);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(PARALLELISM);
        RowType rowType = FlinkSchemaUtil.convert(table.schema());
        env.fromSequence(0, RECORDS - 1)
                .map(new ToRow(false), InternalTypeInfo.of(rowType))
                .sinkTo(
                        LakeSink.builder()
                                .table(
                                        IcebergTableLoader.hadoop(
                                                tables.warehouse(),
                                                IcebergTestTables.DATABASE,
                                                "orders"))
                                .overwrite(true)
                                .build());

        env.execute("lake sink overwrite");

        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, RECORDS));
        assertThat(IcebergRows.snapshots(table))
                .extracting(Snapshot::operation)
                .containsExactly("append", "overwrite");
    }

    /** A checkpoint before the end of input fails an overwriting job, which commits nothing. */
    @Test
    void anOverwriteWithACheckpointBeforeTheEndFailsWithoutCommitting() throws Exception {
        Table table = tables.create("orders");
        IcebergTestTables.append(table, 1_000, 1_050);
        // No restarts: the failure is final, as it would be after any restarts.
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(noRestarts);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(100);
        RowType rowType = FlinkSchemaUtil.convert(table.schema());
        FailoverJobs.numbers(env, RECORDS, false)
                .map(new ToRow(false), InternalTypeInfo.of(rowType))
                .sinkTo(
                        LakeSink.builder()
                                .table(
                                        IcebergTableLoader.hadoop(
                                                tables.warehouse(),
                                                IcebergTestTables.DATABASE,
                                                "orders"))
                                .overwrite(true)
                                .build());

        assertThatThrownBy(() -> env.execute("lake sink streaming overwrite"))
                .hasStackTraceContaining("An overwriting lake sink commits once")
                .hasStackTraceContaining("run the job in batch mode");
        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(1_000, 1_050));
    }

    private List<String> readWithLakeSource(String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(PARALLELISM);
        LakeSource<RowData> source =
                LakeSource.builder()
                        .table(
                                IcebergTableLoader.hadoop(
                                        tables.warehouse(), IcebergTestTables.DATABASE, name))
                        .build();
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake")
                        .executeAndCollect()) {
            it.forEachRemaining(row -> rows.add(row.getLong(0) + "," + row.getString(1)));
        }
        return rows;
    }

    private void run(Table table, String name, boolean partitioned, boolean failOnce)
            throws Exception {
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        DataStream<Long> ids = FailoverJobs.numbers(env, RECORDS, failOnce);
        RowType rowType = FlinkSchemaUtil.convert(table.schema());
        ids.map(new ToRow(partitioned), InternalTypeInfo.of(rowType)).sinkTo(sink(name));
        env.execute("lake sink " + name);
    }

    private LakeSink sink(String name) {
        return LakeSink.builder()
                .table(
                        IcebergTableLoader.hadoop(
                                tables.warehouse(), IcebergTestTables.DATABASE, name))
                .build();
    }

    /**
     * Every id once, and every snapshot committed by one job for a distinct checkpoint (a retried
     * commit would have added a second snapshot for the same checkpoint).
     */
    private static void assertExactlyOnce(Table table) {
        assertThat(IcebergRows.idsAndNames(table))
                .hasSize(RECORDS)
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, RECORDS));
        List<Snapshot> snapshots = IcebergRows.snapshots(table);
        assertThat(snapshots.stream().map(s -> s.summary().get(IcebergCommits.JOB_ID)))
                .doesNotContainNull()
                .hasSize(snapshots.size());
        assertThat(
                        snapshots.stream()
                                .map(s -> s.summary().get(IcebergCommits.CHECKPOINT_ID))
                                .distinct())
                .hasSize(snapshots.size());
    }

    /** {@code (id, "name-<id>"[, id % 3])}. */
    private static final class ToRow implements MapFunction<Long, RowData> {
        private final boolean partitioned;

        ToRow(boolean partitioned) {
            this.partitioned = partitioned;
        }

        @Override
        public RowData map(Long id) {
            StringData name = StringData.fromString("name-" + id);
            return partitioned
                    ? GenericRowData.of(id, name, (int) (id % 3))
                    : GenericRowData.of(id, name);
        }
    }
}
