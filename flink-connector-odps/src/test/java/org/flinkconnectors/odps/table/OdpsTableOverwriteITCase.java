package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.sink.OdpsSink;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerPartition;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code INSERT OVERWRITE} with three writers: each written partition holds exactly the new rows
 * (one writer's session replacing another's would lose rows), other partitions keep theirs.
 */
class OdpsTableOverwriteITCase {

    private static final int ROWS = 120;

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @Test
    void staticPartitionGetsExactlyTheNewRows() throws Exception {
        ServerTable table = seededTable("ow_static", true);
        TableEnvironment env = batchWithGenerator();
        env.executeSql(ddl(table.name(), true)).await();

        env.executeSql("INSERT OVERWRITE t PARTITION (ds='a') SELECT id, 'new' FROM gen").await();

        assertThat(ids(table.partition("ds=a"))).containsExactlyInAnyOrderElementsOf(range(1));
        assertThat(ids(table.partition("ds=b"))).containsExactlyInAnyOrder(2001L, 2002L);
    }

    @Test
    void dynamicOverwriteReplacesOnlyTheWrittenPartitions() throws Exception {
        ServerTable table = seededTable("ow_dynamic", true);
        TableEnvironment env = batchWithGenerator();
        env.executeSql(ddl(table.name(), true)).await();

        env.executeSql(
                        "INSERT OVERWRITE t SELECT id, 'new', IF(MOD(id, 2) = 0, 'a', 'c')"
                                + " FROM gen")
                .await();

        assertThat(ids(table.partition("ds=a")))
                .containsExactlyInAnyOrderElementsOf(
                        range(1).stream().filter(id -> id % 2 == 0).collect(Collectors.toList()));
        assertThat(ids(table.partition("ds=c")))
                .containsExactlyInAnyOrderElementsOf(
                        range(1).stream().filter(id -> id % 2 == 1).collect(Collectors.toList()));
        assertThat(ids(table.partition("ds=b"))).containsExactlyInAnyOrder(2001L, 2002L);
    }

    @Test
    void emptyInputEmptiesTheStaticPartition() throws Exception {
        ServerTable table = seededTable("ow_empty", true);
        TableEnvironment env = batchWithGenerator();
        env.executeSql(ddl(table.name(), true)).await();

        env.executeSql("INSERT OVERWRITE t PARTITION (ds='b') SELECT id, 'x' FROM gen WHERE id < 0")
                .await();

        assertThat(table.partitions()).extracting(ServerPartition::spec).contains("ds=b");
        assertThat(ids(table.partition("ds=b"))).isEmpty();
        assertThat(ids(table.partition("ds=a"))).containsExactlyInAnyOrder(1001L, 1002L, 1003L);
    }

    @Test
    void unpartitionedTableIsReplaced() throws Exception {
        ServerTable table = seededTable("ow_flat", false);
        TableEnvironment env = batchWithGenerator();
        env.executeSql(ddl(table.name(), false)).await();

        env.executeSql("INSERT OVERWRITE t SELECT id + 5000, 'new' FROM gen").await();

        assertThat(OdpsTestTables.committedIds(table))
                .containsExactlyInAnyOrderElementsOf(range(5001));
    }

    @Test
    void overwriteFromAnUnboundedInputIsRejected() {
        ServerTable table = seededTable("ow_streaming", true);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql(ddl(table.name(), true));
        env.executeSql("CREATE TEMPORARY TABLE endless (id BIGINT) WITH ('connector' = 'datagen')");

        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                                "INSERT OVERWRITE t PARTITION (ds='a')"
                                                        + " SELECT id, 'x' FROM endless")
                                        .await())
                .hasMessageContaining("INSERT OVERWRITE")
                .hasMessageContaining("needs a bounded input");
        assertThat(ids(table.partition("ds=a"))).containsExactlyInAnyOrder(1001L, 1002L, 1003L);
    }

    @Test
    void overwriteInACheckpointedDataStreamJobFailsBeforeCommitting() {
        ServerTable table = seededTable("ow_checkpointed", true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(50);
        env.configure(new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        env.fromSequence(1, Long.MAX_VALUE)
                .sinkTo(
                        OdpsSink.<Long>builder()
                                .setConnection(OdpsTestTables.connection(ODPS))
                                .setTable(table.name())
                                .setPartition("ds=a")
                                .setOverwrite(true)
                                .setSerializationSchema((id, record) -> record.setBigint(0, id))
                                .build());

        assertThatThrownBy(env::execute)
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("needs a bounded job in BATCH mode"));
        assertThat(ids(table.partition("ds=a"))).containsExactlyInAnyOrder(1001L, 1002L, 1003L);
    }

    /** Partition a holds 1001..1003 and b 2001, 2002 (b and a when partitioned, else all). */
    private static ServerTable seededTable(String name, boolean partitioned) {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, name, OdpsTestTables.idNameSchema(partitioned));
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.executeSql(ddl(name, partitioned));
        String rows =
                partitioned
                        ? "(1001, 'a'), (1002, 'a'), (1003, 'a'), (2001, 'b'), (2002, 'b')"
                        : "(1001, 'a'), (1002, 'a')";
        String ds = partitioned ? ", ds" : "";
        try {
            env.executeSql(
                            "INSERT INTO t SELECT CAST(id AS BIGINT), 'old'"
                                    + ds
                                    + " FROM (VALUES "
                                    + rows
                                    + ") AS v(id, ds)")
                    .await();
        } catch (Exception e) {
            throw new IllegalStateException("Could not seed " + name, e);
        }
        return table;
    }

    private static TableEnvironment batchWithGenerator() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.executeSql(generator());
        return env;
    }

    private static String generator() {
        return "CREATE TEMPORARY TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                + " 'number-of-rows' = '"
                + ROWS
                + "', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                + " 'fields.id.end' = '"
                + ROWS
                + "', 'scan.parallelism' = '2')";
    }

    private static String ddl(String table, boolean partitioned) {
        return "CREATE TABLE t (id BIGINT, name STRING"
                + (partitioned ? ", ds STRING) PARTITIONED BY (ds)" : ")")
                + " WITH ('connector' = 'odps', 'endpoint' = '"
                + ODPS.endpoint()
                + "', 'tunnel-endpoint' = '"
                + ODPS.tunnelEndpoint()
                + "', 'project' = '"
                + OdpsTestServer.DEFAULT_PROJECT
                + "', 'table' = '"
                + table
                + "', 'access-id' = '"
                + OdpsTestServer.ACCESS_ID
                + "', 'access-key' = '"
                + OdpsTestServer.ACCESS_KEY
                + "', 'sink.parallelism' = '3')";
    }

    private static List<Long> range(long from) {
        return LongStream.range(from, from + ROWS).boxed().collect(Collectors.toList());
    }

    private static List<Long> ids(ServerPartition partition) {
        return partition.rows().stream().map(r -> r.getBigint(0)).collect(Collectors.toList());
    }
}
