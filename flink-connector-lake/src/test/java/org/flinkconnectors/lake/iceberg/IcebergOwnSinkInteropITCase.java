package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

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
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability: a table written by Iceberg's own Flink sink ({@link IcebergSink}, the Sink V2
 * of iceberg-flink-runtime) in a checkpointed MiniCluster job is read by the lake source, in full
 * and with a filter on the partition column.
 */
class IcebergOwnSinkInteropITCase {

    private static final int RECORDS = 1_000;

    private static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "day", Types.StringType.get()));

    private static final RowType ROW_TYPE =
            RowType.of(
                    new org.apache.flink.table.types.logical.LogicalType[] {
                        new BigIntType(false),
                        new VarCharType(VarCharType.MAX_LENGTH),
                        new VarCharType(VarCharType.MAX_LENGTH)
                    },
                    new String[] {"id", "name", "day"});

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path warehouse;

    private static IcebergTestTables tables;

    @BeforeAll
    static void writeWithIcebergsOwnSink() throws Exception {
        tables = new IcebergTestTables(warehouse);
        Table table =
                tables.create(
                        "events", SCHEMA, PartitionSpec.builderFor(SCHEMA).identity("day").build());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        DataStream<RowData> rows =
                env.fromSequence(0, RECORDS - 1).map(new ToRow(), InternalTypeInfo.of(ROW_TYPE));
        IcebergSink.forRowData(rows)
                .tableLoader(TableLoader.fromHadoopTable(table.location(), new Configuration()))
                .append();
        env.execute("iceberg's own sink");
    }

    @Test
    void readsEveryRowIcebergsSinkCommitted() throws Exception {
        assertThat(tables.load("events").currentSnapshot().summary())
                .as("written by Iceberg's sink, which records its Flink job in the snapshot")
                .containsKey("flink.job-id");

        List<String> rows = read(LakeScanSpec.latest());

        assertThat(rows)
                .hasSize(RECORDS)
                .containsExactlyInAnyOrderElementsOf(expected(LongStream.range(0, RECORDS)));
    }

    @Test
    void readsOnlyTheFilteredPartition() throws Exception {
        LakeScanSpec spec = LakeScanSpec.builder().filter(LakePredicate.equal("day", "d1")).build();

        List<String> rows = read(spec);

        assertThat(rows)
                .containsExactlyInAnyOrderElementsOf(
                        expected(LongStream.range(0, RECORDS).filter(id -> id % 3 == 1)));
    }

    private static List<String> expected(LongStream ids) {
        return ids.mapToObj(id -> id + ",name-" + id + ",d" + (id % 3)).toList();
    }

    private static List<String> read(LakeScanSpec spec) throws Exception {
        LakeSource<RowData> source =
                LakeSource.builder()
                        .table(
                                IcebergTableLoader.hadoop(
                                        tables.warehouse(), IcebergTestTables.DATABASE, "events"))
                        .scan(spec)
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
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
                                            + ","
                                            + row.getString(2)));
        }
        return rows;
    }

    /** {@code (id, "name-<id>", "d<id % 3>")}. */
    private static final class ToRow implements MapFunction<Long, RowData> {
        @Override
        public RowData map(Long id) {
            return GenericRowData.of(
                    id, StringData.fromString("name-" + id), StringData.fromString("d" + (id % 3)));
        }
    }
}
