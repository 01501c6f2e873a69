package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service that is not there, or that keeps failing: bounded retries with backoff, then an error
 * that says what was attempted and how often; never a hang, never a partial commit.
 */
class OdpsUnreachableServiceITCase {

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @Test
    void nothingListeningFailsAfterTheRetriesNamingTheCall() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort + "/api";
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.executeSql(
                "CREATE TABLE t (id BIGINT, name STRING) WITH ('connector' = 'odps',"
                        + " 'endpoint' = '"
                        + endpoint
                        + "', 'project' = 'p', 'table' = 't', 'access-id' = 'id',"
                        + " 'access-key' = 'never-printed', 'client.max-retries' = '2',"
                        + " 'client.retry-backoff' = '50 ms', 'client.timeout' = '5 s')");

        long start = System.nanoTime();
        assertThatThrownBy(() -> env.executeSql("SELECT * FROM t").await())
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("load the schema of table p.t")
                                        .contains("3 attempt(s)")
                                        .doesNotContain("never-printed"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void persistentServerErrorsOnUploadsFailTheJobWithoutCommittingAnything() {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, "always_503", OdpsTestTables.idNameSchema(false));
        ODPS.faults().failRequests(r -> r.has("blockid"), Integer.MAX_VALUE, 503);
        try {
            TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
            env.executeSql(
                    "CREATE TABLE t (id BIGINT, name STRING) WITH ('connector' = 'odps',"
                            + " 'endpoint' = '"
                            + ODPS.endpoint()
                            + "', 'tunnel-endpoint' = '"
                            + ODPS.tunnelEndpoint()
                            + "', 'project' = '"
                            + OdpsTestServer.DEFAULT_PROJECT
                            + "', 'table' = '"
                            + table.name()
                            + "', 'access-id' = '"
                            + OdpsTestServer.ACCESS_ID
                            + "', 'access-key' = '"
                            + OdpsTestServer.ACCESS_KEY
                            + "', 'client.max-retries' = '2', 'client.retry-backoff' = '20 ms')");

            long start = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    env.executeSql(
                                                    "INSERT INTO t SELECT CAST(id AS BIGINT), 'x'"
                                                            + " FROM (VALUES (1), (2), (3)) AS v(id)")
                                            .await())
                    .satisfies(
                            e ->
                                    assertThat(ExceptionUtils.stringifyException(e))
                                            .contains("table " + OdpsTestServer.DEFAULT_PROJECT)
                                            .contains("attempt(s)")
                                            .contains("503"));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(60));
            assertThat(OdpsTestTables.committedIds(table)).isEmpty();
        } finally {
            ODPS.faults().clear();
        }
    }
}
