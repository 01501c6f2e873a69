package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints of 'odps' sinks restored after the 24-hour lifetime of the upload and upsert sessions
 * they hold (the test server's clock moved forward), on a real standalone cluster through the SQL
 * jar: sessions whose commit took effect are found committed, so the restored job finishes with
 * every id once; sessions never committed fail the job, saying to write those rows again.
 */
class OdpsSessionLifetimeITCase extends OdpsFaultsTestBase {

    private static final Duration PAST_SESSION_LIFETIME = Duration.ofHours(25);

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster();
    }

    /**
     * A job writing an append and a primary-key table is stopped with a savepoint, which commits
     * the sessions the savepoint holds; it is restored 25 hours later by the server's clock. The
     * restored committers find those sessions committed by their own status, past their lifetime,
     * and the job finishes without a failover: every id once, every key once with its last value.
     */
    @Test
    void aSavepointRestoredPastTheSessionLifetimeFindsItsCommittedSessions() throws Exception {
        ServerTable ids =
                OdpsTestTables.createTable(
                        ODPS, "lifetime_done_ids", OdpsTestTables.idNameSchema(true));
        ServerTable keyValues = keyValueTable(ODPS, "lifetime_done_ups", false);
        String jobId = submitBothSinks(ids, keyValues, null);
        awaitSessions(ODPS, ids, false, 1);
        awaitSessions(ODPS, keyValues, true, 1);
        String savepoint =
                cluster.stopWithSavepoint(jobId, Files.createTempDirectory(workDir, "savepoints"));
        long committedAtStop = ids.rowCount();
        progress("stopped with savepoint " + savepoint + ", " + committedAtStop + " ids committed");
        assertThat(committedAtStop).as("ids committed when stopped").isBetween(1L, IDS - 1);

        ODPS.clock().advance(PAST_SESSION_LIFETIME);
        String restored = submitBothSinks(ids, keyValues, savepoint);
        assertThat(cluster.awaitJobTermination(restored, JOB_TIMEOUT))
                .as(() -> cluster.jobException(restored))
                .isEqualTo("FINISHED");

        IdCount idCount = IdCount.of("odps, restored", IDS, OdpsTestTables.committedIds(ids));
        UpsertCount upserts = keyValueCount("odps pk, restored", keyValues);
        progress("savepoint restored past the session lifetime: " + idCount);
        progress("savepoint restored past the session lifetime: " + upserts);
        assertThat(failovers(restored)).as("failovers of the restored job").isZero();
        assertThat(idCount.exactlyOnce()).as(idCount.toString()).isTrue();
        assertThat(upserts.oneLastRowPerKey()).as(upserts.toString()).isTrue();
        assertThat(cluster.logLines("was committed before; nothing to do"))
                .as("sessions of the savepoint found committed by the restored committers")
                .anyMatch(line -> line.contains(ids.name()) && line.contains("upload session"))
                .anyMatch(line -> line.contains(keyValues.name()) && line.contains("upsert"));
    }

    /**
     * For both session kinds at once, a savepoint is taken while rows sit in open sessions (Flink
     * notifies no sink of it, and the jobs make no checkpoint before, so nothing is committed), the
     * jobs are cancelled, and the savepoint is restored 25 hours later by the server's clock: the
     * sessions expired uncommitted. Each restored job fails naming the session, its rows and what
     * to do, and commits nothing.
     */
    @Test
    void aSavepointRestoredPastTheSessionLifetimeFailsForSessionsNeverCommitted() throws Exception {
        List<UncommittedRun> runs = List.of(new UncommittedRun(false), new UncommittedRun(true));
        for (UncommittedRun run : runs) {
            run.start();
        }
        for (UncommittedRun run : runs) {
            run.savepointUncommittedRows();
        }
        ODPS.clock().advance(PAST_SESSION_LIFETIME);
        for (UncommittedRun run : runs) {
            run.restore();
        }
        for (UncommittedRun run : runs) {
            run.assertRestoreFailedNamingTheExpiredSession();
        }
    }

    /** A job writing one sink, with no periodic checkpoint, and its restore. */
    private static final class UncommittedRun {
        final boolean upsert;
        final ServerTable table;
        String jobId;
        String savepoint;
        String restored;

        UncommittedRun(boolean upsert) {
            this.upsert = upsert;
            this.table =
                    upsert
                            ? keyValueTable(ODPS, "lifetime_open_ups", false)
                            : OdpsTestTables.createTable(
                                    ODPS, "lifetime_open_ids", OdpsTestTables.idNameSchema(true));
        }

        String kind() {
            return upsert ? "upsert session" : "upload session";
        }

        void start() throws Exception {
            jobId = submitOneSink(table, upsert, null);
        }

        /** Takes the savepoint once a writer has opened a session, so it holds rows. */
        void savepointUncommittedRows() throws Exception {
            awaitSessions(ODPS, table, upsert, 1);
            savepoint =
                    cluster.triggerSavepoint(
                            jobId, Files.createTempDirectory(workDir, "savepoints"));
            cluster.cancelJob(jobId);
        }

        void restore() throws Exception {
            restored = submitOneSink(table, upsert, savepoint);
        }

        void assertRestoreFailedNamingTheExpiredSession() throws Exception {
            assertThat(cluster.awaitJobTermination(restored, JOB_TIMEOUT)).isEqualTo("FAILED");
            String error = cluster.jobException(restored);
            String tablePath = OdpsTestServer.DEFAULT_PROJECT + "." + table.name();
            String label = kind() + " past its lifetime, never committed: ";
            if (upsert) {
                progress(label + lineWith(error, "Upsert session"));
                assertThat(error)
                        .containsPattern(
                                "Upsert session \\S+ of table " + tablePath + " is expired")
                        .containsPattern("its [1-9][0-9]* upserts and deletes were not committed")
                        .contains("Write those changes again");
                progress(label + keyValueCount("odps pk, expired", table));
            } else {
                progress(label + lineWith(error, "Upload session"));
                assertThat(error)
                        .containsPattern(
                                "Upload session \\S+ of partition ds=(even|odd) of table "
                                        + tablePath)
                        .contains("expired before it was committed")
                        .containsPattern("its [1-9][0-9]* rows were not committed")
                        .contains("Write those rows again");
                progress(
                        label
                                + IdCount.of(
                                        "odps, expired", IDS, OdpsTestTables.committedIds(table)));
            }
            assertThat(table.rowCount()).as("rows committed").isZero();
        }
    }

    /** Ids 1..N into an append table (ds by parity) and key (id - 1) / 2 into a primary-key one. */
    private static String submitBothSinks(ServerTable ids, ServerTable keyValues, String savepoint)
            throws Exception {
        try (Session session = openSession(restoreSettings(savepoint))) {
            declareIdSequence(session, IDS, 20_000);
            declareOdpsIds(session, "ids", ODPS, ids, "");
            declareKeyValues(session, ODPS, keyValues, false);
            return run(
                            session,
                            "EXECUTE STATEMENT SET BEGIN "
                                    + INSERT_IDS
                                    + "; "
                                    + INSERT_KEY_VALUES
                                    + "; END")
                    .jobId();
        }
    }

    /** One of the two sinks of {@link #submitBothSinks}, with no periodic checkpoint. */
    private static String submitOneSink(ServerTable table, boolean upsert, String savepoint)
            throws Exception {
        Map<String, String> settings =
                savepoint == null
                        ? Map.of("execution.checkpointing.interval", "1h")
                        : restoreSettings(savepoint);
        try (Session session = openSession(settings)) {
            declareIdSequence(session, IDS, 5_000);
            if (upsert) {
                declareKeyValues(session, ODPS, table, false);
                return run(session, INSERT_KEY_VALUES).jobId();
            }
            declareOdpsIds(session, "ids", ODPS, table, "");
            return run(session, INSERT_IDS).jobId();
        }
    }

    private static final String INSERT_IDS =
            "INSERT INTO ids SELECT id, 'n', IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen";

    /** Key k gets ids 2k+1 and 2k+2; it must end holding 2k+2. */
    private static final String INSERT_KEY_VALUES =
            "INSERT INTO ups SELECT (id - 1) / 2, MAX(id) FROM gen GROUP BY (id - 1) / 2";

    private static Map<String, String> restoreSettings(String savepoint) {
        return savepoint == null
                ? Map.of("execution.checkpointing.interval", "1s")
                : Map.of(
                        "execution.checkpointing.interval",
                        "1s",
                        "execution.state-recovery.path",
                        savepoint);
    }
}
