package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MaxCompute changing under the 'odps' connector, on a real standalone cluster through the SQL jar,
 * each case counted with the test server's committed rows:
 *
 * <ul>
 *   <li>a partition the streaming source already read is overwritten with more rows than before: by
 *       default the job fails naming table, partition and change; with {@code
 *       'scan.on-partition-change' = 'reread'} the new contents are copied as well, once;
 *   <li>a partition of a primary-key table is dropped and recreated between a checkpoint and the
 *       commit of its upsert sessions: the job fails naming session and partition, takes nothing as
 *       committed, and a replay of the input (what the message advises) leaves every key once;
 *   <li>a savepoint is restored after the 24-hour lifetime of the upload and upsert sessions it
 *       holds (the server's clock moved forward): sessions whose commit took effect are found
 *       committed, so the restored job finishes with every id once; sessions never committed fail
 *       the job, saying to write those rows again.
 * </ul>
 */
class OdpsPartitionAndSessionFaultsITCase extends StandaloneClusterTestBase {

    private static final long IDS = 100_000;

    /** What the overwrite puts into the partition the source read: more rows, other ids. */
    private static final long OVERWRITE_IDS = 120_000;

    private static final Duration PAST_SESSION_LIFETIME = Duration.ofHours(25);
    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster();
    }

    /**
     * With the default {@code 'fail'} the overwrite is neither read nor taken for appended rows.
     */
    @Test
    void aReadPartitionOverwrittenWithMoreRowsFailsTheStreamingJob() throws Exception {
        StreamingCopy copy = StreamingCopy.start("overwrite_fail", "");
        copy.overwriteReadPartition();

        assertThat(cluster.awaitJobTermination(copy.jobId, JOB_TIMEOUT)).isEqualTo("FAILED");
        String error = cluster.jobException(copy.jobId);
        progress("overwritten partition, 'fail': " + lineWith(error, "changed other than"));
        assertThat(error)
                .contains(
                        "Partition ds=1 of table "
                                + OdpsTestServer.DEFAULT_PROJECT
                                + "."
                                + copy.source.name()
                                + " changed other than by appending rows: it has "
                                + OVERWRITE_IDS
                                + " rows now ("
                                + IDS
                                + " were read), but row 0 is no longer the same")
                .contains("'scan.on-partition-change' = 'reread'");
        IdCount count = IdCount.of("odps copy, fail", IDS, copy.committedIds());
        progress("overwritten partition, 'fail': " + count);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
    }

    /**
     * With {@code 'reread'} the connector promises the new contents from their first row, the rows
     * already emitted staying emitted: here, where the overwrite holds other ids, every id of the
     * old and the new contents once. A partition created afterwards arrives as well.
     */
    @Test
    void aReadPartitionOverwrittenWithMoreRowsIsCopiedAgainWithReread() throws Exception {
        StreamingCopy copy =
                StreamingCopy.start("overwrite_reread", ", 'scan.on-partition-change' = 'reread'");
        copy.overwriteReadPartition();
        copy.awaitCommittedRows(IDS + OVERWRITE_IDS);

        long lastId = IDS + OVERWRITE_IDS + 1;
        ODPS.store()
                .append(
                        OdpsTestServer.DEFAULT_PROJECT,
                        copy.source.name(),
                        "ds=2",
                        OdpsTestTables.idNameRows(lastId, 1, id -> "later"));
        copy.awaitCommittedRows(lastId);
        // Two more checkpoints: time for discoveries that would wrongly read ds=1 once more.
        int completed =
                cluster.rest("/jobs/" + copy.jobId + "/checkpoints")
                        .at("/counts/completed")
                        .asInt();
        cluster.awaitCompletedCheckpoints(copy.jobId, completed + 2);
        cluster.cancelJob(copy.jobId);

        IdCount count = IdCount.of("odps copy, reread", lastId, copy.committedIds());
        progress("overwritten partition, 'reread': " + count);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
        assertThat(cluster.logLines("Reading its " + OVERWRITE_IDS + " rows again"))
                .as("the source's warning about the re-read partition")
                .isNotEmpty();
    }

    /**
     * Upserts into partitions {@code even} and {@code odd} of a primary-key table; MaxCompute holds
     * the first commit of an {@code odd} session for a second (checkpoints come every two), and the
     * test drops and recreates that partition meanwhile. The commit then meets a session of a
     * partition that no longer exists: the job must fail naming session and partition, and must not
     * take the changes as committed. Replaying the input without state, as the message advises,
     * leaves every key once with its last value.
     */
    @Test
    void aPartitionDroppedAndRecreatedBeforeItsUpsertCommitFailsTheJobClearly() throws Exception {
        ServerTable table = keyValueTable("recreated_ups", true);
        String insert =
                "INSERT INTO ups SELECT k, MAX(id), ds FROM (SELECT (id - 1) / 2 AS k, id,"
                        + " IF(MOD((id - 1) / 2, 2) = 0, 'even', 'odd') AS ds FROM gen)"
                        + " GROUP BY k, ds";
        String jobId;
        ODPS.faults().delayRequests(upsertCommitOf(table, "ds=odd"), 1, Duration.ofSeconds(1));
        try {
            try (Session session = openSession(Map.of("execution.checkpointing.interval", "2s"))) {
                declareIdSequence(session, IDS, 10_000);
                declareKeyValues(session, table, true);
                jobId = run(session, insert).jobId();
            }
            Polling.poll(
                    "an upsert commit of partition ds=odd to arrive",
                    COPY_TIMEOUT,
                    () -> ODPS.faults().pending() == 0 ? Optional.of(true) : Optional.empty());
            assertThat(table.dropPartition("ds=odd")).isTrue();
            table.partitionOrCreate("ds=odd");
            progress("dropped and recreated ds=odd while its commit was held");

            assertThat(cluster.awaitJobTermination(jobId, JOB_TIMEOUT)).isEqualTo("FAILED");
        } finally {
            ODPS.faults().clear();
        }
        String error = cluster.jobException(jobId);
        progress("partition dropped and recreated: " + lineWith(error, "no longer knows"));
        assertThat(error)
                .contains("MaxCompute no longer knows upsert session")
                .contains(
                        "of partition ds=odd of table "
                                + OdpsTestServer.DEFAULT_PROJECT
                                + "."
                                + table.name())
                .contains("its partition was dropped")
                .contains("Check the partition")
                .contains("otherwise write them again");
        assertThat(table.partition("ds=odd").rowCount())
                .as("changes of the dropped partition's sessions taken as committed")
                .isZero();
        UpsertCount afterFailure = keyValueCount("odps pk, failed", table);
        progress("partition dropped and recreated, failed job: " + afterFailure);
        assertThat(afterFailure.duplicated()).isZero();

        String replay;
        try (Session session = openSession(Map.of("execution.checkpointing.interval", "1s"))) {
            declareIdSequence(session, IDS, 50_000);
            declareKeyValues(session, table, true);
            replay = run(session, insert).jobId();
        }
        assertThat(cluster.awaitJobTermination(replay, JOB_TIMEOUT))
                .as(() -> cluster.jobException(replay))
                .isEqualTo("FINISHED");
        UpsertCount replayed = keyValueCount("odps pk, replayed", table);
        progress("partition dropped and recreated, input replayed: " + replayed);
        assertThat(replayed.oneLastRowPerKey()).as(replayed.toString()).isTrue();
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
        ServerTable keyValues = keyValueTable("lifetime_done_ups", false);
        String jobId = submitBothSinks(ids, keyValues, null);
        awaitSessions(ids, false, 1);
        awaitSessions(keyValues, true, 1);
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
                            ? keyValueTable("lifetime_open_ups", false)
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
            awaitSessions(table, upsert, 1);
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

    /** A streaming copy of an odps table (ids 1..N in ds=1) into another, exactly once. */
    private record StreamingCopy(ServerTable source, ServerTable sink, String jobId) {

        static StreamingCopy start(String name, String sourceOptions) throws Exception {
            ServerTable source =
                    OdpsTestTables.createTable(
                            ODPS, name + "_src", OdpsTestTables.idNameSchema(true));
            ServerTable sink =
                    OdpsTestTables.createTable(
                            ODPS, name + "_dst", OdpsTestTables.idNameSchema(true));
            ODPS.store()
                    .append(
                            OdpsTestServer.DEFAULT_PROJECT,
                            source.name(),
                            "ds=1",
                            OdpsTestTables.idNameRows(1, IDS, id -> "old"));
            String jobId;
            try (Session session = openSession(Map.of("execution.checkpointing.interval", "1s"))) {
                declareOdpsIds(
                        session,
                        "src",
                        ODPS,
                        source,
                        ", 'scan.partition-discovery.interval' = '1s', 'scan.split-rows' = '50000'"
                                + sourceOptions);
                declareOdpsIds(session, "dst", ODPS, sink, "");
                jobId = run(session, "INSERT INTO dst SELECT * FROM src").jobId();
            }
            StreamingCopy copy = new StreamingCopy(source, sink, jobId);
            copy.awaitCommittedRows(IDS);
            return copy;
        }

        /** Replaces partition ds=1, all of it read and committed, with more rows of other ids. */
        void overwriteReadPartition() {
            ODPS.store()
                    .overwrite(
                            OdpsTestServer.DEFAULT_PROJECT,
                            source.name(),
                            "ds=1",
                            OdpsTestTables.idNameRows(IDS + 1, OVERWRITE_IDS, id -> "new"));
            progress("overwrote ds=1 of " + source.name() + " with " + OVERWRITE_IDS + " rows");
        }

        void awaitCommittedRows(long rows) throws Exception {
            Polling.poll(
                    rows + " rows committed into " + sink.name(),
                    COPY_TIMEOUT,
                    () -> {
                        if (cluster.rest("/jobs/" + jobId)
                                .path("state")
                                .asText()
                                .equals("FAILED")) {
                            throw new AssertionError(cluster.jobException(jobId));
                        }
                        return sink.rowCount() >= rows ? Optional.of(true) : Optional.empty();
                    });
        }

        List<Long> committedIds() {
            return OdpsTestTables.committedIds(sink);
        }
    }

    /** Ids 1..N into an append table (ds by parity) and key (id - 1) / 2 into a primary-key one. */
    private static String submitBothSinks(ServerTable ids, ServerTable keyValues, String savepoint)
            throws Exception {
        try (Session session = openSession(restoreSettings(savepoint))) {
            declareIdSequence(session, IDS, 20_000);
            declareOdpsIds(session, "ids", ODPS, ids, "");
            declareKeyValues(session, keyValues, false);
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
                declareKeyValues(session, table, false);
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

    /** A gateway session with these settings and the odps SQL jar added. */
    private static Session openSession(Map<String, String> settings) throws Exception {
        Session session = gateway.openSession(settings);
        addSqlJar(session, sqlJar("odps.sql.jar"));
        return session;
    }

    /** A MaxCompute primary-key table {@code (k BIGINT, v BIGINT)}, optionally by {@code ds}. */
    private static ServerTable keyValueTable(String name, boolean partitioned) {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("k", OdpsType.BIGINT));
        schema.addColumn(new Column("v", OdpsType.BIGINT));
        if (partitioned) {
            schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        }
        return ODPS.store()
                .createTable(
                        OdpsTestServer.DEFAULT_PROJECT, null, name, schema, List.of("k"), null);
    }

    /** Declares table {@code ups} over a {@link #keyValueTable}. */
    private static void declareKeyValues(Session session, ServerTable table, boolean partitioned)
            throws Exception {
        run(
                session,
                "CREATE TABLE ups (k BIGINT NOT NULL, v BIGINT"
                        + (partitioned
                                ? ", ds STRING NOT NULL, PRIMARY KEY (k, ds) NOT ENFORCED)"
                                        + " PARTITIONED BY (ds)"
                                : ", PRIMARY KEY (k) NOT ENFORCED)")
                        + " WITH ("
                        + odpsOptions(ODPS)
                        + ", 'table' = '"
                        + table.name()
                        + "')");
    }

    private static UpsertCount keyValueCount(String label, ServerTable table) {
        return UpsertCount.of(
                label, IDS / 2, OdpsTestTables.committedKeyValues(table), k -> 2 * k + 2);
    }

    /** The commit requests of the table's upsert sessions of one partition. */
    private static Predicate<ServerRequest> upsertCommitOf(ServerTable table, String partition) {
        return request ->
                request.service() == ServerRequest.Service.TUNNEL
                        && request.method().equals("POST")
                        && request.has("upsertid")
                        && request.resource().endsWith("/tables/" + table.name() + "/upserts")
                        && request.param("partition") != null
                        && table.canonicalSpec(request.param("partition")).equals(partition);
    }

    /** How many tunnel sessions the sink has opened on the table so far. */
    private static int sessionsOpened(ServerTable table, boolean upsert) {
        String resource = "/tables/" + table.name() + (upsert ? "/upserts" : "");
        return (int)
                ODPS.requests().stream()
                        .filter(r -> r.service() == ServerRequest.Service.TUNNEL)
                        .filter(r -> r.method().equals("POST"))
                        .filter(r -> r.resource().endsWith(resource))
                        .filter(r -> upsert ? !r.has("upsertid") : r.has("uploads"))
                        .count();
    }

    /** Waits until the sinks have opened this many sessions on the table (each on a first row). */
    private static void awaitSessions(ServerTable table, boolean upsert, int sessions)
            throws Exception {
        Polling.poll(
                sessions + " sessions opened on " + table.name(),
                COPY_TIMEOUT,
                () ->
                        sessionsOpened(table, upsert) >= sessions
                                ? Optional.of(true)
                                : Optional.empty());
    }

    private static int failovers(String jobId) throws Exception {
        return cluster.rest("/jobs/" + jobId + "/exceptions")
                .path("exceptionHistory")
                .path("entries")
                .size();
    }

    /** The first line of a job's exception with this text, e.g. the connector's own message. */
    private static String lineWith(String error, String text) {
        return error.lines().filter(line -> line.contains(text)).findFirst().orElse(error);
    }
}
