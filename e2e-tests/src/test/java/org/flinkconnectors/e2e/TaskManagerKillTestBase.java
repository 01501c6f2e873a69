package org.flinkconnectors.e2e;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the TaskManager kill cases share: two TaskManager JVMs, an embedded Kafka and a MaxCompute
 * test server, the SQL jars with the datagen source of ids 1..{@link #IDS} and a lake catalog, the
 * tables written and read, and the kill itself: SIGKILL to one TaskManager, then a new one started
 * as a supervisor would.
 */
abstract class TaskManagerKillTestBase extends StandaloneClusterTestBase {

    static final long IDS = 100_000;
    static final int ROWS_PER_SECOND = 6_000;

    // Fresh per test class: the previous class has torn its servers down.
    static EmbeddedKafkaCluster kafka;
    static OdpsTestServer odps;

    @BeforeAll
    static void startFlink() throws Exception {
        Map<String, String> settings = checkpointsAndRestarts("2s", 10, "1s");
        // A lost TaskManager is noticed within seconds, not after the default 50.
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "6000");
        // Each job that ran on a TaskManager keeps its SQL jars' classes in metaspace (see the
        // README's troubleshooting), and these TaskManagers run several jobs with all three jars.
        settings.put("taskmanager.memory.jvm-metaspace.size", "768m");
        startFaultCluster(settings);
    }

    @BeforeAll
    static void startExternalSystems() throws Exception {
        kafka = new EmbeddedKafkaCluster();
        odps = new OdpsTestServer();
        kafka.startUp();
        odps.startUp();
    }

    @AfterAll
    static void stopExternalSystems() throws Exception {
        kafka.tearDown();
        odps.tearDown();
    }

    /** Kills the first TaskManager with SIGKILL and says so, with the circumstance. */
    static void killATaskManager(String circumstance) throws Exception {
        String victim = cluster.taskManagerIds().get(0);
        cluster.killTaskManager(victim);
        progress("killed TaskManager " + victim + " " + circumstance);
    }

    /**
     * Once the job has completed this many checkpoints, so that data flows and a restore has a
     * checkpoint to start from, kills a TaskManager and starts a new one.
     */
    static void replaceATaskManagerAfterCheckpoints(String jobId, int checkpoints)
            throws Exception {
        cluster.awaitCompletedCheckpoints(jobId, checkpoints);
        killATaskManager("with SIGKILL");
        cluster.startTaskManager();
    }

    /** The SQL jars, the datagen source of ids 1..IDS and a lake catalog on the warehouse. */
    static void declareTables(Session session, Path warehouse) throws Exception {
        for (String jar : List.of("streams.sql.jar", "odps.sql.jar", "lake.sql.jar")) {
            addSqlJar(session, sqlJar(jar));
        }
        declareIdSequence(session, IDS, ROWS_PER_SECOND);
        createLakeCatalog(session, warehouse);
    }

    /** Iceberg table {@code lake.db.<iceberg>} and Delta table {@code lake.db.<delta>} of ids. */
    static void createLakeIdTables(Session session, String iceberg, String delta) throws Exception {
        run(session, "CREATE TABLE lake.db." + iceberg + " (id BIGINT, name STRING)");
        run(
                session,
                "CREATE TABLE lake.db."
                        + delta
                        + " (id BIGINT, name STRING) WITH ('table-format' = 'delta')");
    }

    /** An exactly-once 'streams' table of JSON {@code {"id": ...}} records. */
    static void declareStreams(Session session, String name, String topic, String extra)
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

    /** The columns and connection of a 'streams' table on the topic, its WITH clause left open. */
    static String streamsColumns(String topic) {
        return "(id BIGINT) WITH ('connector' = 'streams', 'topic' = '"
                + topic
                + "', 'properties.bootstrap.servers' = '"
                + kafka.bootstrapServers()
                + "', 'format' = 'json'";
    }

    static Properties kafkaProps() {
        return kafka.clientProperties();
    }
}
