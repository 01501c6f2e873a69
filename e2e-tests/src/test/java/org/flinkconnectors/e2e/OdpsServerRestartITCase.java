package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MaxCompute restarted while the 'odps' sinks of a checkpointed job commit: the test server's front
 * end restarts when a commit request of an upload session (append table) and one of an upsert
 * session (primary-key table) arrive, either before the commit takes effect or after it took effect
 * with its answer lost. Every connection drops, the service refuses connections for a few seconds,
 * then answers again with its state intact, as after a real service restart. The job copies ids
 * 1..N through the SQL jar on two TaskManager JVMs and must finish with every id exactly once in
 * the append table and exactly one row per key, holding its last value, in the primary-key table.
 */
class OdpsServerRestartITCase extends StandaloneClusterTestBase {

    private static final long IDS = 100_000;
    private static final int ROWS_PER_SECOND = 6_000;
    private static final Duration DOWNTIME = Duration.ofSeconds(5);

    private static final OdpsTestServer ODPS = new OdpsTestServer();

    @BeforeAll
    static void startFlink() throws Exception {
        // 30 attempts: without client retries every request in an outage fails a restarted job.
        startFaultCluster(checkpointsAndRestarts("2s", 30, "1s"));
    }

    @BeforeAll
    static void startOdps() throws Exception {
        ODPS.startUp();
    }

    @AfterAll
    static void stopOdps() {
        ODPS.tearDown();
    }

    /**
     * @param when {@code before}: the restart comes before the commit takes effect; {@code after}:
     *     the commit took effect and its answer is lost
     * @param maxRetries the sinks' {@code client.max-retries}: with the default 5 the retries
     *     outlast the downtime, so the committers ride the restart out; with 0 a commit that meets
     *     the restart fails the job, and the restored job commits that checkpoint's sessions. Two
     *     of the four combinations run, to keep CI short: retries ride out a restart before the
     *     commits, and a restored job meets commits that took effect without an answer.
     */
    @ParameterizedTest(name = "restart {0} the commits take effect, client.max-retries={1}")
    @CsvSource({"before, 5", "after, 0"})
    void aServiceRestartAtTheCommitsLosesAndDuplicatesNothing(String when, int maxRetries)
            throws Exception {
        String name = "restart_" + when + "_r" + maxRetries;
        String label = "MaxCompute restart " + when + " commit, max-retries " + maxRetries + ": ";
        ServerTable appendTable =
                OdpsTestTables.createTable(ODPS, name + "_ids", OdpsTestTables.idNameSchema(true));
        String pkTable = name + "_ups";
        String connection = odpsOptions(ODPS) + ", 'client.max-retries' = '" + maxRetries + "'";
        String jobId;
        try (Session session = gateway.openSession()) {
            addSqlJar(session, sqlJar("odps.sql.jar"));
            run(
                    session,
                    "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                            + " 'rows-per-second' = '"
                            + ROWS_PER_SECOND
                            + "', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                            + " 'fields.id.end' = '"
                            + IDS
                            + "')");
            declareOdpsIds(
                    session,
                    "ids",
                    ODPS,
                    appendTable,
                    ", 'client.max-retries' = '" + maxRetries + "'");
            run(
                    session,
                    "CREATE CATALOG mc WITH ("
                            + connection.replace("'connector' = 'odps'", "'type' = 'odps'")
                            + ")");
            run(
                    session,
                    "CREATE TABLE mc.`default`."
                            + pkTable
                            + " (k BIGINT NOT NULL, v BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
            // Key k gets ids 2k+1 and 2k+2, from two datagen subtasks; it must end holding 2k+2.
            jobId =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO ids SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen;"
                                            + " INSERT INTO mc.`default`."
                                            + pkTable
                                            + " SELECT (id - 1) / 2, MAX(id) FROM gen"
                                            + " GROUP BY (id - 1) / 2; END")
                            .jobId();
        }

        cluster.awaitCompletedCheckpoints(jobId, 2);
        Predicate<ServerRequest> uploadCommit = commitOf(appendTable.name(), "uploadid");
        Predicate<ServerRequest> upsertCommit = commitOf(pkTable, "upsertid");
        try {
            if (when.equals("after")) {
                ODPS.faults()
                        .restartAfter(uploadCommit, 1, DOWNTIME)
                        .restartAfter(upsertCommit, 1, DOWNTIME);
            } else {
                ODPS.faults()
                        .restartBefore(uploadCommit, 1, DOWNTIME)
                        .restartBefore(upsertCommit, 1, DOWNTIME);
            }
            progress("armed a MaxCompute restart " + when + " an upload and an upsert commit");
            String state = cluster.awaitJobTermination(jobId, Duration.ofMinutes(3));
            assertThat(state).as(() -> cluster.jobException(jobId)).isEqualTo("FINISHED");
            assertThat(ODPS.faults().pending()).as("restarts that never came").isZero();
        } finally {
            ODPS.faults().clear();
        }
        int failovers =
                cluster.rest("/jobs/" + jobId + "/exceptions")
                        .path("exceptionHistory")
                        .path("entries")
                        .size();
        progress(label + failovers + " failovers");

        IdCount ids = IdCount.of("odps", IDS, OdpsTestTables.committedIds(appendTable));
        UpsertCount upserts =
                UpsertCount.of(
                        "odps pk",
                        IDS / 2,
                        OdpsTestTables.committedKeyValues(
                                ODPS.store().table(OdpsTestServer.DEFAULT_PROJECT, pkTable)),
                        k -> 2 * k + 2);
        progress(label + ids);
        progress(label + upserts);
        assertThat(ids.exactlyOnce()).as(ids.toString()).isTrue();
        assertThat(upserts.oneLastRowPerKey()).as(upserts.toString()).isTrue();
        if (maxRetries == 0) {
            assertThat(failovers).as("failovers without retries").isPositive();
        }
    }

    /** The requests that commit a tunnel session of the table: {@code POST ?uploadid|upsertid}. */
    private static Predicate<ServerRequest> commitOf(String table, String sessionParam) {
        return request ->
                request.service() == ServerRequest.Service.TUNNEL
                        && request.method().equals("POST")
                        && request.has(sessionParam)
                        // .../tables/{t} for uploads, .../tables/{t}/upserts for upserts
                        && (request.resource() + "/").contains("/tables/" + table + "/");
    }
}
