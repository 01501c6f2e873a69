package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.e2e.SqlGatewayClient.StatementResult;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real standalone Flink session cluster with a SQL gateway, in JVMs of their own, for the tests
 * of one class. They run on a plain {@link FlinkDistribution}, so a connector can only come from
 * its SQL jar: added with {@code ADD JAR} ({@link #startCluster()}) or dropped into {@code lib/}
 * ({@link #startClusterWithSqlJarsInLib()}). Each subclass starts the cluster in a {@code
 * BeforeAll} method named {@code startFlink}, which a subclass hides to deploy the other way.
 */
abstract class StandaloneClusterTestBase {

    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

    static StandaloneFlinkCluster cluster;
    static SqlGatewayClient gateway;

    @RegisterExtension static final TestWatcher DUMP_LOGS_ON_FAILURE = new DumpLogsOnFailure();

    /** Whether the SQL jars sit in the cluster's {@code lib/}; then no {@code ADD JAR} is run. */
    static boolean sqlJarsInLib;

    /** The directory of the current cluster: configuration, logs, deployed jars. */
    static Path workDir;

    /** Starts a cluster on the plain distribution; tests add SQL jars with {@code ADD JAR}. */
    static void startCluster() throws Exception {
        start(List.of());
    }

    /** Starts a cluster of this many TaskManagers with these settings; jars come by ADD JAR. */
    static void startCluster(int taskManagers, Map<String, String> settings) throws Exception {
        start(List.of(), taskManagers, settings);
    }

    /**
     * Starts the cluster the fault cases run on: two TaskManagers of two slots each, the tasks
     * spread over both by slot, so that a fault on one TaskManager meets running tasks of every
     * job; {@code settings} add to these or override them.
     */
    static void startFaultCluster(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("taskmanager.numberOfTaskSlots", "2");
        all.put("taskmanager.load-balance.mode", "SLOTS");
        all.putAll(settings);
        startCluster(2, all);
    }

    /**
     * Settings of jobs that recover from a fault: a checkpoint every {@code checkpointInterval} and
     * up to {@code restartAttempts} restarts {@code restartDelay} apart. The map is mutable, for a
     * caller to add its own settings.
     */
    static Map<String, String> checkpointsAndRestarts(
            String checkpointInterval, int restartAttempts, String restartDelay) {
        Map<String, String> settings = new HashMap<>();
        settings.put("execution.checkpointing.interval", checkpointInterval);
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", String.valueOf(restartAttempts));
        settings.put("restart-strategy.fixed-delay.delay", restartDelay);
        return settings;
    }

    /**
     * A copy of the jar in the cluster's work directory, as a user copies a release jar: a build
     * that replaces the original meanwhile cannot pull it away from the running processes.
     */
    static Path deployed(Path jar) throws IOException {
        Path copy = Files.createDirectories(workDir.resolve("jars")).resolve(jar.getFileName());
        if (!Files.exists(copy)) {
            Files.copy(jar, copy);
        }
        return copy;
    }

    /** Starts a cluster with all three SQL jars in {@code lib/}, as users who install them do. */
    static void startClusterWithSqlJarsInLib() throws Exception {
        workDir = newWorkDir();
        start(
                List.of(
                        deployed(sqlJar("streams.sql.jar")),
                        deployed(sqlJar("odps.sql.jar")),
                        deployed(sqlJar("lake.sql.jar"))));
    }

    private static Path newWorkDir() throws IOException {
        return Files.createDirectories(
                Path.of(requiredProperty("e2e.work.dir"))
                        .resolve("standalone-" + System.currentTimeMillis()));
    }

    private static void start(List<Path> libJars) throws Exception {
        start(libJars, 1, Map.of());
    }

    private static void start(List<Path> libJars, int taskManagers, Map<String, String> settings)
            throws Exception {
        if (libJars.isEmpty()) {
            workDir = newWorkDir();
        }
        FlinkDistribution distribution =
                FlinkDistribution.load(Path.of(requiredProperty("flink.dist.dir")))
                        .withLibJars(libJars);
        cluster =
                StandaloneFlinkCluster.start(
                        workDir, distribution, jvmOpens(), taskManagers, settings);
        gateway = new SqlGatewayClient(cluster.sqlGatewayUrl());
        sqlJarsInLib = !libJars.isEmpty();
        progress(
                "Flink cluster at "
                        + cluster.restUrl()
                        + ", SQL gateway at "
                        + cluster.sqlGatewayUrl()
                        + (sqlJarsInLib ? ", SQL jars in lib/" : ""));
    }

    /** The {@code --add-exports/--add-opens} flags of Flink's default configuration. */
    static List<String> jvmOpens() {
        return Arrays.stream(requiredProperty("flink.cluster.jvm.opens").trim().split("\\s+"))
                .toList();
    }

    /** {@code ADD JAR} of the jar, unless the SQL jars are in {@code lib/} already. */
    static void addSqlJar(Session session, Path jar) throws Exception {
        if (!sqlJarsInLib) {
            run(session, "ADD JAR '" + deployed(jar) + "'");
        }
    }

    /**
     * Without the connector's SQL jar in the session or in {@code lib/}, the cluster must not know
     * the connector; with the jars in {@code lib/}, it must know it without {@code ADD JAR}.
     */
    static void assertConnectorKnownOnlyWithItsJar(String identifier, String tableOptions)
            throws Exception {
        try (Session session = gateway.openSession()) {
            run(session, "CREATE TABLE plain (id BIGINT) WITH (" + tableOptions + ")");
            if (sqlJarsInLib) {
                try {
                    run(session, "EXPLAIN SELECT * FROM plain");
                } catch (Exception tableItselfMissing) {
                    assertThat(tableItselfMissing)
                            .as("the factory is found, the table behind it need not exist")
                            .hasMessageNotContaining("Could not find any factory");
                }
            } else {
                assertThatThrownBy(() -> run(session, "EXPLAIN SELECT * FROM plain"))
                        .hasMessageContaining(
                                "Could not find any factory for identifier '" + identifier + "'");
            }
        }
    }

    @AfterAll
    static void stopFlink() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    static StatementResult run(Session session, String statement) throws Exception {
        StatementResult result = session.execute(statement, STATEMENT_TIMEOUT);
        progress("executed: " + statement.substring(0, Math.min(60, statement.length())));
        return result;
    }

    /**
     * Declares table {@code gen}: ids 1..{@code ids} in sequence at {@code rowsPerSecond}, the
     * input of every fault case, whose output is then counted id by id.
     */
    static void declareIdSequence(Session session, long ids, int rowsPerSecond) throws Exception {
        declareIdSequence(session, "gen", 1, ids, rowsPerSecond);
    }

    /**
     * Asserts that the JobManager and TaskManagers dropped the class loaders of the finished jobs,
     * and with them the SQL jars' classes: what keeps one after its job (a library thread, a JVM
     * shutdown hook, Flink's compiled-code cache) would fill the metaspace of a session cluster job
     * by job.
     */
    static void assertFinishedJobsLeaveNoClassLoader() throws Exception {
        String loader = "org.apache.flink.util.ChildFirstClassLoader";
        long[] left = new long[2];
        try {
            Polling.poll(
                    "the JobManager and TaskManagers to drop the class loaders of finished jobs",
                    // The JDK's asynchronous file channel pool keeps an idle thread started during
                    // a job, and with its access context the job's loader, for up to a minute.
                    Duration.ofSeconds(90),
                    () -> {
                        left[0] = cluster.liveInstancesOnJobManager(loader);
                        left[1] = cluster.liveInstancesOnTaskManagers(loader);
                        return left[0] + left[1] == 0 ? Optional.of(true) : Optional.empty();
                    });
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "Class loaders of finished jobs left: JobManager "
                            + left[0]
                            + ", TaskManagers "
                            + left[1]
                            + "; release warnings: "
                            + cluster.logLines("after its release")
                            + "; TaskManager threads: "
                            + new TreeSet<>(cluster.taskManagerThreadNames()),
                    e);
        }
    }

    /** Creates catalog {@code lake} on the warehouse, with database {@code db}. */
    static void createLakeCatalog(Session session, Path warehouse) throws Exception {
        run(
                session,
                "CREATE CATALOG lake WITH ('type' = 'lake', 'warehouse' = '"
                        + warehouse.toUri()
                        + "')");
        run(session, "CREATE DATABASE lake.db");
    }

    /** Declares a table of ids {@code first..last} in sequence at {@code rowsPerSecond}. */
    static void declareIdSequence(
            Session session, String table, long first, long last, int rowsPerSecond)
            throws Exception {
        run(
                session,
                "CREATE TABLE "
                        + table
                        + " (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '"
                        + rowsPerSecond
                        + "', 'fields.id.kind' = 'sequence', 'fields.id.start' = '"
                        + first
                        + "', 'fields.id.end' = '"
                        + last
                        + "')");
    }

    /** Progress with timestamps in the test output, to see where a slow run spends time. */
    static void progress(String message) {
        System.out.printf("[%s] %s%n", java.time.LocalTime.now(), message);
    }

    /** The 'odps' connector's options that reach this test server (without a table). */
    static String odpsOptions(OdpsTestServer server) {
        return "'connector' = 'odps', 'endpoint' = '"
                + server.endpoint()
                + "', 'tunnel-endpoint' = '"
                + server.tunnelEndpoint()
                + "', 'project' = '"
                + OdpsTestServer.DEFAULT_PROJECT
                + "', 'access-id' = '"
                + OdpsTestServer.ACCESS_ID
                + "', 'access-key' = '"
                + OdpsTestServer.ACCESS_KEY
                + "'";
    }

    /**
     * Declares {@code name} as the 'odps' table {@code (id BIGINT, name STRING, ds STRING)}
     * partitioned by {@code ds} over the server's {@code table}, with {@code extraOptions} (each
     * preceded by a comma) added to the connection's options.
     */
    static void declareOdpsIds(
            Session session,
            String name,
            OdpsTestServer server,
            ServerTable table,
            String extraOptions)
            throws Exception {
        run(
                session,
                "CREATE TABLE "
                        + name
                        + " (id BIGINT, name STRING, ds STRING) PARTITIONED BY (ds) WITH ("
                        + odpsOptions(server)
                        + ", 'table' = '"
                        + table.name()
                        + "'"
                        + extraOptions
                        + ")");
    }

    /** A name of a table or topic, distinct for the two ways of deploying the jars. */
    static String name(String base) {
        return sqlJarsInLib ? base + "_lib" : base;
    }

    /** The SQL jar named by a system property that failsafe sets. */
    static Path sqlJar(String property) {
        Path jar = Path.of(requiredProperty(property)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing; build it with ./mvnw -pl e2e-tests -am verify");
        }
        return jar;
    }

    static String requiredProperty(String key) {
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
