package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.SourceOperatorFactory;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * 'scan.max-pending-splits' is checked when a query is planned: positive, streaming modes only.
 * Plans the query into a stream graph; nothing runs.
 */
class LakeMaxPendingSplitsOptionTest {

    @TempDir Path warehouse;

    private IcebergTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        tables.create("orders");
    }

    @Test
    void aPositiveBoundIsAcceptedByAStreamingRead() {
        assertThat(plan("'scan.mode' = 'latest', 'scan.max-pending-splits' = '5'"))
                .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void aBoundBelowOneIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> plan("'scan.mode' = 'latest', 'scan.max-pending-splits' = '0'"))
                .hasRootCauseInstanceOf(ValidationException.class)
                .hasStackTraceContaining("'scan.max-pending-splits' must be at least 1");
    }

    @Test
    void aBoundedReadRejectsTheOption() {
        assertThatThrownBy(() -> plan("'scan.max-pending-splits' = '5'"))
                .hasStackTraceContaining("'scan.max-pending-splits' applies to streaming reads");
    }

    /** Plans a query of the table; the boundedness of its source. */
    private Boundedness plan(String options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamTableEnvironment tableEnv = StreamTableEnvironment.create(env);
        tableEnv.executeSql(
                String.format(
                        "CREATE TABLE orders (id BIGINT, name STRING) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'iceberg', 'warehouse' = '%s', 'database' ="
                                + " 'db', 'table' = 'orders', %s)",
                        tables.warehouse(), options));
        tableEnv.toDataStream(tableEnv.sqlQuery("SELECT * FROM orders"))
                .sinkTo(new DiscardingSink<>());
        return env.getStreamGraph().getStreamNodes().stream()
                .filter(node -> node.getInEdges().isEmpty())
                .findFirst()
                .map(node -> (SourceOperatorFactory<?>) node.getOperatorFactory())
                .orElseThrow()
                .getBoundedness();
    }
}
