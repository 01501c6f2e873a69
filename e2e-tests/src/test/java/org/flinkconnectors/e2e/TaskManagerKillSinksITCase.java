package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TaskManager process killed with SIGKILL while a checkpointed job copies ids 1..N exactly once
 * into every sink: a 'streams' topic, an 'odps' table, an Iceberg and a Delta table of one 'lake'
 * catalog, and upserts into an Iceberg and a MaxCompute primary-key table, all through the SQL jars
 * on a plain distribution with two TaskManager JVMs, while a second job appends more ids to the
 * same lake tables. The kill comes after two completed checkpoints, while data flows; a new
 * TaskManager is started as a supervisor would, the jobs restart from their checkpoints and finish
 * (the commits after a restore and at the end of input). Then each system's own client counts:
 * every id exactly once. The other case kills between a checkpoint and its commit. The sources
 * under a kill are {@link TaskManagerKillSourcesITCase}'s.
 */
class TaskManagerKillSinksITCase extends TaskManagerKillTestBase {

    /**
     * Upsert tables fed by a changelog, as users write them: key k gets ids 2k+1 and 2k+2, which
     * two datagen subtasks make, and its running maximum is upserted; each key must end with
     * exactly one row holding 2k+2.
     */
    private static final String UPSERT_COLUMNS =
            "(k BIGINT NOT NULL, v BIGINT, PRIMARY KEY (k) NOT ENFORCED)";

    private static final String UPSERT_SELECT =
            "SELECT (id - 1) / 2, MAX(id) FROM gen GROUP BY (id - 1) / 2";

    @Test
    void boundedCopyIntoEverySinkSurvivesAKilledTaskManager() throws Exception {
        String topic = "tm-kill-ids";
        kafka.createTopic(topic, 2);
        ServerTable odpsTable =
                OdpsTestTables.createTable(odps, "tm_kill_ids", OdpsTestTables.idNameSchema(true));
        Path warehouse = Files.createTempDirectory(workDir, "warehouse");

        String jobId;
        String appender;
        try (Session session = gateway.openSession()) {
            declareTables(session, warehouse);
            declareStreams(session, "kafka_ids", topic, "");
            declareOdpsIds(session, "odps_ids", odps, odpsTable, "");
            createLakeIdTables(session, "ice", "dlt");
            run(session, "CREATE TABLE lake.db.ups " + UPSERT_COLUMNS);
            run(
                    session,
                    "CREATE CATALOG mc WITH ("
                            + odpsOptions(odps).replace("'connector' = 'odps'", "'type' = 'odps'")
                            + ")");
            run(session, "CREATE TABLE mc.`default`.tm_kill_ups " + UPSERT_COLUMNS);
            jobId =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO kafka_ids SELECT id FROM gen;"
                                            + " INSERT INTO odps_ids SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen;"
                                            + " INSERT INTO lake.db.ice SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO lake.db.dlt SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO lake.db.ups "
                                            + UPSERT_SELECT
                                            + "; INSERT INTO mc.`default`.tm_kill_ups "
                                            + UPSERT_SELECT
                                            + "; END")
                            .jobId();
            // A second job appends ids N+1..2N to the same lake tables at the same time.
            declareIdSequence(session, "gen_more", IDS + 1, 2 * IDS, ROWS_PER_SECOND);
            appender =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO lake.db.ice SELECT id, 'm'"
                                            + " FROM gen_more;"
                                            + " INSERT INTO lake.db.dlt SELECT id, 'm'"
                                            + " FROM gen_more;"
                                            + " END")
                            .jobId();
        }

        replaceATaskManagerAfterCheckpoints(jobId, 2);

        for (String job : List.of(jobId, appender)) {
            String state = cluster.awaitJobTermination(job, Duration.ofMinutes(4));
            assertThat(state).as(() -> cluster.jobException(job)).isEqualTo("FINISHED");
        }
        assertThat(cluster.rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory"))
                .as("the job failed over at least once")
                .isNotEmpty();

        List<IdCount> counts = new ArrayList<>();
        counts.add(IdCount.of("streams", IDS, IndependentReaders.kafkaIds(kafkaProps(), topic)));
        counts.add(IdCount.of("odps", IDS, OdpsTestTables.committedIds(odpsTable)));
        counts.add(
                IdCount.of(
                        "lake iceberg, two jobs",
                        2 * IDS,
                        IndependentReaders.icebergIds(warehouse, "db", "ice")));
        counts.add(
                IdCount.of(
                        "lake delta, two jobs",
                        2 * IDS,
                        IndependentReaders.deltaIds(warehouse.resolve("db").resolve("dlt"))));
        counts.forEach(count -> progress("TaskManager kill, bounded: " + count));
        List<UpsertCount> upserts =
                List.of(
                        UpsertCount.of(
                                "lake iceberg pk",
                                IDS / 2,
                                IndependentReaders.icebergKeyValues(
                                        warehouse, "db", "ups", "k", "v"),
                                k -> 2 * k + 2),
                        UpsertCount.of(
                                "odps pk",
                                IDS / 2,
                                OdpsTestTables.committedKeyValues(
                                        odps.store()
                                                .table(
                                                        OdpsTestServer.DEFAULT_PROJECT,
                                                        "tm_kill_ups")),
                                k -> 2 * k + 2));
        upserts.forEach(count -> progress("TaskManager kill, bounded: " + count));
        assertThat(counts).allMatch(IdCount::exactlyOnce, "every id exactly once");
        assertThat(upserts).allMatch(UpsertCount::oneLastRowPerKey, "one last row per key");
    }

    /**
     * A TaskManager killed between a checkpoint's completion and its commit: MaxCompute holds the
     * commit requests of the tunnel sessions (ten seconds, then an error, so they never take
     * effect) from the moment a checkpoint completes, the TaskManager is killed meanwhile, and the
     * restored job must commit that checkpoint's sessions itself: every id exactly once.
     */
    @Test
    void aCheckpointWhoseCommitWasHeldWhenItsTaskManagerDiedIsCommittedAfterTheRestore()
            throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(odps, "tm_kill_held", OdpsTestTables.idNameSchema(true));
        AtomicBoolean holding = new AtomicBoolean();
        AtomicInteger held = new AtomicInteger();
        Predicate<ServerRequest> heldCommit =
                request -> {
                    boolean hold =
                            holding.get()
                                    && request.service() == ServerRequest.Service.TUNNEL
                                    && request.method().equals("POST")
                                    && request.has("uploadid");
                    if (hold) {
                        held.incrementAndGet();
                    }
                    return hold;
                };
        odps.faults()
                .delayRequests(heldCommit, Integer.MAX_VALUE, Duration.ofSeconds(10))
                .failRequests(heldCommit, Integer.MAX_VALUE, 500);
        String jobId;
        try {
            try (Session session = gateway.openSession()) {
                declareTables(session, Files.createTempDirectory(workDir, "unused"));
                declareOdpsIds(session, "odps_held", odps, table, "");
                jobId =
                        run(
                                        session,
                                        "INSERT INTO odps_held SELECT id, 'n',"
                                                + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen")
                                .jobId();
            }
            cluster.awaitCompletedCheckpoints(jobId, 2);
            int completed = completedCheckpoints(jobId);
            holding.set(true);
            // The next checkpoint completes; its commits reach MaxCompute and are held there.
            cluster.awaitCompletedCheckpoints(jobId, completed + 1);
            Polling.poll(
                    "a commit request held at MaxCompute",
                    Duration.ofSeconds(30),
                    () -> held.get() > 0 ? Optional.of(true) : Optional.empty());
            killATaskManager("while the commits were held");
            holding.set(false);
            cluster.startTaskManager();

            String state = cluster.awaitJobTermination(jobId, Duration.ofMinutes(4));
            assertThat(state).as(() -> cluster.jobException(jobId)).isEqualTo("FINISHED");
        } finally {
            odps.faults().clear();
        }
        IdCount count = IdCount.of("odps held", IDS, OdpsTestTables.committedIds(table));
        progress("TaskManager kill with held commits: " + count);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
    }

    private static int completedCheckpoints(String jobId) throws Exception {
        return cluster.rest("/jobs/" + jobId + "/checkpoints").at("/counts/completed").asInt();
    }
}
