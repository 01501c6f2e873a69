package org.flinkconnectors.odps.testutils;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/** Shortcuts for connector tests against an {@link OdpsTestServer}. */
public final class OdpsTestTables {

    private OdpsTestTables() {}

    /** A connection to the server's default project with its default account. */
    public static OdpsConnectionConfig connection(OdpsTestServer server) {
        return connection(server, 3, Duration.ofMillis(50));
    }

    /**
     * The {@code WITH} options of an {@code odps} table on the server's default project with its
     * default account, without the parentheses.
     */
    public static String sqlOptions(OdpsTestServer server, String table) {
        return String.format(
                "'connector' = 'odps', 'endpoint' = '%s', 'tunnel-endpoint' = '%s',"
                        + " 'project' = '%s', 'table' = '%s', 'access-id' = '%s',"
                        + " 'access-key' = '%s'",
                server.endpoint(),
                server.tunnelEndpoint(),
                OdpsTestServer.DEFAULT_PROJECT,
                table,
                OdpsTestServer.ACCESS_ID,
                OdpsTestServer.ACCESS_KEY);
    }

    /** The same with other retries ({@code client.max-retries}, {@code client.retry-backoff}). */
    public static OdpsConnectionConfig connection(
            OdpsTestServer server, int maxRetries, Duration retryBackoff) {
        return OdpsConnectionConfig.builder()
                .endpoint(server.endpoint())
                .tunnelEndpoint(server.tunnelEndpoint())
                .project(OdpsTestServer.DEFAULT_PROJECT)
                .accessId(OdpsTestServer.ACCESS_ID)
                .accessKey(OdpsTestServer.ACCESS_KEY)
                .maxRetries(maxRetries)
                .retryBackoff(retryBackoff)
                .build();
    }

    /** {@code (id BIGINT, name STRING)}, optionally partitioned by {@code ds STRING}. */
    public static TableSchema idNameSchema(boolean partitioned) {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("name", OdpsType.STRING));
        if (partitioned) {
            schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        }
        return schema;
    }

    /**
     * Rows of {@link #idNameSchema}: {@code (id, name(id))} for ids {@code [from, from + count)}.
     */
    public static List<Record> idNameRows(long from, long count, LongFunction<String> name) {
        Column[] columns = idNameSchema(false).getColumns().toArray(new Column[0]);
        List<Record> rows = new ArrayList<>();
        for (long id = from; id < from + count; id++) {
            ArrayRecord row = new ArrayRecord(columns);
            row.setBigint(0, id);
            row.setString(1, name.apply(id));
            rows.add(row);
        }
        return rows;
    }

    public static ServerTable createTable(OdpsTestServer server, String name, TableSchema schema) {
        return server.store().createTable(OdpsTestServer.DEFAULT_PROJECT, name, schema);
    }

    /** The {@code id} column of every committed row of the table, over all partitions. */
    public static List<Long> committedIds(ServerTable table) {
        return table.partitions().stream()
                .flatMap(p -> p.rows().stream())
                .map(OdpsTestTables::id)
                .collect(Collectors.toList());
    }

    /**
     * {@code {k, v}} of every committed row of a table whose first two columns are BIGINT, e.g. a
     * primary-key table {@code (k BIGINT, v BIGINT)}, over all partitions.
     */
    public static List<long[]> committedKeyValues(ServerTable table) {
        return table.partitions().stream()
                .flatMap(p -> p.rows().stream())
                .map(row -> new long[] {row.getBigint(0), row.getBigint(1)})
                .collect(Collectors.toList());
    }

    private static Long id(Record record) {
        return record.getBigint(0);
    }
}
