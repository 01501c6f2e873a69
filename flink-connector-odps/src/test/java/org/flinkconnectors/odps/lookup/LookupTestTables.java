package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Dimension and probe tables of the lookup tests, and what the server saw of them. */
final class LookupTestTables {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private LookupTestTables() {}

    /** An empty {@code (id BIGINT, name STRING, note STRING)} table partitioned by {@code ds}. */
    static String createDimensionTable(OdpsTestServer server) {
        String name = "dim_" + TABLES.incrementAndGet();
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("name", OdpsType.STRING));
        schema.addColumn(new Column("note", OdpsType.STRING));
        schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        OdpsTestTables.createTable(server, name, schema);
        return name;
    }

    /** Appends ids {@code 1..count} named {@code <prefix><id>} to a partition. */
    static void appendDimension(
            OdpsTestServer server, String table, String spec, String prefix, int count) {
        Column[] columns =
                server.store()
                        .table(OdpsTestServer.DEFAULT_PROJECT, table)
                        .schema()
                        .getColumns()
                        .toArray(new Column[0]);
        List<Record> rows = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            Record row = new ArrayRecord(columns);
            row.setBigint(0, id);
            row.setString(1, prefix + id);
            row.setString(2, "not needed by the joins");
            rows.add(row);
        }
        server.store().append(OdpsTestServer.DEFAULT_PROJECT, table, spec, rows);
    }

    /** An unpartitioned {@code (order_id BIGINT, customer BIGINT)} table with the given rows. */
    static String createOrdersTable(OdpsTestServer server, long[][] orders) {
        String name = "orders_" + TABLES.incrementAndGet();
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("order_id", OdpsType.BIGINT));
        schema.addColumn(new Column("customer", OdpsType.BIGINT));
        OdpsTestTables.createTable(server, name, schema);
        Column[] columns = schema.getColumns().toArray(new Column[0]);
        List<Record> rows = new ArrayList<>();
        for (long[] order : orders) {
            Record row = new ArrayRecord(columns);
            row.setBigint(0, order[0]);
            row.setBigint(1, order[1]);
            rows.add(row);
        }
        server.store().append(OdpsTestServer.DEFAULT_PROJECT, name, "", rows);
        return name;
    }

    /** The {@code WITH} options of an {@code odps} table on the test server. */
    static String options(OdpsTestServer server, String table) {
        return OdpsTestTables.sqlOptions(server, table) + ", 'client.retry-backoff' = '10 ms'";
    }

    static boolean isTunnelRequestOf(ServerRequest request, String table) {
        return request.service() == ServerRequest.Service.TUNNEL
                && request.resource().endsWith("/tables/" + table);
    }

    /** The partitions download sessions were created on for {@code table}, in order. */
    static List<String> sessionPartitions(OdpsTestServer server, String table) {
        return server.requests().stream()
                .filter(r -> isTunnelRequestOf(r, table))
                .filter(r -> r.method().equals("POST") && r.has("downloads"))
                .map(r -> r.param("partition").replace("'", ""))
                .collect(Collectors.toList());
    }

    /** The row downloads of {@code table}. */
    static List<ServerRequest> dataRequests(OdpsTestServer server, String table) {
        return server.requests().stream()
                .filter(r -> isTunnelRequestOf(r, table) && r.has("data"))
                .collect(Collectors.toList());
    }
}
