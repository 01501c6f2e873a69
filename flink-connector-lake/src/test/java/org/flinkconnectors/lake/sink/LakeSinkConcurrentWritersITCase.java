package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another writer commits to the table while the full lake sink job (writers, aggregator, committer;
 * parallelism 2, 300 ms checkpoints) runs: the plain Iceberg API or Delta Kernel appends small
 * batches as fast as it can until the job ends. Commits that lose a race are retried on the newer
 * table version; at the end the table holds exactly the job's rows and the other writer's, none
 * lost or twice.
 *
 * <p>So that the other writer's commits come before some of the job's however slow the machine, the
 * job holds its middle record until the other writer has committed {@value #THEIRS_BEFORE_GATE}
 * times; the rows after it are committed by later checkpoints, on a table changed meanwhile.
 */
class LakeSinkConcurrentWritersITCase {

    private static final int RECORDS = 3_000;
    private static final int THEIR_FIRST_ID = 1_000_000;
    private static final int THEIR_BATCH = 10;
    private static final int MAX_THEIR_COMMITS = 40;
    private static final int THEIRS_BEFORE_GATE = 3;

    /** Opened by the test thread after the other writer's first commits; the job waits on it. */
    private static volatile CountDownLatch gate;

    private static final RowType ROW_TYPE =
            RowType.of(
                    new LogicalType[] {
                        new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH)
                    },
                    new String[] {"id", "name"});

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    @Test
    void icebergKeepsOurRowsAndTheirs() throws Exception {
        IcebergTestTables tables = new IcebergTestTables(root);
        tables.create("orders");
        LakeTableLoader loader = IcebergTableLoader.hadoop(tables.warehouse(), "db", "orders");

        int theirs =
                runWhileOtherWriterAppends(
                        loader,
                        (from, to) -> IcebergTestTables.append(tables.load("orders"), from, to));

        assertOursAndTheirs(loader, theirs);
        Table table = tables.load("orders");
        List<Boolean> oursInOrder = new ArrayList<>();
        for (Snapshot snapshot : table.snapshots()) {
            oursInOrder.add(snapshot.summary().containsKey("flink-connector-suite.job-id"));
        }
        assertSomeOfOursAfterTheirs(oursInOrder);
    }

    @Test
    void deltaKeepsOurRowsAndTheirs() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        String path = tables.create("orders", Map.of());
        LakeTableLoader loader = DeltaTableLoader.path(path);

        int theirs =
                runWhileOtherWriterAppends(loader, (from, to) -> tables.append("orders", from, to));

        assertOursAndTheirs(loader, theirs);
        List<Boolean> oursInOrder = new ArrayList<>();
        long latest = tables.latest("orders").getVersion();
        for (long version = 1; version <= latest; version++) {
            // The sink's versions carry its txn action; Kernel's plain appends carry none.
            oursInOrder.add(
                    Files.readString(tables.commitFile("orders", version)).contains("\"txn\""));
        }
        assertSomeOfOursAfterTheirs(oursInOrder);
    }

    /**
     * Runs the sink job and, on this thread, appends batches of {@value #THEIR_BATCH} rows with ids
     * from {@value #THEIR_FIRST_ID} until the job ends; returns the number of their commits.
     */
    private static int runWhileOtherWriterAppends(LakeTableLoader loader, OtherWriter other)
            throws Exception {
        gate = new CountDownLatch(1);
        StreamExecutionEnvironment env = FailoverJobs.environment(2);
        FailoverJobs.numbers(env, RECORDS, false)
                .map(new GatedToRow(), InternalTypeInfo.of(ROW_TYPE))
                .sinkTo(LakeSink.builder().table(loader).build());
        JobClient job = env.executeAsync("lake sink with a concurrent writer");
        int commits = 0;
        while (commits < MAX_THEIR_COMMITS && !job.getJobStatus().get().isGloballyTerminalState()) {
            long from = THEIR_FIRST_ID + (long) commits * THEIR_BATCH;
            other.append(from, from + THEIR_BATCH);
            commits++;
            if (commits == THEIRS_BEFORE_GATE) {
                gate.countDown();
            }
        }
        gate.countDown();
        job.getJobExecutionResult().get();
        return commits;
    }

    private static void assertOursAndTheirs(LakeTableLoader loader, int theirCommits)
            throws Exception {
        List<String> expected = new ArrayList<>(DeltaTestTables.expected(0, RECORDS));
        expected.addAll(
                DeltaTestTables.expected(
                        THEIR_FIRST_ID, THEIR_FIRST_ID + (long) theirCommits * THEIR_BATCH));
        assertThat(theirCommits).isPositive();
        assertThat(read(loader))
                .hasSize(expected.size())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The sink committed on a table the other writer had changed since the job started. */
    private static void assertSomeOfOursAfterTheirs(List<Boolean> oursInOrder) {
        assertThat(oursInOrder.lastIndexOf(true))
                .as("commits in order, true for the sink's: %s", oursInOrder)
                .isGreaterThan(oursInOrder.indexOf(false));
    }

    private static List<String> read(LakeTableLoader loader) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                env.fromSource(
                                LakeSource.builder().table(loader).build(),
                                WatermarkStrategy.noWatermarks(),
                                "lake")
                        .executeAndCollect()) {
            it.forEachRemaining(row -> rows.add(row.getLong(0) + "," + row.getString(1)));
        }
        return rows;
    }

    /** Appends rows {@code from..to-1} in one commit of its own. */
    @FunctionalInterface
    private interface OtherWriter {
        void append(long from, long to) throws Exception;
    }

    /** {@code (id, "name-<id>")}; the middle record waits for the other writer's commits. */
    private static final class GatedToRow implements MapFunction<Long, RowData> {
        @Override
        public RowData map(Long id) throws InterruptedException {
            if (id == RECORDS / 2 && !gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other writer did not commit within 60 s");
            }
            return GenericRowData.of(id, StringData.fromString("name-" + id));
        }
    }
}
