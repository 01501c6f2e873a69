package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerPartition;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DDL in the style of Alibaba's MaxCompute connector documentation, with only the connector name
 * changed, writes, reads and serves lookups like the same DDL with this connector's option names.
 */
class OdpsAlibabaOptionsITCase {

    private static final String SECRET_KEY = "s3cr3t-alibaba-style-key";

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @Test
    void alibabaStyleDdlWritesReadsAndLooksUpLikeOurs() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, "ali_orders", OdpsTestTables.idNameSchema(true));
        TableEnvironment env = env();

        // A static partition: the DDL does not declare the partition column.
        env.executeSql(
                "CREATE TEMPORARY TABLE odps_sink (id BIGINT, name STRING) WITH ("
                        + alibaba(table.name())
                        + ", 'partition' = 'ds=20180905', 'flushIntervalMs' = '30000',"
                        + " 'batchSize' = '67108864', 'dynamicPartitionLimit' = '100')");
        env.executeSql("INSERT INTO odps_sink VALUES (CAST(1 AS BIGINT), 'a'), (2, 'b')").await();
        // Dynamic partitions: 'partition' names the column whose values choose the partition.
        env.executeSql(
                "CREATE TEMPORARY TABLE odps_dynamic (id BIGINT, name STRING, ds STRING) WITH ("
                        + alibaba(table.name())
                        + ", 'partition' = 'ds')");
        env.executeSql(
                        "INSERT INTO odps_dynamic VALUES"
                                + " (CAST(1 AS BIGINT), 'c1', '20180906'), (3, 'c3', '20180906')")
                .await();

        assertThat(table.partitions())
                .extracting(ServerPartition::spec)
                .containsExactly("ds=20180905", "ds=20180906");
        assertThat(table.partition("ds=20180905").rows()).hasSize(2);
        assertThat(table.partition("ds=20180906").rows()).hasSize(2);

        env.executeSql(
                "CREATE TEMPORARY TABLE odps_source (id BIGINT, name STRING) WITH ("
                        + alibaba(table.name())
                        + ", 'partition' = 'ds=201809*', 'maxPartitionCount' = '100',"
                        + " 'useArrow' = 'false')");
        env.executeSql(
                "CREATE TEMPORARY TABLE odps_dim (id BIGINT, name STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + alibaba(table.name())
                        + ", 'partition' = 'max_pt()', 'cache' = 'ALL',"
                        + " 'cacheTTLMs' = '3600000', 'maxLoadRetries' = '3')");
        env.executeSql(
                "CREATE TEMPORARY TABLE odps_probe (id BIGINT, proc_time AS PROCTIME()) WITH ("
                        + alibaba(table.name())
                        + ", 'partition' = 'ds=20180905')");

        String scan = "SELECT id, name FROM odps_source";
        String lookup =
                "SELECT p.id, d.name FROM odps_probe AS p"
                        + " LEFT JOIN odps_dim FOR SYSTEM_TIME AS OF p.proc_time AS d"
                        + " ON p.id = d.id";
        assertThat(query(env, scan))
                .containsExactlyInAnyOrder("+I[1, a]", "+I[2, b]", "+I[1, c1]", "+I[3, c3]");
        assertThat(query(env, lookup)).containsExactlyInAnyOrder("+I[1, c1]", "+I[2, null]");

        TableEnvironment ours = env();
        ours.executeSql(
                "CREATE TEMPORARY TABLE odps_source (id BIGINT, name STRING) WITH ("
                        + ours(table.name())
                        + ", 'partition' = 'ds=201809*', 'scan.max-partitions' = '100',"
                        + " 'scan.format' = 'record')");
        ours.executeSql(
                "CREATE TEMPORARY TABLE odps_dim (id BIGINT, name STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + ours(table.name())
                        + ", 'partition' = 'max_pt()', 'lookup.cache' = 'FULL',"
                        + " 'lookup.full-cache.periodic-reload.interval' = '1 h',"
                        + " 'lookup.max-retries' = '3')");
        ours.executeSql(
                "CREATE TEMPORARY TABLE odps_probe (id BIGINT, proc_time AS PROCTIME()) WITH ("
                        + ours(table.name())
                        + ", 'partition' = 'ds=20180905')");
        assertThat(query(ours, scan)).containsExactlyInAnyOrderElementsOf(query(env, scan));
        assertThat(query(ours, lookup)).containsExactlyInAnyOrderElementsOf(query(env, lookup));
    }

    @Test
    void formerSplitSizeKeyStillWorks() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, "ali_split", OdpsTestTables.idNameSchema(false));
        ODPS.store()
                .append(
                        OdpsTestServer.DEFAULT_PROJECT,
                        table.name(),
                        "",
                        OdpsTestTables.idNameRows(1, 5, id -> "n" + id));
        TableEnvironment env = env();
        env.executeSql(
                "CREATE TEMPORARY TABLE t (id BIGINT, name STRING) WITH ("
                        + ours(table.name())
                        + ", 'scan.split-size' = '2')");

        assertThat(query(env, "SELECT id FROM t")).hasSize(5);
    }

    @Test
    void aliasContradictingOurKeyFailsNamingBothWithoutTheSecret() {
        TableEnvironment env = env();
        env.executeSql(
                "CREATE TEMPORARY TABLE t (id BIGINT, name STRING) WITH ("
                        + alibaba("ali_a", SECRET_KEY)
                        + ", 'table' = 'ali_b')");

        assertThatThrownBy(() -> env.executeSql("SELECT * FROM t").await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("'table' = 'ali_b'", "'tableName' = 'ali_a'")
                                        .doesNotContain(SECRET_KEY));
    }

    @Test
    void alibabaOptionWithoutEquivalentFailsNamingIt() {
        TableEnvironment env = env();
        env.executeSql(
                "CREATE TEMPORARY TABLE t (id BIGINT, name STRING) WITH ("
                        + alibaba("ali_none", SECRET_KEY)
                        + ", 'useStreamTunnel' = 'true')");

        assertThatThrownBy(
                        () ->
                                env.executeSql("INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a')")
                                        .await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("'useStreamTunnel'", "no equivalent")
                                        .doesNotContain(SECRET_KEY));
    }

    @Test
    void unparsableAliasValueIsNamed() {
        TableEnvironment env = env();
        env.executeSql(
                "CREATE TEMPORARY TABLE t (id BIGINT, name STRING) WITH ("
                        + alibaba("ali_bad")
                        + ", 'subscribeIntervalInSec' = 'soon')");

        assertThatThrownBy(() -> env.executeSql("SELECT * FROM t").await())
                .satisfies(
                        e -> assertThat(fullMessage(e)).contains("subscribeIntervalInSec", "soon"));
    }

    @Test
    void enableUpsertWithoutPrimaryKeyFails() {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, "ali_upsert", OdpsTestTables.idNameSchema(false));
        TableEnvironment env = env();
        env.executeSql(
                "CREATE TEMPORARY TABLE t (id BIGINT, name STRING) WITH ("
                        + alibaba(table.name())
                        + ", 'enableUpsert' = 'true')");

        assertThatThrownBy(
                        () ->
                                env.executeSql("INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a')")
                                        .await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("'enableUpsert' = 'true'", "PRIMARY KEY"));
        assertThat(table.rowCount()).isZero();
    }

    private static TableEnvironment env() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        // One lookup subtask, so that one cache sees every probe row.
        env.getConfig().set(CoreOptions.DEFAULT_PARALLELISM, 1);
        return env;
    }

    /** The connection options as Alibaba's documentation names them. */
    private static String alibaba(String table) {
        return alibaba(table, OdpsTestServer.ACCESS_KEY);
    }

    private static String alibaba(String table, String accessKey) {
        return "'connector' = 'odps', 'endPoint' = '"
                + ODPS.endpoint()
                + "', 'tunnelEndpoint' = '"
                + ODPS.tunnelEndpoint()
                + "', 'project' = '"
                + OdpsTestServer.DEFAULT_PROJECT
                + "', 'tableName' = '"
                + table
                + "', 'accessId' = '"
                + OdpsTestServer.ACCESS_ID
                + "', 'accessKey' = '"
                + accessKey
                + "', 'retryTimes' = '1', 'sleepMillis' = '10'";
    }

    /** The same with this connector's names. */
    private static String ours(String table) {
        return "'connector' = 'odps', 'endpoint' = '"
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
                + "', 'client.max-retries' = '1', 'client.retry-backoff' = '10 ms'";
    }

    private static List<String> query(TableEnvironment env, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
            it.forEachRemaining(row -> rows.add(row.toString()));
        }
        return rows;
    }

    private static String fullMessage(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }
}
