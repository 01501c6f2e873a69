package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The lake SQL jar on a real standalone Flink session cluster: a SQL gateway session runs {@code
 * ADD JAR}, creates an Iceberg and a Delta table through the {@code lake} catalog, writes into both
 * with partitions, reads back with a partition filter, and reads the Iceberg table again through a
 * plain {@code 'connector' = 'lake'} table. The cluster's classpath has neither Iceberg, Delta
 * Kernel, Parquet nor Hadoop, so all of them can only come from the SQL jar.
 */
class StandaloneClusterLakeSqlJarITCase extends StandaloneClusterTestBase {

    private static final long ROWS = 20_000;

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster();
    }

    @Test
    void addedSqlJarWritesAndReadsIcebergAndDeltaThroughTheCatalog() throws Exception {
        Path warehouse = Files.createTempDirectory(Path.of(requiredProperty("e2e.work.dir")), "wh");
        try (Session session = gateway.openSession()) {
            addSqlJar(session, sqlJar("lake.sql.jar"));
            run(session, "SET 'execution.runtime-mode' = 'batch'");
            createLakeCatalog(session, warehouse);
            run(
                    session,
                    "CREATE TABLE lake.db.orders (id BIGINT, name STRING, kind STRING)"
                            + " PARTITIONED BY (kind)");
            run(
                    session,
                    "CREATE TABLE lake.db.events (id BIGINT, name STRING, kind STRING)"
                            + " PARTITIONED BY (kind) WITH ('table-format' = 'delta')");
            run(
                    session,
                    "CREATE TABLE numbers (id BIGINT) WITH ('connector' = 'datagen',"
                            + " 'number-of-rows' = '"
                            + ROWS
                            + "', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                            + " 'fields.id.end' = '"
                            + ROWS
                            + "')");
            for (String table : List.of("orders", "events")) {
                String jobId =
                        run(
                                        session,
                                        "INSERT INTO lake.db."
                                                + table
                                                + " SELECT id, CONCAT('n', CAST(id AS STRING)),"
                                                + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM numbers")
                                .jobId();
                assertThat(cluster.awaitJobTermination(jobId, JOB_TIMEOUT))
                        .as(() -> cluster.jobException(jobId))
                        .isEqualTo("FINISHED");
                List<JsonNode> odd =
                        run(
                                        session,
                                        "SELECT COUNT(*), MIN(id), MAX(id) FROM lake.db."
                                                + table
                                                + " WHERE kind = 'odd'")
                                .rows();
                assertThat(odd.get(0))
                        .as(table)
                        .extracting(JsonNode::asLong)
                        .containsExactly(ROWS / 2, 1L, ROWS - 1);
            }
            assertThat(run(session, "SHOW TABLES FROM lake.db").rows())
                    .extracting(row -> row.get(0).asText())
                    .containsExactlyInAnyOrder("orders", "events");

            run(
                    session,
                    "CREATE TABLE plain_orders (id BIGINT, name STRING, kind STRING) WITH ("
                            + " 'connector' = 'lake', 'table-format' = 'iceberg',"
                            + " 'catalog-type' = 'hadoop', 'warehouse' = '"
                            + warehouse.toUri()
                            + "', 'database' = 'db', 'table' = 'orders')");
            assertThat(run(session, "SELECT COUNT(DISTINCT id) FROM plain_orders").rows())
                    .extracting(row -> row.get(0).asLong())
                    .containsExactly(ROWS);

            // Lookup joins against both formats: Delta through the full cache, Iceberg per probe.
            run(
                    session,
                    "CREATE TABLE probes (id BIGINT, proc AS PROCTIME()) WITH ('connector' ="
                            + " 'datagen', 'number-of-rows' = '100', 'fields.id.kind' ="
                            + " 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100')");
            for (String dimension :
                    List.of(
                            "lake.db.events",
                            "lake.db.orders /*+ OPTIONS('lookup.cache' = 'NONE') */")) {
                assertThat(
                                run(
                                                session,
                                                "SELECT COUNT(*), SUM(IF(d.name = CONCAT('n',"
                                                        + " CAST(p.id AS STRING)), 1, 0)) FROM"
                                                        + " probes AS p JOIN "
                                                        + dimension
                                                        + " FOR SYSTEM_TIME AS OF p.proc AS d ON"
                                                        + " p.id = d.id")
                                        .rows())
                        .as(dimension)
                        .extracting(row -> row.get(0).asLong() + "," + row.get(1).asLong())
                        .containsExactly("100,100");
            }
        }

        // Iceberg's own API sees one committed snapshot with all rows in two partitions.
        try (HadoopCatalog iceberg = new HadoopCatalog()) {
            iceberg.setConf(new org.apache.hadoop.conf.Configuration());
            iceberg.initialize("check", Map.of("warehouse", warehouse.toUri().toString()));
            Snapshot snapshot =
                    iceberg.loadTable(TableIdentifier.of("db", "orders")).currentSnapshot();
            assertThat(snapshot.summary())
                    .containsEntry("total-records", Long.toString(ROWS))
                    .containsEntry("changed-partition-count", "2");
        }
        assertThat(warehouse.resolve("db/events/_delta_log/00000000000000000001.json"))
                .as("the Delta commit of the INSERT")
                .isRegularFile();
        assertFinishedJobsLeaveNoClassLoader();
    }

    /**
     * Iceberg's worker pools and lock manager scheduler and Hadoop's statistics cleaner are static
     * threads of the jar's classes: once a job that added the jar has finished, its TaskManagers
     * must not run them any more, or every job of a session cluster leaves its threads, and with
     * them its class loader and about 40 MB of metaspace, behind. A jar in {@code lib/} is loaded
     * once for all jobs, and its threads stay by design.
     */
    @Test
    void aFinishedJobLeavesNoLibraryThreadsOnItsTaskManager() throws Exception {
        assumeFalse(sqlJarsInLib, "the jar is loaded once for all jobs");
        Path warehouse = Files.createTempDirectory(Path.of(requiredProperty("e2e.work.dir")), "wh");
        try (Session session = gateway.openSession()) {
            addSqlJar(session, sqlJar("lake.sql.jar"));
            createLakeCatalog(session, warehouse);
            run(session, "CREATE TABLE lake.db.t (id BIGINT)");
            run(
                    session,
                    "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                            + " 'number-of-rows' = '1000')");
            String jobId = run(session, "INSERT INTO lake.db.t SELECT id FROM gen").jobId();
            assertThat(cluster.awaitJobTermination(jobId, JOB_TIMEOUT))
                    .as(() -> cluster.jobException(jobId))
                    .isEqualTo("FINISHED");
        }
        List<String> libraryThreads =
                List.of("iceberg-worker-pool", "iceberg-lock-manager", "StatisticsDataReference");
        Polling.poll(
                "the TaskManager to stop the lake libraries' threads",
                Duration.ofSeconds(30),
                () -> {
                    List<String> running = cluster.taskManagerThreadNames();
                    return running.stream()
                                    .noneMatch(
                                            name ->
                                                    libraryThreads.stream()
                                                            .anyMatch(name::contains))
                            ? Optional.of(true)
                            : Optional.empty();
                });
    }

    /** The negative control: only the SQL jar brings the 'lake' factory. */
    @Test
    void connectorIsKnownOnlyWithItsJar() throws Exception {
        assertConnectorKnownOnlyWithItsJar(
                "lake", "'connector' = 'lake', 'table-format' = 'delta', 'path' = '/nowhere'");
    }
}
