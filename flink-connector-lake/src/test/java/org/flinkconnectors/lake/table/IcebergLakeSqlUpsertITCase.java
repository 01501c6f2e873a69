package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.testutils.FailOnceAfterCheckpoint;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code INSERT INTO} an Iceberg v2 table declared with a {@code PRIMARY KEY} on a MiniCluster: an
 * upsert changelog ends as one row per key with its latest value and deletes applied, read back by
 * the lake source and by Iceberg's own generic reader; also across a task failure; and the planning
 * errors for tables that cannot be upserted.
 */
class IcebergLakeSqlUpsertITCase {

    private static final int PARALLELISM = 2;

    private static final TypeInformation<Row> ROW =
            Types.ROW_NAMED(new String[] {"id", "name"}, Types.LONG, Types.STRING);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
    }

    /**
     * Two jobs: the second updates and deletes keys the first committed (equality deletes), each
     * also replaces keys it wrote itself (position deletes).
     */
    @Test
    void anUpsertChangelogEndsWithTheLatestRowPerKeyInBothReaders() throws Exception {
        Table table = tables.create("users");

        upsert(
                "users",
                Row.ofKind(RowKind.INSERT, 1L, "a"),
                Row.ofKind(RowKind.INSERT, 2L, "b"),
                Row.ofKind(RowKind.INSERT, 3L, "c"),
                Row.ofKind(RowKind.UPDATE_AFTER, 1L, "a2"),
                Row.ofKind(RowKind.DELETE, 2L, "b"),
                Row.ofKind(RowKind.INSERT, 4L, "d"));
        assertThat(IcebergRows.idsAndNames(table)).containsExactlyInAnyOrder("1,a2", "3,c", "4,d");

        upsert(
                "users",
                Row.ofKind(RowKind.UPDATE_AFTER, 3L, "c2"),
                Row.ofKind(RowKind.DELETE, 4L, "d"),
                Row.ofKind(RowKind.INSERT, 5L, "e"),
                Row.ofKind(RowKind.INSERT, 2L, "b2"),
                Row.ofKind(RowKind.UPDATE_AFTER, 5L, "e2"));

        List<String> expected = List.of("1,a2", "2,b2", "3,c2", "5,e2");
        assertThat(IcebergRows.idsAndNames(table)).containsExactlyInAnyOrderElementsOf(expected);
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(batch, "users", "id BIGINT NOT NULL, name STRING", "");
        assertThat(rows(batch, "SELECT id, name FROM users"))
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(r -> "+I[" + r.replace(",", ", ") + "]").toList());
        Snapshot last = IcebergRows.snapshots(table).get(1);
        assertThat(last.operation()).isEqualTo("overwrite");
        List<FileContent> deletes = new ArrayList<>();
        last.addedDeleteFiles(table.io()).forEach(f -> deletes.add(f.content()));
        assertThat(deletes).contains(FileContent.EQUALITY_DELETES);
    }

    /** A key that includes the partition column: deletes reach the row in its partition. */
    @Test
    void aPartitionedTableIsUpsertedWithinItsPartitions() throws Exception {
        org.apache.iceberg.Schema schema =
                new org.apache.iceberg.Schema(
                        NestedField.required(
                                1, "id", org.apache.iceberg.types.Types.LongType.get()),
                        NestedField.optional(
                                2, "name", org.apache.iceberg.types.Types.StringType.get()),
                        NestedField.required(
                                3, "part", org.apache.iceberg.types.Types.IntegerType.get()));
        Table table =
                tables.create(
                        "parts", schema, PartitionSpec.builderFor(schema).identity("part").build());

        upsertParts(
                Row.ofKind(RowKind.INSERT, 1L, "a", 0),
                Row.ofKind(RowKind.INSERT, 2L, "b", 1),
                Row.ofKind(RowKind.INSERT, 3L, "c", 1));
        upsertParts(
                Row.ofKind(RowKind.UPDATE_AFTER, 1L, "a2", 0),
                Row.ofKind(RowKind.DELETE, 2L, "b", 1),
                Row.ofKind(RowKind.INSERT, 4L, "d", 0));

        assertThat(IcebergRows.idsAndNames(table)).containsExactlyInAnyOrder("1,a2", "3,c", "4,d");
        table.refresh();
        List<Integer> deletePartitions = new ArrayList<>();
        table.currentSnapshot()
                .addedDeleteFiles(table.io())
                .forEach(f -> deletePartitions.add(f.partition().get(0, Integer.class)));
        assertThat(deletePartitions).isNotEmpty().containsOnly(0, 1);
    }

    /**
     * 3,000 changes over 200 keys at parallelism 2, failing once after a checkpoint. The source
     * subtasks read the halves of the sequence; each half has its own keys, so every key's changes
     * come in order from one subtask.
     */
    @Test
    void aTaskFailureStillEndsWithOneRowPerKey() throws Exception {
        Table table = tables.create("users");
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        DataStream<Row> changes =
                FailoverJobs.numbers(env, 3_000, true)
                        .map(
                                n -> {
                                    long key = n < 1_500 ? 100 + n % 100 : n % 100;
                                    RowKind kind =
                                            n >= 2_900 && key % 10 == 0
                                                    ? RowKind.DELETE
                                                    : RowKind.UPDATE_AFTER;
                                    return Row.ofKind(kind, key, "v-" + n);
                                })
                        .returns(ROW);
        StreamTableEnvironment streaming = StreamTableEnvironment.create(env);
        declare(
                streaming,
                "users",
                "id BIGINT NOT NULL, name STRING, PRIMARY KEY (id) NOT ENFORCED",
                "");
        streaming.createTemporaryView("changes", upserts(streaming, changes));

        streaming.executeSql("INSERT INTO users SELECT * FROM changes").await();

        assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
        List<String> expected = new ArrayList<>();
        for (long key = 0; key < 100; key++) {
            if (key % 10 != 0) {
                expected.add(key + ",v-" + (2_900 + key));
            }
            expected.add((100 + key) + ",v-" + (1_400 + key));
        }
        assertThat(IcebergRows.idsAndNames(table)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aPrimaryKeyOnADeltaTableIsRejected() {
        DeltaTestTables delta = new DeltaTestTables(warehouse.resolve("delta"));
        delta.create("events", Map.of());
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                String.format(
                        "CREATE TABLE events (id BIGINT NOT NULL, name STRING, PRIMARY KEY (id) NOT"
                                + " ENFORCED) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'delta', 'path' = '%s')",
                        delta.path("events")));

        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT INTO events VALUES (CAST(1 AS BIGINT), 'a')"))
                .hasStackTraceContaining(
                        "'table-format' = 'delta' tables cannot be upserted yet; formats that can: [iceberg]");
    }

    @Test
    void aFormatVersion1TableIsRejectedNamingItsVersion() {
        new HadoopCatalog(new Configuration(), tables.warehouse())
                .createTable(
                        TableIdentifier.of(IcebergTestTables.DATABASE, "legacy"),
                        IcebergTestTables.SCHEMA,
                        PartitionSpec.unpartitioned(),
                        Map.of(TableProperties.FORMAT_VERSION, "1"));

        assertThatThrownBy(() -> explainUpsert("legacy", "id BIGINT NOT NULL, name STRING", "id"))
                .hasStackTraceContaining("db.legacy")
                .hasStackTraceContaining("format version 1");
    }

    @Test
    void aPartitionColumnOutsideTheKeyIsRejectedNamingIt() {
        org.apache.iceberg.Schema schema =
                new org.apache.iceberg.Schema(
                        NestedField.required(
                                1, "id", org.apache.iceberg.types.Types.LongType.get()),
                        NestedField.optional(
                                2, "name", org.apache.iceberg.types.Types.StringType.get()),
                        NestedField.optional(
                                3, "part", org.apache.iceberg.types.Types.IntegerType.get()));
        tables.create("parts", schema, PartitionSpec.builderFor(schema).identity("part").build());

        assertThatThrownBy(
                        () ->
                                explainUpsert(
                                        "parts", "id BIGINT NOT NULL, name STRING, part INT", "id"))
                .hasStackTraceContaining("add [part] to the PRIMARY KEY");
    }

    @Test
    void aKeyOtherThanTheIdentifierFieldsIsRejected() {
        org.apache.iceberg.Schema schema =
                new org.apache.iceberg.Schema(
                        List.of(
                                NestedField.required(
                                        1, "id", org.apache.iceberg.types.Types.LongType.get()),
                                NestedField.required(
                                        2,
                                        "name",
                                        org.apache.iceberg.types.Types.StringType.get())),
                        Set.of(1));
        tables.create("keyed", schema);

        assertThatThrownBy(
                        () ->
                                explainUpsert(
                                        "keyed",
                                        "id BIGINT NOT NULL, name STRING NOT NULL",
                                        "name"))
                .hasStackTraceContaining("does not match the identifier fields [id]");
    }

    @Test
    void anOverwriteWithAPrimaryKeyIsRejected() {
        tables.create("users");
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(
                batch,
                "users",
                "id BIGINT NOT NULL, name STRING, PRIMARY KEY (id) NOT ENFORCED",
                "");

        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT OVERWRITE users VALUES (CAST(1 AS BIGINT), 'a')"))
                .hasStackTraceContaining("INSERT OVERWRITE into")
                .hasStackTraceContaining("PRIMARY KEY [id]");
    }

    private void explainUpsert(String table, String columns, String key) {
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(batch, table, columns + ", PRIMARY KEY (" + key + ") NOT ENFORCED", "");
        batch.explainSql("INSERT INTO " + table + " SELECT * FROM " + table);
    }

    /** One streaming job writing the changes as an upsert changelog keyed by id. */
    private void upsert(String table, Row... changes) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(100);
        StreamTableEnvironment streaming = StreamTableEnvironment.create(env);
        declare(
                streaming,
                table,
                "id BIGINT NOT NULL, name STRING, PRIMARY KEY (id) NOT ENFORCED",
                "");
        streaming.createTemporaryView("changes", upserts(streaming, env.fromData(ROW, changes)));
        streaming.executeSql("INSERT INTO " + table + " SELECT * FROM changes").await();
    }

    private void upsertParts(Row... changes) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(100);
        StreamTableEnvironment streaming = StreamTableEnvironment.create(env);
        declare(
                streaming,
                "parts",
                "id BIGINT NOT NULL, name STRING, part INT NOT NULL,"
                        + " PRIMARY KEY (id, part) NOT ENFORCED",
                "");
        TypeInformation<Row> type =
                Types.ROW_NAMED(
                        new String[] {"id", "name", "part"}, Types.LONG, Types.STRING, Types.INT);
        streaming.createTemporaryView(
                "changes",
                streaming.fromChangelogStream(
                        env.fromData(type, changes),
                        Schema.newBuilder()
                                .column("id", DataTypes.BIGINT().notNull())
                                .column("name", DataTypes.STRING())
                                .column("part", DataTypes.INT().notNull())
                                .primaryKey("id", "part")
                                .build(),
                        ChangelogMode.upsert()));
        streaming.executeSql("INSERT INTO parts SELECT * FROM changes").await();
    }

    private static org.apache.flink.table.api.Table upserts(
            StreamTableEnvironment env, DataStream<Row> changes) {
        return env.fromChangelogStream(
                changes,
                Schema.newBuilder()
                        .column("id", DataTypes.BIGINT().notNull())
                        .column("name", DataTypes.STRING())
                        .primaryKey("id")
                        .build(),
                ChangelogMode.upsert());
    }

    private void declare(TableEnvironment env, String name, String columns, String extra) {
        env.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s'%s)",
                        name, columns, tables.warehouse(), name, extra));
    }
}
