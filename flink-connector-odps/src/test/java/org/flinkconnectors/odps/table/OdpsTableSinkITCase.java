package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerPartition;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code INSERT INTO} an {@code odps} table: partitions, validation and secrets. */
class OdpsTableSinkITCase {

    private static final String SECRET_KEY = "s3cr3t-access-key-value";

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @Test
    void dynamicPartitionsFromRows() throws Exception {
        ServerTable table = createTable("sql_dynamic");
        TableEnvironment env = batch();
        env.executeSql(ddl("t", table.name(), "")).await();
        env.executeSql(
                        "INSERT INTO t SELECT CAST(id AS BIGINT), name, ds FROM (VALUES"
                                + " (1, 'a', '20261120'), (2, 'b', '20261121'), (3, 'c', '20261121'))"
                                + " AS v(id, name, ds)")
                .await();

        assertThat(table.partitions())
                .extracting(ServerPartition::spec)
                .containsExactly("ds=20261120", "ds=20261121");
        assertThat(names(table.partition("ds=20261121").rows()))
                .containsExactlyInAnyOrder("b", "c");
        assertThat(names(table.partition("ds=20261120").rows())).containsExactly("a");
    }

    @Test
    void staticPartitionFromInsertClauseAndOption() throws Exception {
        ServerTable table = createTable("sql_static");
        TableEnvironment env = batch();
        env.executeSql(ddl("t", table.name(), "")).await();
        env.executeSql("INSERT INTO t PARTITION (ds='p1') SELECT CAST(1 AS BIGINT), 'x'").await();
        env.executeSql(ddl("o", table.name(), ", 'partition' = 'ds=p2'")).await();
        env.executeSql("INSERT INTO o SELECT CAST(2 AS BIGINT), 'y', 'p2'").await();

        assertThat(names(table.partition("ds=p1").rows())).containsExactly("x");
        assertThat(names(table.partition("ds=p2").rows())).containsExactly("y");
    }

    @Test
    void typeMismatchNamesColumnAndBothTypesWithoutSecrets() {
        ServerTable table = createTable("sql_mismatch");
        TableEnvironment env = batch();
        env.executeSql(
                "CREATE TABLE bad (id INT, name STRING, ds STRING) WITH ("
                        + options(table.name(), OdpsTestServer.ACCESS_KEY)
                        + ")");
        assertThatThrownBy(() -> env.executeSql("INSERT INTO bad SELECT 1, 'x', 'd'").await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("'id'")
                                        .contains("INT")
                                        .contains("BIGINT")
                                        .doesNotContain(SECRET_KEY));
    }

    @Test
    void badOptionValueNamesTheOptionWithoutSecrets() {
        ServerTable table = createTable("sql_bad_option");
        TableEnvironment env = batch();
        env.executeSql(
                ddlWithKey("t", table.name(), ", 'sink.delivery-guarantee' = 'none'", SECRET_KEY));
        assertThatThrownBy(
                        () ->
                                env.executeSql("INSERT INTO t SELECT CAST(1 AS BIGINT), 'x', 'd'")
                                        .await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("sink.delivery-guarantee")
                                        .contains("exactly-once")
                                        .doesNotContain(SECRET_KEY));
    }

    @Test
    void wildcardPartitionIsRejectedForWrites() {
        ServerTable table = createTable("sql_wildcard");
        TableEnvironment env = batch();
        env.executeSql(ddl("t", table.name(), ", 'partition' = 'ds=2026*'"));
        assertThatThrownBy(
                        () ->
                                env.executeSql("INSERT INTO t SELECT CAST(1 AS BIGINT), 'x', 'd'")
                                        .await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("'partition' = 'ds=2026*'")
                                        .contains("exact values"));
    }

    @Test
    void wrongCredentialsFailClearlyWithoutSecrets() {
        ServerTable table = createTable("sql_wrong_key");
        TableEnvironment env = batch();
        env.executeSql(ddlWithKey("t", table.name(), "", SECRET_KEY));
        assertThatThrownBy(
                        () ->
                                env.executeSql("INSERT INTO t SELECT CAST(1 AS BIGINT), 'x', 'd'")
                                        .await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains(table.name())
                                        .containsIgnoringCase("signature")
                                        .doesNotContain(SECRET_KEY));
        assertThat(table.rowCount()).isZero();
    }

    @Test
    void missingTableFailsClearly() {
        TableEnvironment env = batch();
        env.executeSql(ddl("t", "no_such_table", ""));
        assertThatThrownBy(
                        () ->
                                env.executeSql("INSERT INTO t SELECT CAST(1 AS BIGINT), 'x', 'd'")
                                        .await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("no_such_table")
                                        .containsIgnoringCase("not found"));
    }

    private static ServerTable createTable(String name) {
        return OdpsTestTables.createTable(ODPS, name, OdpsTestTables.idNameSchema(true));
    }

    private static TableEnvironment batch() {
        return TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    private static String ddl(String name, String table, String extraOptions) {
        return ddlWithKey(name, table, extraOptions, OdpsTestServer.ACCESS_KEY);
    }

    private static String ddlWithKey(String name, String table, String extra, String key) {
        return "CREATE TABLE "
                + name
                + " (id BIGINT, name STRING, ds STRING) PARTITIONED BY (ds)"
                + " WITH ("
                + options(table, key)
                + extra
                + ")";
    }

    private static String options(String table, String key) {
        return "'connector' = 'odps', 'endpoint' = '"
                + ODPS.endpoint()
                + "',"
                + " 'tunnel-endpoint' = '"
                + ODPS.tunnelEndpoint()
                + "',"
                + " 'project' = '"
                + OdpsTestServer.DEFAULT_PROJECT
                + "', 'table' = '"
                + table
                + "',"
                + " 'access-id' = '"
                + OdpsTestServer.ACCESS_ID
                + "', 'access-key' = '"
                + key
                + "',"
                + " 'client.max-retries' = '1'";
    }

    private static List<String> names(List<Record> rows) {
        return rows.stream().map(r -> r.getString(1)).collect(Collectors.toList());
    }

    private static String fullMessage(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }
}
