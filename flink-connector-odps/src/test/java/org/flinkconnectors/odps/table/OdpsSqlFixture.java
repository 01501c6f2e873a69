package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL reads of one table on the test server, for the table-source ITCases: table environments with
 * a {@code CREATE TABLE} run, queries collected into rows, and the tunnel requests the server saw,
 * forgotten before each test. Register it after the server and the MiniCluster:
 * {@code @RegisterExtension @Order(3) static final OdpsSqlFixture SQL = new OdpsSqlFixture(ODPS,
 * TABLE);}.
 */
final class OdpsSqlFixture implements BeforeEachCallback {

    private final OdpsTestServer server;
    private final String table;

    OdpsSqlFixture(OdpsTestServer server, String table) {
        this.server = server;
        this.table = table;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.clearRequests();
    }

    /** The connection options of the table, for a {@code WITH} clause. */
    String options() {
        return OdpsTestTables.sqlOptions(server, table);
    }

    /** A batch table environment in which {@code ddl} ran. */
    static TableEnvironment batchEnv(String ddl) {
        return env(EnvironmentSettings.inBatchMode(), ddl);
    }

    static TableEnvironment env(EnvironmentSettings settings, String ddl) {
        TableEnvironment env = TableEnvironment.create(settings);
        env.executeSql(ddl);
        return env;
    }

    static List<Row> query(TableEnvironment env, String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** The first {@code count} rows of an unbounded query, which is then cancelled. */
    static List<Row> first(TableEnvironment env, String sql, int count) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
            while (rows.size() < count && it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    /** The rows as text, sorted: for comparing reads that may interleave splits differently. */
    static List<String> sorted(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().collect(Collectors.toList());
    }

    /** The data downloads (row range reads) since the test began. */
    List<ServerRequest> dataRequests() {
        return tunnelRequests("data");
    }

    /** The partitions download sessions were created on since the test began. */
    List<String> downloadSessionPartitions() {
        return tunnelRequests("downloads").stream()
                .map(r -> r.param("partition"))
                .collect(Collectors.toList());
    }

    private List<ServerRequest> tunnelRequests(String param) {
        return server.requests().stream()
                .filter(r -> r.service() == ServerRequest.Service.TUNNEL && r.has(param))
                .collect(Collectors.toList());
    }
}
