package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.type.TypeInfoFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Shortcuts of the catalog tests: a session with an {@code odps} catalog, tables and rows. */
final class OdpsCatalogTesting {

    private OdpsCatalogTesting() {}

    /** A batch session with catalog {@code name} on the server's default project. */
    static TableEnvironment batchWithCatalog(
            OdpsTestServer server, String name, String extraOptions) throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.executeSql(catalogDdl(server, name, OdpsTestServer.ACCESS_KEY, extraOptions)).await();
        return env;
    }

    static String catalogDdl(
            OdpsTestServer server, String name, String accessKey, String extraOptions) {
        return "CREATE CATALOG "
                + name
                + " WITH ('type' = 'odps', 'endpoint' = '"
                + server.endpoint()
                + "', 'tunnel-endpoint' = '"
                + server.tunnelEndpoint()
                + "', 'access-id' = '"
                + OdpsTestServer.ACCESS_ID
                + "', 'access-key' = '"
                + accessKey
                + "', 'client.max-retries' = '1', 'client.retry-backoff' = '10ms'"
                + (extraOptions.contains("'project'")
                        ? ""
                        : ", 'project' = '" + OdpsTestServer.DEFAULT_PROJECT + "'")
                + extraOptions
                + ")";
    }

    /** Every row of a statement's result, as {@link Row#toString()}. */
    static List<String> strings(TableEnvironment env, String sql) throws Exception {
        return rows(env, sql).stream().map(Row::toString).collect(Collectors.toList());
    }

    /** One field of every row of a statement's result. */
    static List<String> column(TableEnvironment env, String sql, int field) throws Exception {
        return rows(env, sql).stream()
                .map(r -> String.valueOf(r.getField(field)))
                .collect(Collectors.toList());
    }

    static List<Row> rows(TableEnvironment env, String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** {@code (id BIGINT, name STRING)}, optionally partitioned by {@code ds STRING}. */
    static TableSchema idNameSchema(boolean partitioned) {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("name", OdpsType.STRING));
        if (partitioned) {
            schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        }
        return schema;
    }

    /** {@code (id BIGINT, name STRING)} partitioned by {@code ds STRING, hh STRING}. */
    static TableSchema dayHourSchema() {
        TableSchema schema = idNameSchema(true);
        schema.addPartitionColumn(new Column("hh", OdpsType.STRING));
        return schema;
    }

    /** Key, decimal and datetime columns with comments, partitioned by {@code ds}. */
    static TableSchema schemaWithComments() {
        TableSchema schema = new TableSchema();
        Column id = new Column("id", TypeInfoFactory.BIGINT, "the key");
        id.setNullable(false);
        schema.addColumn(id);
        schema.addColumn(
                new Column("price", TypeInfoFactory.getDecimalTypeInfo(12, 2), "unit price"));
        schema.addColumn(new Column("at", TypeInfoFactory.DATETIME, null));
        schema.addPartitionColumn(new Column("ds", TypeInfoFactory.STRING, "day"));
        return schema;
    }

    /**
     * Commits {@code count} rows {@code (i, "n" + i)} into a partition of a default-schema table.
     */
    static void append(OdpsTestServer server, ServerTable table, String spec, int count) {
        Column[] columns = table.schema().getColumns().toArray(new Column[0]);
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Record row = new ArrayRecord(columns);
            row.setBigint(0, (long) i);
            row.setString(1, "n" + i);
            rows.add(row);
        }
        server.store().append(table.project(), table.name(), spec, rows);
    }
}
