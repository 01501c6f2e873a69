package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.e2e.SqlGatewayClient.StatementResult;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import com.aliyun.odps.Column;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ODPS SQL jar on a real standalone Flink session cluster: a SQL gateway session runs {@code
 * ADD JAR}, writes into MaxCompute with dynamic partitions, reads back with partition pruning, runs
 * a lookup join and browses the {@code odps} catalog. The cluster's classpath holds neither the
 * suite's classes nor the ODPS SDK, so both can only come from the SQL jar. MaxCompute is the
 * {@link OdpsTestServer} in the test JVM.
 */
class StandaloneClusterOdpsSqlJarITCase {

    private static final long ROWS = 20_000;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

    private static final OdpsTestServer ODPS = new OdpsTestServer();

    private static StandaloneFlinkCluster cluster;
    private static SqlGatewayClient gateway;

    @RegisterExtension static final TestWatcher DUMP_LOGS_ON_FAILURE = new DumpLogsOnFailure();

    @BeforeAll
    static void startOdpsFlinkAndGateway() throws Exception {
        ODPS.startUp();
        Path workDir =
                Files.createDirectories(Path.of(requiredProperty("e2e.work.dir")))
                        .resolve("odps-standalone-" + System.currentTimeMillis());
        ClusterClasspath classpath =
                ClusterClasspath.load(Path.of(requiredProperty("flink.cluster.classpath.file")));
        List<String> opens =
                Arrays.stream(requiredProperty("flink.cluster.jvm.opens").trim().split("\\s+"))
                        .toList();
        cluster = StandaloneFlinkCluster.start(workDir, classpath, opens);
        gateway = new SqlGatewayClient(cluster.sqlGatewayUrl());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        ODPS.tearDown();
    }

    @Test
    void addedSqlJarWritesReadsLooksUpAndBrowsesTheCatalog() throws Exception {
        ServerTable orders =
                OdpsTestTables.createTable(ODPS, "e2e_orders", OdpsTestTables.idNameSchema(true));
        ServerTable customers =
                OdpsTestTables.createTable(
                        ODPS, "e2e_customers", OdpsTestTables.idNameSchema(true));
        seedCustomers(customers);
        try (Session session = gateway.openSession()) {
            run(session, "ADD JAR '" + sqlJar() + "'");
            run(session, "SET 'execution.runtime-mode' = 'batch'");
            run(
                    session,
                    "CREATE TABLE numbers (id BIGINT, proc AS PROCTIME()) WITH ("
                            + " 'connector' = 'datagen', 'number-of-rows' = '"
                            + ROWS
                            + "', 'fields.id.kind' = 'sequence',"
                            + " 'fields.id.start' = '1', 'fields.id.end' = '"
                            + ROWS
                            + "')");
            run(session, "CREATE TABLE orders " + ddl(orders.name(), ""));

            String jobId =
                    run(
                                    session,
                                    "INSERT INTO orders SELECT id, CONCAT('n', CAST(id AS STRING)),"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM numbers")
                            .jobId();
            String state = cluster.awaitJobTermination(jobId, JOB_TIMEOUT);
            assertThat(state).as(() -> cluster.jobException(jobId)).isEqualTo("FINISHED");
            List<Long> ids = OdpsTestTables.committedIds(orders);
            assertThat(new HashSet<>(ids)).hasSize((int) ROWS);
            assertThat(ids).hasSize((int) ROWS);
            assertThat(orders.partition("ds=even").rows()).hasSize((int) ROWS / 2);

            ODPS.clearRequests();
            List<JsonNode> odd =
                    run(session, "SELECT COUNT(*), MIN(id), MAX(id) FROM orders WHERE ds = 'odd'")
                            .rows();
            assertThat(odd.get(0))
                    .extracting(JsonNode::asLong)
                    .containsExactly(ROWS / 2, 1L, ROWS - 1);
            assertThat(ODPS.requests())
                    .as("download sessions opened: only for the pruned partition")
                    .filteredOn(
                            r -> r.service() == ServerRequest.Service.TUNNEL && r.has("downloads"))
                    .extracting(r -> r.param("partition"))
                    .containsOnly("ds=odd");

            run(
                    session,
                    "CREATE TABLE customers "
                            + ddl(customers.name(), ", 'partition' = 'max_pt()'"));
            List<JsonNode> joined =
                    run(
                                    session,
                                    "SELECT COUNT(*), COUNT(c.name), MIN(c.name) FROM numbers AS n"
                                            + " LEFT JOIN customers FOR SYSTEM_TIME AS OF n.proc AS c"
                                            + " ON n.id = c.id")
                            .rows();
            assertThat(joined.get(0).get(0).asLong()).isEqualTo(ROWS);
            assertThat(joined.get(0).get(1).asLong())
                    .as("ids 1..100 have a customer")
                    .isEqualTo(100);
            assertThat(joined.get(0).get(2).asText())
                    .as("from the newest partition")
                    .startsWith("new-");

            run(
                    session,
                    "CREATE CATALOG mc WITH ("
                            + connection().replace("'connector' = 'odps'", "'type' = 'odps'")
                            + ")");
            List<JsonNode> tables = run(session, "SHOW TABLES FROM mc.`default`").rows();
            assertThat(tables)
                    .extracting(row -> row.get(0).asText())
                    .contains(orders.name(), customers.name());
        }
    }

    /** The negative control: without ADD JAR the cluster's classpath has no 'odps' factory. */
    @Test
    void withoutAddJarTheConnectorIsUnknown() throws Exception {
        try (Session session = gateway.openSession()) {
            run(session, "CREATE TABLE plain " + ddl("never_read", ""));
            assertThatThrownBy(() -> run(session, "EXPLAIN SELECT * FROM plain"))
                    .hasMessageContaining("Could not find any factory for identifier 'odps'");
        }
    }

    /** Ids 1..100 in an old partition (names old-*) and the newest one (names new-*). */
    private static void seedCustomers(ServerTable customers) {
        Column[] columns = customers.schema().getColumns().toArray(new Column[0]);
        for (String ds : List.of("ds=20261120", "ds=20261121")) {
            List<Record> rows = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                ArrayRecord row = new ArrayRecord(columns);
                row.setBigint(0, id);
                row.setString(1, (ds.endsWith("21") ? "new-" : "old-") + id);
                rows.add(row);
            }
            ODPS.store().append(OdpsTestServer.DEFAULT_PROJECT, customers.name(), ds, rows);
        }
    }

    private static String ddl(String table, String extraOptions) {
        return "(id BIGINT, name STRING, ds STRING) PARTITIONED BY (ds) WITH ("
                + connection()
                + ", 'table' = '"
                + table
                + "'"
                + extraOptions
                + ")";
    }

    private static String connection() {
        return "'connector' = 'odps', 'endpoint' = '"
                + ODPS.endpoint()
                + "', 'tunnel-endpoint' = '"
                + ODPS.tunnelEndpoint()
                + "', 'project' = '"
                + OdpsTestServer.DEFAULT_PROJECT
                + "', 'access-id' = '"
                + OdpsTestServer.ACCESS_ID
                + "', 'access-key' = '"
                + OdpsTestServer.ACCESS_KEY
                + "'";
    }

    private static StatementResult run(Session session, String statement) throws Exception {
        StatementResult result = session.execute(statement, STATEMENT_TIMEOUT);
        System.out.printf(
                "[%s] executed: %s%n",
                java.time.LocalTime.now(),
                statement.substring(0, Math.min(60, statement.length())));
        return result;
    }

    private static Path sqlJar() {
        Path jar = Path.of(requiredProperty("odps.sql.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing; build it with ./mvnw -pl e2e-tests -am verify");
        }
        return jar;
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "System property "
                            + key
                            + " is not set; failsafe sets it (e2e-tests/pom.xml).");
        }
        return value;
    }

    /** Prints the cluster's and the gateway's logs when a test fails. */
    private static final class DumpLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.out.println("Test failed: " + cause + "; logs of the Flink processes:");
                cluster.dumpLogs(System.out);
            }
        }
    }
}
