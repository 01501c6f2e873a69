package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The source parallelism a query's job graph gets, for a table of five files: one reader per split
 * in batch mode, capped by 'scan.infer-parallelism.max' and a pushed-down LIMIT; the user's
 * 'scan.parallelism' wins; streaming execution and 'scan.infer-parallelism' = 'false' leave it to
 * Flink. Plans the query into a stream graph; nothing runs.
 */
class LakeSourceParallelismTest {

    private static final int DEFAULT_PARALLELISM = 7;

    @TempDir Path warehouse;

    private IcebergTestTables tables;

    @BeforeEach
    void setUp() throws Exception {
        tables = new IcebergTestTables(warehouse);
        Table table = tables.create("orders");
        for (int i = 0; i < 5; i++) {
            IcebergTestTables.append(table, i * 10, i * 10 + 10);
        }
    }

    @Test
    void batchScanRunsOneReaderPerSplitUpToTheMaximumAndTheLimit() {
        assertThat(sourceParallelism(RuntimeExecutionMode.BATCH, "", "")).isEqualTo(5);
        assertThat(
                        sourceParallelism(
                                RuntimeExecutionMode.BATCH,
                                ", 'scan.infer-parallelism.max' = '2'",
                                ""))
                .isEqualTo(2);
        assertThat(sourceParallelism(RuntimeExecutionMode.BATCH, "", " LIMIT 3")).isEqualTo(3);
    }

    @Test
    void userParallelismStreamingExecutionAndDisabledInferenceAreLeftAlone() {
        assertThat(sourceParallelism(RuntimeExecutionMode.BATCH, ", 'scan.parallelism' = '4'", ""))
                .isEqualTo(4);
        assertThat(
                        sourceParallelism(
                                RuntimeExecutionMode.BATCH,
                                ", 'scan.infer-parallelism' = 'false'",
                                ""))
                .isEqualTo(DEFAULT_PARALLELISM);
        assertThat(sourceParallelism(RuntimeExecutionMode.STREAMING, "", ""))
                .isEqualTo(DEFAULT_PARALLELISM);
    }

    @Test
    void maximumBelowOneIsRejectedNamingTheOption() {
        assertThatThrownBy(
                        () ->
                                sourceParallelism(
                                        RuntimeExecutionMode.BATCH,
                                        ", 'scan.infer-parallelism.max' = '0'",
                                        ""))
                .hasStackTraceContaining("'scan.infer-parallelism.max' must be at least 1");
    }

    private int sourceParallelism(RuntimeExecutionMode mode, String options, String limit) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(DEFAULT_PARALLELISM);
        StreamTableEnvironment tableEnv =
                StreamTableEnvironment.create(
                        env,
                        mode == RuntimeExecutionMode.BATCH
                                ? EnvironmentSettings.inBatchMode()
                                : EnvironmentSettings.inStreamingMode());
        tableEnv.executeSql(
                String.format(
                        "CREATE TABLE orders (id BIGINT, name STRING) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'iceberg', 'warehouse' = '%s', 'database' ="
                                + " 'db', 'table' = 'orders'%s)",
                        tables.warehouse(), options));
        tableEnv.toDataStream(tableEnv.sqlQuery("SELECT * FROM orders" + limit))
                .sinkTo(new DiscardingSink<>());
        return env.getStreamGraph().getStreamNodes().stream()
                .filter(node -> node.getInEdges().isEmpty())
                .mapToInt(StreamNode::getParallelism)
                .findFirst()
                .orElseThrow();
    }
}
