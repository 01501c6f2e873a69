package org.flinkconnectors.lake.delta;

import org.flinkconnectors.base.testutils.FailOnceAfterCheckpoint;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lake sink writing real Delta tables on a MiniCluster with parallelism 2 and checkpoints:
 * every row exactly once, read back by the lake source and by Kernel's own scan, one version with a
 * distinct txn per checkpoint that had data, also across a task failure between checkpoints.
 */
class DeltaLakeSinkITCase {

    private static final int RECORDS = 3_000;
    private static final int PARALLELISM = 2;

    private static final Pattern TXN_VERSION =
            Pattern.compile("\"txn\":\\{\"appId\":\"[^\"]+\",\"version\":(\\d+)");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void createRoot() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void writesEveryRowOnceWithOneVersionPerCheckpoint() throws Exception {
        String path = tables.create("orders", Map.of());

        run(path, DeltaTestTables.SCHEMA, false, false);

        assertExactlyOnce("orders", path, false);
        assertThat(tables.latest("orders").getVersion())
                .as("a streaming job with frequent checkpoints commits several times")
                .isGreaterThan(1);
    }

    @Test
    void aTaskFailureBetweenCheckpointsLosesAndDuplicatesNothing() throws Exception {
        String path = tables.create("orders", Map.of());

        run(path, DeltaTestTables.SCHEMA, false, true);

        assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
        assertThat(FailOnceAfterCheckpoint.taskStarts()).isGreaterThan(PARALLELISM);
        assertExactlyOnce("orders", path, false);
    }

    @Test
    void aPartitionedTableGetsItsRowsIntoPartitionDirectories() throws Exception {
        String path = tables.createPartitioned("days");

        run(path, DeltaTestTables.PARTITIONED_SCHEMA, true, false);

        assertExactlyOnce("days", path, true);
        assertThat(tables.dataFiles("days").stream().map(f -> f.path().split("/")[0]).distinct())
                .containsExactlyInAnyOrder("day=d0", "day=d1", "day=d2");
    }

    private void run(
            String path, io.delta.kernel.types.StructType schema, boolean partitioned, boolean fail)
            throws Exception {
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        DataStream<Long> ids = FailoverJobs.numbers(env, RECORDS, fail);
        RowType rowType = DeltaTypes.toRowType(schema);
        ids.map(new ToRow(partitioned), InternalTypeInfo.of(rowType))
                .sinkTo(LakeSink.builder().table(DeltaTableLoader.path(path)).build());
        env.execute("delta lake sink");
    }

    /**
     * Every id once through the lake source and through Kernel's own scan, and every version after
     * the table's creation committed with a txn for a distinct checkpoint.
     */
    private void assertExactlyOnce(String table, String path, boolean partitioned)
            throws Exception {
        List<String> expected = new ArrayList<>();
        for (long id = 0; id < RECORDS; id++) {
            expected.add(id + ",name-" + id + (partitioned ? ",d" + (id % 3) : ""));
        }
        assertThat(readWithLakeSource(path, partitioned))
                .hasSize(RECORDS)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(DeltaKernelReads.rows(tables.engine(), path))
                .containsExactlyInAnyOrderElementsOf(expected);
        long latest = tables.latest(table).getVersion();
        List<Long> checkpoints = new ArrayList<>();
        for (long version = 1; version <= latest; version++) {
            checkpoints.add(txnVersion(table, version));
        }
        assertThat(checkpoints).doesNotHaveDuplicates();
    }

    private long txnVersion(String table, long version) throws IOException {
        Matcher txn = TXN_VERSION.matcher(Files.readString(tables.commitFile(table, version)));
        assertThat(txn.find()).as("version %s has a txn action", version).isTrue();
        return Long.parseLong(txn.group(1));
    }

    private static List<String> readWithLakeSource(String path, boolean partitioned)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(PARALLELISM);
        LakeSource<RowData> source =
                LakeSource.builder().table(DeltaTableLoader.path(path)).build();
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake")
                        .executeAndCollect()) {
            it.forEachRemaining(
                    row ->
                            rows.add(
                                    row.getLong(0)
                                            + ","
                                            + row.getString(1)
                                            + (partitioned ? "," + row.getString(2) : "")));
        }
        return rows;
    }

    /** {@code (id, "name-<id>"[, "d<id % 3>"])}. */
    private static final class ToRow implements MapFunction<Long, RowData> {
        private final boolean partitioned;

        ToRow(boolean partitioned) {
            this.partitioned = partitioned;
        }

        @Override
        public RowData map(Long id) {
            StringData name = StringData.fromString("name-" + id);
            return partitioned
                    ? GenericRowData.of(id, name, StringData.fromString("d" + (id % 3)))
                    : GenericRowData.of(id, name);
        }
    }
}
