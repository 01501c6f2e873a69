package org.flinkconnectors.e2e;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * every id exactly once. The other cases kill at other moments: between a checkpoint and its
 * commit, later in an unbounded job that reads what a bounded one writes, and while bounded sources
 * read.
 */
class TaskManagerKillITCase extends StandaloneClusterTestBase {

    private static final long IDS = 100_000;
    private static final int ROWS_PER_SECOND = 6_000;

    /**
     * Upsert tables fed by a changelog, as users write them: key k gets ids 2k+1 and 2k+2, which
     * two datagen subtasks make, and its running maximum is upserted; each key must end with
     * exactly one row holding 2k+2.
     */
    private static final String UPSERT_COLUMNS =
            "(k BIGINT NOT NULL, v BIGINT, PRIMARY KEY (k) NOT ENFORCED)";

    private static final String UPSERT_SELECT =
            "SELECT (id - 1) / 2, MAX(id) FROM gen GROUP BY (id - 1) / 2";

    /** Lake tables read as a stream: the earliest snapshot or version, then every commit. */
    private static final String LAKE_STREAMING =
            " /*+ OPTIONS('scan.mode' = 'earliest', 'scan.monitor-interval' = '1s') */";

    private static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();
    private static final OdpsTestServer ODPS = new OdpsTestServer();

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster(
                2,
                Map.of(
                        "taskmanager.numberOfTaskSlots", "2",
                        "taskmanager.load-balance.mode", "SLOTS",
                        "execution.checkpointing.interval", "2s",
                        "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.attempts", "10",
                        "restart-strategy.fixed-delay.delay", "1s",
                        "heartbeat.interval", "1000",
                        "heartbeat.timeout", "6000",
                        // Each job that ran on a TaskManager keeps its SQL jars' classes in
                        // metaspace (see the README's troubleshooting), and these TaskManagers
                        // run several jobs with all three jars.
                        "taskmanager.memory.jvm-metaspace.size", "768m"));
    }

    @BeforeAll
    static void startExternalSystems() throws Exception {
        KAFKA.startUp();
        ODPS.startUp();
    }

    @AfterAll
    static void stopExternalSystems() throws Exception {
        KAFKA.tearDown();
        ODPS.tearDown();
    }

    @Test
    void boundedCopyIntoEverySinkSurvivesAKilledTaskManager() throws Exception {
        String topic = "tm-kill-ids";
        KAFKA.createTopic(topic, 2);
        ServerTable odpsTable =
                OdpsTestTables.createTable(ODPS, "tm_kill_ids", OdpsTestTables.idNameSchema(true));
        Path warehouse = Files.createTempDirectory(workDir, "warehouse");

        String jobId;
        String appender;
        try (Session session = gateway.openSession()) {
            declareTables(session, warehouse);
            declareStreams(session, "kafka_ids", topic, "");
            declareOdpsIds(session, "odps_ids", ODPS, odpsTable, "");
            run(session, "CREATE TABLE lake.db.ice (id BIGINT, name STRING)");
            run(
                    session,
                    "CREATE TABLE lake.db.dlt (id BIGINT, name STRING)"
                            + " WITH ('table-format' = 'delta')");
            run(session, "CREATE TABLE lake.db.ups " + UPSERT_COLUMNS);
            run(
                    session,
                    "CREATE CATALOG mc WITH ("
                            + odpsConnection().replace("'connector' = 'odps'", "'type' = 'odps'")
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

        cluster.awaitCompletedCheckpoints(jobId, 2);
        String victim = cluster.taskManagerIds().get(0);
        cluster.killTaskManager(victim);
        progress("killed TaskManager " + victim + " with SIGKILL");
        cluster.startTaskManager();

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
                                "odps pk", IDS / 2, odpsKeyValues("tm_kill_ups"), k -> 2 * k + 2));
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
                OdpsTestTables.createTable(ODPS, "tm_kill_held", OdpsTestTables.idNameSchema(true));
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
        ODPS.faults()
                .delayRequests(heldCommit, Integer.MAX_VALUE, Duration.ofSeconds(10))
                .failRequests(heldCommit, Integer.MAX_VALUE, 500);
        String jobId;
        try {
            try (Session session = gateway.openSession()) {
                declareTables(session, Files.createTempDirectory(workDir, "unused"));
                declareOdpsIds(session, "odps_held", ODPS, table, "");
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
                    () ->
                            held.get() > 0
                                    ? java.util.Optional.of(true)
                                    : java.util.Optional.empty());
            String victim = cluster.taskManagerIds().get(0);
            cluster.killTaskManager(victim);
            progress("killed TaskManager " + victim + " while the commits were held");
            holding.set(false);
            cluster.startTaskManager();

            String state = cluster.awaitJobTermination(jobId, Duration.ofMinutes(4));
            assertThat(state).as(() -> cluster.jobException(jobId)).isEqualTo("FINISHED");
        } finally {
            ODPS.faults().clear();
        }
        IdCount count = IdCount.of("odps held", IDS, OdpsTestTables.committedIds(table));
        progress("TaskManager kill with held commits: " + count);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
    }

    private static int completedCheckpoints(String jobId) throws Exception {
        return cluster.rest("/jobs/" + jobId + "/checkpoints").at("/counts/completed").asInt();
    }

    /**
     * An unbounded job reads while a bounded one writes, and a TaskManager both run on is killed:
     * the streams source copies the written topic into an odps table, the odps streaming source
     * copies the written odps table (new partitions and rows appended) into a topic, and the lake
     * streaming source copies the written Iceberg and Delta tables (from the earliest snapshot or
     * version) into two more topics, all exactly once. Once every id is visible the unbounded job
     * is cancelled and each output counted.
     */
    @Test
    void unboundedReadsSurviveAKilledTaskManagerWhileTheirInputIsWritten() throws Exception {
        String written = "tm-kill-written";
        String fromOdps = "tm-kill-from-odps";
        String fromIceberg = "tm-kill-from-iceberg";
        String fromDelta = "tm-kill-from-delta";
        for (String topic : List.of(written, fromOdps, fromIceberg, fromDelta)) {
            KAFKA.createTopic(topic, 2);
        }
        ServerTable odpsWritten =
                OdpsTestTables.createTable(
                        ODPS, "tm_kill_written", OdpsTestTables.idNameSchema(true));
        ServerTable odpsFromKafka =
                OdpsTestTables.createTable(
                        ODPS, "tm_kill_from_kafka", OdpsTestTables.idNameSchema(true));
        Path warehouse = Files.createTempDirectory(workDir, "warehouse");

        String writer;
        String reader;
        try (Session session = gateway.openSession()) {
            declareTables(session, warehouse);
            run(session, "CREATE TABLE lake.db.ice (id BIGINT, name STRING)");
            run(
                    session,
                    "CREATE TABLE lake.db.dlt (id BIGINT, name STRING)"
                            + " WITH ('table-format' = 'delta')");
            declareStreams(session, "written", written, "");
            declareStreams(session, "from_odps", fromOdps, "");
            declareStreams(session, "from_iceberg", fromIceberg, "");
            declareStreams(session, "from_delta", fromDelta, "");
            declareOdpsIds(session, "odps_written", ODPS, odpsWritten, "");
            declareOdpsIds(session, "odps_from_kafka", ODPS, odpsFromKafka, "");
            run(
                    session,
                    "CREATE TABLE written_in "
                            + streamsColumns(written)
                            + ", 'scan.startup.mode' = 'earliest-offset',"
                            + " 'properties.isolation.level' = 'read_committed')");
            declareOdpsIds(
                    session,
                    "odps_written_in",
                    ODPS,
                    odpsWritten,
                    ", 'scan.partition-discovery.interval' = '1s'");
            reader =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO odps_from_kafka SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd')"
                                            + " FROM written_in;"
                                            + " INSERT INTO from_odps SELECT id FROM odps_written_in;"
                                            + " INSERT INTO from_iceberg SELECT id"
                                            + " FROM lake.db.ice"
                                            + LAKE_STREAMING
                                            + "; INSERT INTO from_delta SELECT id"
                                            + " FROM lake.db.dlt"
                                            + LAKE_STREAMING
                                            + "; END")
                            .jobId();
            writer =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO written SELECT id FROM gen;"
                                            + " INSERT INTO odps_written SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen;"
                                            + " INSERT INTO lake.db.ice SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO lake.db.dlt SELECT id, 'n' FROM gen;"
                                            + " END")
                            .jobId();
        }

        // The reader runs first; the kill comes while the writer writes, later than in the
        // bounded case: after four checkpoints.
        cluster.awaitCompletedCheckpoints(writer, 4);
        String victim = cluster.taskManagerIds().get(0);
        cluster.killTaskManager(victim);
        progress("killed TaskManager " + victim + " with SIGKILL");
        cluster.startTaskManager();

        assertThat(cluster.awaitJobTermination(writer, Duration.ofMinutes(4)))
                .as(() -> cluster.jobException(writer))
                .isEqualTo("FINISHED");
        Map<String, IndependentCount> outputs =
                Map.of(
                        "streams -> odps", () -> OdpsTestTables.committedIds(odpsFromKafka),
                        "odps -> streams",
                                () -> IndependentReaders.kafkaIds(kafkaProps(), fromOdps),
                        "iceberg -> streams",
                                () -> IndependentReaders.kafkaIds(kafkaProps(), fromIceberg),
                        "delta -> streams",
                                () -> IndependentReaders.kafkaIds(kafkaProps(), fromDelta));
        try {
            Polling.poll(
                    "every id in every output of the unbounded job",
                    Duration.ofMinutes(3),
                    () -> {
                        for (IndependentCount output : outputs.values()) {
                            if (output.ids().size() < IDS) {
                                return java.util.Optional.empty();
                            }
                        }
                        return java.util.Optional.of(true);
                    });
        } finally {
            List<IdCount> counts = new ArrayList<>();
            for (Map.Entry<String, IndependentCount> output : outputs.entrySet()) {
                counts.add(IdCount.of(output.getKey(), IDS, output.getValue().ids()));
            }
            counts.forEach(count -> progress("TaskManager kill, unbounded: " + count));
            assertThat(counts).allMatch(IdCount::exactlyOnce, "every id exactly once");
        }
        cluster.cancelJob(reader);
    }

    /**
     * Bounded sources crashed while they read: the lake source reads an Iceberg and a Delta table
     * and the odps source a MaxCompute table, each holding ids 1..N in many files or splits, into
     * exactly-once topics; a TaskManager is killed after two checkpoints of the reading job, which
     * then restarts from its split assignment and finishes. Each topic must hold every id once.
     */
    @Test
    void boundedReadsSurviveAKilledTaskManager() throws Exception {
        Path warehouse = Files.createTempDirectory(workDir, "warehouse");
        ServerTable odpsSource =
                OdpsTestTables.createTable(
                        ODPS, "tm_kill_read_src", OdpsTestTables.idNameSchema(true));
        List<String> topics = List.of("tm-kill-read-ice", "tm-kill-read-dlt", "tm-kill-read-odps");
        for (String topic : topics) {
            KAFKA.createTopic(topic, 2);
        }
        // Downloads take a while, as from a remote service, so the kill meets reads in flight.
        Predicate<ServerRequest> download =
                request ->
                        request.service() == ServerRequest.Service.TUNNEL
                                && request.method().equals("GET")
                                && request.has("data");
        String reader;
        try (Session session = gateway.openSession()) {
            declareTables(session, warehouse);
            run(session, "CREATE TABLE lake.db.src_ice (id BIGINT, name STRING)");
            run(
                    session,
                    "CREATE TABLE lake.db.src_dlt (id BIGINT, name STRING)"
                            + " WITH ('table-format' = 'delta')");
            declareOdpsIds(session, "odps_src", ODPS, odpsSource, ", 'scan.split-size' = '5000'");
            for (String topic : topics) {
                declareStreams(session, topic.replace('-', '_'), topic, "");
            }
            run(session, "SET 'execution.checkpointing.interval' = '500ms'");
            String filler =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO lake.db.src_ice SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO lake.db.src_dlt SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO odps_src SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen;"
                                            + " END")
                            .jobId();
            assertThat(cluster.awaitJobTermination(filler, Duration.ofMinutes(2)))
                    .as(() -> cluster.jobException(filler))
                    .isEqualTo("FINISHED");
            ODPS.faults().delayRequests(download, Integer.MAX_VALUE, Duration.ofMillis(400));
            run(session, "SET 'execution.checkpointing.interval' = '300ms'");
            reader =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO tm_kill_read_ice SELECT id"
                                            + " FROM lake.db.src_ice /*+ OPTIONS("
                                            + "'scan.split-size' = '1') */;"
                                            + " INSERT INTO tm_kill_read_dlt SELECT id"
                                            + " FROM lake.db.src_dlt;"
                                            + " INSERT INTO tm_kill_read_odps SELECT id"
                                            + " FROM odps_src;"
                                            + " END")
                            .jobId();
        }
        try {
            cluster.awaitCompletedCheckpoints(reader, 2);
            assertThat(cluster.rest("/jobs/" + reader).path("state").asText())
                    .as("the reading job still reads when the kill comes")
                    .isEqualTo("RUNNING");
            String victim = cluster.taskManagerIds().get(0);
            cluster.killTaskManager(victim);
            progress("killed TaskManager " + victim + " while bounded sources read");
            cluster.startTaskManager();
            assertThat(cluster.awaitJobTermination(reader, Duration.ofMinutes(4)))
                    .as(() -> cluster.jobException(reader))
                    .isEqualTo("FINISHED");
        } finally {
            ODPS.faults().clear();
        }
        List<IdCount> counts = new ArrayList<>();
        for (String topic : topics) {
            counts.add(IdCount.of(topic, IDS, IndependentReaders.kafkaIds(kafkaProps(), topic)));
        }
        counts.forEach(count -> progress("TaskManager kill, bounded sources: " + count));
        assertThat(counts).allMatch(IdCount::exactlyOnce, "every id exactly once");
    }

    /** Reads the ids an output holds now, with the system's own client. */
    private interface IndependentCount {
        List<Long> ids() throws Exception;
    }

    /** The SQL jars, the datagen source of ids 1..IDS and a lake catalog on the warehouse. */
    private static void declareTables(Session session, Path warehouse) throws Exception {
        for (String jar : List.of("streams.sql.jar", "odps.sql.jar", "lake.sql.jar")) {
            addSqlJar(session, sqlJar(jar));
        }
        declareIdSequence(session, IDS, ROWS_PER_SECOND);
        createLakeCatalog(session, warehouse);
    }

    /** An exactly-once 'streams' table of JSON {@code {"id": ...}} records. */
    private static void declareStreams(Session session, String name, String topic, String extra)
            throws Exception {
        run(
                session,
                "CREATE TABLE "
                        + name
                        + " "
                        + streamsColumns(topic)
                        + ", 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'sink.transactional-id-prefix' = '"
                        + topic
                        + "'"
                        + extra
                        + ")");
    }

    private static String streamsColumns(String topic) {
        return "(id BIGINT) WITH ('connector' = 'streams', 'topic' = '"
                + topic
                + "', 'properties.bootstrap.servers' = '"
                + KAFKA.bootstrapServers()
                + "', 'format' = 'json'";
    }

    /** {@code {k, v}} of every row the test server holds for an ODPS table. */
    private static List<long[]> odpsKeyValues(String table) {
        return ODPS.store().table(OdpsTestServer.DEFAULT_PROJECT, table).partitions().stream()
                .flatMap(partition -> partition.rows().stream())
                .map(row -> new long[] {row.getBigint(0), row.getBigint(1)})
                .toList();
    }

    private static java.util.Properties kafkaProps() {
        return KAFKA.clientProperties();
    }

    private static String odpsConnection() {
        return odpsOptions(ODPS);
    }
}
