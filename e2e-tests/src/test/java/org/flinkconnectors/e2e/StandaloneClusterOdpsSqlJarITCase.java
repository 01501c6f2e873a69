package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import com.aliyun.odps.data.Record;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ODPS SQL jar on a real standalone Flink session cluster: a SQL gateway session runs {@code
 * ADD JAR}, writes into MaxCompute with dynamic partitions, reads back with partition pruning, runs
 * a lookup join and browses the {@code odps} catalog. The cluster's classpath holds neither the
 * suite's classes nor the ODPS SDK, so both can only come from the SQL jar. MaxCompute is the
 * {@link OdpsTestServer} in the test JVM.
 */
class StandaloneClusterOdpsSqlJarITCase extends StandaloneClusterTestBase {

    private static final long ROWS = 20_000;

    private static final OdpsTestServer ODPS = new OdpsTestServer();

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster();
    }

    @BeforeAll
    static void startOdps() throws Exception {
        ODPS.startUp();
    }

    @AfterAll
    static void stopOdps() {
        ODPS.tearDown();
    }

    @Test
    void addedSqlJarWritesReadsLooksUpAndBrowsesTheCatalog() throws Exception {
        ServerTable orders =
                OdpsTestTables.createTable(
                        ODPS, name("e2e_orders"), OdpsTestTables.idNameSchema(true));
        ServerTable customers =
                OdpsTestTables.createTable(
                        ODPS, name("e2e_customers"), OdpsTestTables.idNameSchema(true));
        seedCustomers(customers);
        try (Session session = gateway.openSession()) {
            addSqlJar(session, sqlJar());
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
            declareOdpsIds(session, "orders", ODPS, orders, "");

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

            declareOdpsIds(session, "customers", ODPS, customers, ", 'partition' = 'max_pt()'");
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
            // A job whose only use of the jar is a fully cached lookup releases it too.
            assertFinishedJobsLeaveNoClassLoader();

            run(
                    session,
                    "CREATE CATALOG mc WITH ("
                            + connection().replace("'connector' = 'odps'", "'type' = 'odps'")
                            + ")");
            List<JsonNode> tables = run(session, "SHOW TABLES FROM mc.`default`").rows();
            assertThat(tables)
                    .extracting(row -> row.get(0).asText())
                    .contains(orders.name(), customers.name());

            // Upserts through the catalog's primary-key table: the second insert replaces 1..50.
            run(
                    session,
                    "CREATE TABLE mc.`default`."
                            + name("e2e_accounts")
                            + " (id BIGINT NOT NULL, name STRING,"
                            + " PRIMARY KEY (id) NOT ENFORCED)");
            for (String version : List.of("v1", "v2")) {
                long upTo = version.equals("v1") ? 100 : 50;
                String upsertJob =
                        run(
                                        session,
                                        "INSERT INTO mc.`default`."
                                                + name("e2e_accounts")
                                                + " SELECT id, '"
                                                + version
                                                + "' FROM numbers WHERE id <= "
                                                + upTo)
                                .jobId();
                assertThat(cluster.awaitJobTermination(upsertJob, JOB_TIMEOUT))
                        .as(() -> cluster.jobException(upsertJob))
                        .isEqualTo("FINISHED");
            }
            List<Record> accounts =
                    ODPS
                            .store()
                            .table(OdpsTestServer.DEFAULT_PROJECT, name("e2e_accounts"))
                            .partitions()
                            .stream()
                            .flatMap(p -> p.rows().stream())
                            .toList();
            assertThat(accounts).hasSize(100);
            assertThat(accounts)
                    .allSatisfy(
                            r ->
                                    assertThat(r.getString(1))
                                            .isEqualTo(r.getBigint(0) <= 50 ? "v2" : "v1"));
        }
        assertFinishedJobsLeaveNoClassLoader();
    }

    /** The negative control: only the SQL jar brings the 'odps' factory. */
    @Test
    void connectorIsKnownOnlyWithItsJar() throws Exception {
        assertConnectorKnownOnlyWithItsJar("odps", connection() + ", 'table' = 'never_read'");
    }

    /** Ids 1..100 in an old partition (names old-*) and the newest one (names new-*). */
    private static void seedCustomers(ServerTable customers) {
        for (String ds : List.of("ds=20261120", "ds=20261121")) {
            String prefix = ds.endsWith("21") ? "new-" : "old-";
            ODPS.store()
                    .append(
                            OdpsTestServer.DEFAULT_PROJECT,
                            customers.name(),
                            ds,
                            OdpsTestTables.idNameRows(1, 100, id -> prefix + id));
        }
    }

    private static String connection() {
        return odpsOptions(ODPS);
    }

    private static Path sqlJar() {
        return sqlJar("odps.sql.jar");
    }
}
