package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the MaxCompute fault cases on a standalone cluster share: gateway sessions with the odps SQL
 * jar, primary-key tables {@code (k BIGINT, v BIGINT)} and their counts, and waits on the sessions
 * the sinks open.
 */
abstract class OdpsFaultsTestBase extends StandaloneClusterTestBase {

    /** Ids 1..IDS per job. */
    static final long IDS = 100_000;

    static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);

    /** A gateway session with these settings and the odps SQL jar added. */
    static Session openSession(Map<String, String> settings) throws Exception {
        Session session = gateway.openSession(settings);
        addSqlJar(session, sqlJar("odps.sql.jar"));
        return session;
    }

    /** A MaxCompute primary-key table {@code (k BIGINT, v BIGINT)}, optionally by {@code ds}. */
    static ServerTable keyValueTable(OdpsTestServer odps, String name, boolean partitioned) {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("k", OdpsType.BIGINT));
        schema.addColumn(new Column("v", OdpsType.BIGINT));
        if (partitioned) {
            schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        }
        return odps.store()
                .createTable(
                        OdpsTestServer.DEFAULT_PROJECT, null, name, schema, List.of("k"), null);
    }

    /** Declares table {@code ups} over a {@link #keyValueTable}. */
    static void declareKeyValues(
            Session session, OdpsTestServer odps, ServerTable table, boolean partitioned)
            throws Exception {
        run(
                session,
                "CREATE TABLE ups (k BIGINT NOT NULL, v BIGINT"
                        + (partitioned
                                ? ", ds STRING NOT NULL, PRIMARY KEY (k, ds) NOT ENFORCED)"
                                        + " PARTITIONED BY (ds)"
                                : ", PRIMARY KEY (k) NOT ENFORCED)")
                        + " WITH ("
                        + odpsOptions(odps)
                        + ", 'table' = '"
                        + table.name()
                        + "')");
    }

    static UpsertCount keyValueCount(String label, ServerTable table) {
        return UpsertCount.of(
                label, IDS / 2, OdpsTestTables.committedKeyValues(table), k -> 2 * k + 2);
    }

    /** How many tunnel sessions the sink has opened on the table so far. */
    static int sessionsOpened(OdpsTestServer odps, ServerTable table, boolean upsert) {
        String resource = "/tables/" + table.name() + (upsert ? "/upserts" : "");
        return (int)
                odps.requests().stream()
                        .filter(r -> r.service() == ServerRequest.Service.TUNNEL)
                        .filter(r -> r.method().equals("POST"))
                        .filter(r -> r.resource().endsWith(resource))
                        .filter(r -> upsert ? !r.has("upsertid") : r.has("uploads"))
                        .count();
    }

    /** Waits until the sinks have opened this many sessions on the table (each on a first row). */
    static void awaitSessions(OdpsTestServer odps, ServerTable table, boolean upsert, int sessions)
            throws Exception {
        Polling.poll(
                sessions + " sessions opened on " + table.name(),
                COPY_TIMEOUT,
                () ->
                        sessionsOpened(odps, table, upsert) >= sessions
                                ? Optional.of(true)
                                : Optional.empty());
    }

    static int failovers(String jobId) throws Exception {
        return cluster.rest("/jobs/" + jobId + "/exceptions")
                .path("exceptionHistory")
                .path("entries")
                .size();
    }

    /** The first line of a job's exception with this text, e.g. the connector's own message. */
    static String lineWith(String error, String text) {
        return error.lines().filter(line -> line.contains(text)).findFirst().orElse(error);
    }
}
