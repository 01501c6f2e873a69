package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.testutils.FailOnceAfterCheckpoint;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.odps.sink.OdpsChangeKind;
import org.flinkconnectors.odps.sink.OdpsRecordSerializationSchema;
import org.flinkconnectors.odps.sink.OdpsSink;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordReader;
import com.aliyun.odps.tunnel.TableTunnel;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code INSERT INTO} an {@code odps} table with a PRIMARY KEY: an upsert changelog (updates and
 * deletes) ends as the current rows of a MaxCompute primary-key table, read back with the plain
 * SDK; exactly once across a failure; key mismatches fail clearly.
 */
class OdpsUpsertSinkITCase {

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final RowTypeInfo ID_NAME =
            new RowTypeInfo(
                    new org.apache.flink.api.common.typeinfo.TypeInformation<?>[] {
                        Types.LONG, Types.STRING
                    },
                    new String[] {"id", "name"});

    @Test
    void changelogWithUpdatesAndDeletesEndsAsCurrentRows() throws Exception {
        ServerTable table = pkTable("upsert_changelog", false);
        ODPS.store().append(OdpsTestServer.DEFAULT_PROJECT, table.name(), "", seed(100, 200));
        StreamExecutionEnvironment env = streaming(1);
        DataStream<Row> changes =
                env.fromData(
                        ID_NAME,
                        Row.ofKind(RowKind.INSERT, 1L, "a"),
                        Row.ofKind(RowKind.INSERT, 2L, "b"),
                        Row.ofKind(RowKind.INSERT, 3L, "c"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 1L, "a"),
                        Row.ofKind(RowKind.UPDATE_AFTER, 1L, "a2"),
                        Row.ofKind(RowKind.DELETE, 2L, "b"),
                        Row.ofKind(RowKind.DELETE, 100L, "seed-100"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 3L, "c"),
                        Row.ofKind(RowKind.UPDATE_AFTER, 3L, "c2"),
                        Row.ofKind(RowKind.INSERT, 2L, "b-again"));
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.createTemporaryView(
                "changes", tEnv.fromChangelogStream(changes, idNameKeyed(), ChangelogMode.all()));
        tEnv.executeSql(ddl("t", table.name(), false, "PRIMARY KEY (id) NOT ENFORCED", "2"));
        tEnv.executeSql("INSERT INTO t SELECT id, name FROM changes").await();

        assertThat(download(table.name(), null))
                .isEqualTo(Map.of(1L, "a2", 2L, "b-again", 3L, "c2", 200L, "seed-200"));
        assertThat(ODPS.requests())
                .as("upsert sessions, no upload sessions")
                .anyMatch(r -> r.resource().endsWith("/upserts"))
                .noneMatch(r -> r.has("uploads"));
    }

    @Test
    void aggregationUpdatesIntoDynamicPartitions() throws Exception {
        ServerTable table = pkTable("upsert_aggregate", true);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(streaming(2));
        tEnv.executeSql(ddl("t", table.name(), true, "PRIMARY KEY (id, ds) NOT ENFORCED", null));
        tEnv.executeSql(
                        "INSERT INTO t SELECT id, CAST(MAX(v) AS STRING), ds FROM (VALUES"
                                + " (1, 10, 'a'), (2, 20, 'a'), (1, 30, 'a'), (1, 5, 'b'),"
                                + " (2, 21, 'a'), (1, 7, 'b'), (3, 1, 'b')) AS v(id, v, ds)"
                                + " GROUP BY id, ds")
                .await();

        assertThat(download(table.name(), "ds=a")).isEqualTo(Map.of(1L, "30", 2L, "21"));
        assertThat(download(table.name(), "ds=b")).isEqualTo(Map.of(1L, "7", 3L, "1"));
    }

    @Test
    void exactlyOnceAcrossAFailureBetweenCheckpoints() throws Exception {
        int records = 3_000;
        ServerTable table = pkTable("upsert_failover", false);
        StreamExecutionEnvironment env = FailoverJobs.environment(1);
        DataStream<Row> changes =
                FailoverJobs.numbers(env, records, true).map(OdpsUpsertSinkITCase::change, ID_NAME);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.createTemporaryView(
                "changes",
                tEnv.fromChangelogStream(changes, idNameKeyed(), ChangelogMode.upsert()));
        tEnv.executeSql(ddl("t", table.name(), false, "PRIMARY KEY (id) NOT ENFORCED", "2"));
        tEnv.executeSql("INSERT INTO t SELECT id, name FROM changes").await();

        assertThat(FailOnceAfterCheckpoint.failed()).as("the job failed once").isTrue();
        assertThat(FailOnceAfterCheckpoint.taskStarts()).as("and restarted").isGreaterThan(1);
        Map<Long, String> expected = new TreeMap<>();
        for (long n = 0; n < records; n++) {
            Row row = change(n);
            if (row.getKind() == RowKind.DELETE) {
                expected.remove((Long) row.getField(0));
            } else {
                expected.put((Long) row.getField(0), (String) row.getField(1));
            }
        }
        assertThat(expected).hasSizeBetween(10, 39);
        assertThat(download(table.name(), null)).isEqualTo(expected);
    }

    @Test
    void dataStreamBuilderUpsertsAndDeletesByRowKindAtLeastOnce() throws Exception {
        ServerTable table = pkTable("upsert_datastream", false);
        StreamExecutionEnvironment env = streaming(2);
        env.fromData(
                        ID_NAME,
                        Row.ofKind(RowKind.INSERT, 1L, "one"),
                        Row.ofKind(RowKind.INSERT, 2L, "two"),
                        Row.ofKind(RowKind.UPDATE_AFTER, 1L, "uno"),
                        Row.ofKind(RowKind.DELETE, 2L, null))
                .keyBy(row -> (Long) row.getField(0))
                .sinkTo(
                        OdpsSink.<Row>builder()
                                .setConnection(OdpsTestTables.connection(ODPS))
                                .setTable(table.name())
                                .setUpsert(true)
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .setSerializationSchema(new IdNameRows())
                                .build());
        env.execute("datastream upsert");

        assertThat(download(table.name(), null)).isEqualTo(Map.of(1L, "uno"));
    }

    @Test
    void primaryKeyMismatchNamesBothKeys() {
        ServerTable table = pkTable("upsert_mismatch", false);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(streaming(1));
        tEnv.executeSql(ddl("t", table.name(), false, "PRIMARY KEY (name) NOT ENFORCED", null));
        assertThatThrownBy(() -> tEnv.executeSql("INSERT INTO t SELECT 1, 'x'").await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("PRIMARY KEY (name)")
                                        .contains("primary key (id)")
                                        .contains("test_project.upsert_mismatch")
                                        .doesNotContain(OdpsTestServer.ACCESS_KEY));
    }

    @Test
    void primaryKeyOverTableWithoutOneFailsClearly() {
        ServerTable table =
                OdpsTestTables.createTable(
                        ODPS, "upsert_no_pk", OdpsTestTables.idNameSchema(false));
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(streaming(1));
        tEnv.executeSql(ddl("t", table.name(), false, "PRIMARY KEY (id) NOT ENFORCED", null));
        assertThatThrownBy(() -> tEnv.executeSql("INSERT INTO t SELECT 1, 'x'").await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("PRIMARY KEY (id)")
                                        .contains("test_project.upsert_no_pk has no primary key"));
        assertThat(table.rowCount()).isZero();
    }

    @Test
    void dynamicPartitionsNeedThePartitionColumnsInTheKey() {
        ServerTable table = pkTable("upsert_partition_key", true);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(streaming(1));
        tEnv.executeSql(ddl("t", table.name(), true, "PRIMARY KEY (id) NOT ENFORCED", null));
        assertThatThrownBy(() -> tEnv.executeSql("INSERT INTO t SELECT 1, 'x', 'a'").await())
                .satisfies(
                        e ->
                                assertThat(fullMessage(e))
                                        .contains("partition columns (ds)")
                                        .contains("PRIMARY KEY (id)"));
    }

    /** {@code n} upserts or deletes key {@code n % 40}, depending on the round and the key. */
    private static Row change(Long n) {
        long key = n % 40;
        long round = n / 40;
        return (round + key) % 4 == 3
                ? Row.ofKind(RowKind.DELETE, key, null)
                : Row.ofKind(RowKind.UPDATE_AFTER, key, "v" + n);
    }

    private static Schema idNameKeyed() {
        return Schema.newBuilder()
                .column("id", DataTypes.BIGINT().notNull())
                .column("name", DataTypes.STRING())
                .primaryKey("id")
                .build();
    }

    private static StreamExecutionEnvironment streaming(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        return env;
    }

    /** A MaxCompute table {@code (id BIGINT, name STRING)} with PRIMARY KEY (id). */
    private static ServerTable pkTable(String name, boolean partitioned) {
        TableSchema schema = OdpsTestTables.idNameSchema(partitioned);
        return ODPS.store()
                .createTable(
                        OdpsTestServer.DEFAULT_PROJECT, null, name, schema, List.of("id"), null);
    }

    private static List<Record> seed(long... ids) {
        Column[] columns = OdpsTestTables.idNameSchema(false).getColumns().toArray(new Column[0]);
        return java.util.Arrays.stream(ids)
                .mapToObj(
                        id -> {
                            ArrayRecord record = new ArrayRecord(columns);
                            record.setBigint(0, id);
                            record.setString(1, "seed-" + id);
                            return (Record) record;
                        })
                .collect(java.util.stream.Collectors.toList());
    }

    private static String ddl(
            String name, String table, boolean partitioned, String key, String parallelism) {
        return "CREATE TABLE "
                + name
                + " (id BIGINT NOT NULL, name STRING"
                + (partitioned ? ", ds STRING NOT NULL" : "")
                + ", "
                + key
                + ")"
                + (partitioned ? " PARTITIONED BY (ds)" : "")
                + " WITH ("
                + OdpsTestTables.sqlOptions(ODPS, table)
                + (parallelism == null ? "" : ", 'sink.parallelism' = '" + parallelism + "'")
                + ")";
    }

    /** The committed rows as id to name, read with the plain SDK's tunnel download. */
    private static Map<Long, String> download(String table, String partition) throws Exception {
        TableTunnel tunnel = ODPS.newTableTunnel(ODPS.newOdps());
        TableTunnel.DownloadSession session =
                partition == null
                        ? tunnel.createDownloadSession(OdpsTestServer.DEFAULT_PROJECT, table)
                        : tunnel.createDownloadSession(
                                OdpsTestServer.DEFAULT_PROJECT,
                                table,
                                new PartitionSpec(partition));
        Map<Long, String> rows = new TreeMap<>();
        try (RecordReader reader = session.openRecordReader(0, session.getRecordCount())) {
            Record record;
            while ((record = reader.read()) != null) {
                assertThat(rows.put(record.getBigint("id"), record.getString("name")))
                        .as("one row per key")
                        .isNull();
            }
        }
        return rows;
    }

    private static String fullMessage(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }

    /** Rows {@code (id, name)}; the row kind says upsert or delete. */
    private static final class IdNameRows implements OdpsRecordSerializationSchema<Row> {
        @Override
        public void serialize(Row element, Record target) {
            target.setBigint(0, (Long) element.getField(0));
            target.setString(1, (String) element.getField(1));
        }

        @Override
        public OdpsChangeKind changeKindOf(Row element) {
            return OdpsChangeKind.of(element.getKind());
        }
    }
}
