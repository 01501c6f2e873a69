package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code INSERT INTO} a {@code 'connector' = 'lake'} Iceberg table on a MiniCluster: a streaming
 * insert committing at checkpoints, batch inserts with a static partition, the errors of a wrong
 * declaration; a Delta table written the same way; and Iceberg's own source reading what the SQL
 * sink wrote.
 */
class IcebergLakeSqlSinkITCase {

    private static final Schema PARTITIONED =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "part", Types.IntegerType.get()));

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    /** Two seconds of datagen rows at 200 ms checkpoints: several commits, every row once. */
    @Test
    void streamingInsertCommitsAtCheckpointsAndIsReadBackExactly() throws Exception {
        Table table = tables.create("orders");
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        streaming
                .getConfig()
                .set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        declare(
                streaming,
                "orders",
                "id BIGINT NOT NULL, name STRING",
                ", 'sink.parallelism' = '2'");
        streaming.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                        + " 'rows-per-second' = '300', 'fields.id.kind' = 'sequence',"
                        + " 'fields.id.start' = '0', 'fields.id.end' = '599')");

        streaming
                .executeSql(
                        "INSERT INTO orders SELECT id, CONCAT('name-', CAST(id AS STRING))"
                                + " FROM gen")
                .await();

        assertThat(IcebergRows.snapshots(table).size())
                .as("a 2-second stream with 200 ms checkpoints commits several times")
                .isGreaterThan(1);
        declare(batch, "orders", "id BIGINT, name STRING", "");
        assertThat(rows(batch, "SELECT id, name FROM orders"))
                .containsExactlyInAnyOrderElementsOf(
                        IcebergTestTables.expected(0, 600).stream()
                                .map(row -> "+I[" + row.replace(",", ", ") + "]")
                                .toList());
    }

    /** Rolls files at 'sink.target-file-size'; the static partition value lands in the rows. */
    @Test
    void batchInsertsIntoAStaticPartitionAndRollFilesAtTheTargetSize() throws Exception {
        Table table =
                tables.create(
                        "parts",
                        PARTITIONED,
                        PartitionSpec.builderFor(PARTITIONED).identity("part").build());
        declare(
                batch,
                "parts",
                "id BIGINT NOT NULL, name STRING, part INT) PARTITIONED BY (part",
                ", 'sink.target-file-size' = '1 kb'");
        batch.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' ="
                        + " '5000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0',"
                        + " 'fields.id.end' = '4999')");

        batch.executeSql(
                        "INSERT INTO parts PARTITION (part = 7) SELECT id, CONCAT('name-',"
                                + " CAST(id AS STRING)) FROM gen")
                .await();
        batch.executeSql("INSERT INTO parts VALUES (CAST(-1 AS BIGINT), 'minus', 8)").await();

        assertThat(rows(batch, "SELECT part, COUNT(*) FROM parts GROUP BY part"))
                .containsExactlyInAnyOrder("+I[7, 5000]", "+I[8, 1]");
        assertThat(rows(batch, "SELECT name FROM parts WHERE id IN (-1, 4999)"))
                .containsExactlyInAnyOrder("minus", "name-4999");
        table.refresh();
        List<DataFile> files = IcebergTestTables.dataFiles(table);
        assertThat(files.stream().filter(f -> f.partition().get(0, Integer.class) == 7).count())
                .as("5000 rows rolled at 1 kb")
                .isGreaterThan(1);
        assertThat(files.stream().map(f -> f.partition().get(0, Integer.class)).distinct())
                .containsExactlyInAnyOrder(7, 8);
        assertThat(IcebergRows.snapshots(table)).hasSize(2);
    }

    @Test
    void wrongDeclarationsAndNullsAreRejected() {
        tables.create("typed");
        String zeroSize = ", 'sink.target-file-size' = '0 b'";
        declare(batch, "wrong_type", "typed", "id INT, name STRING", "");
        declare(batch, "missing_column", "typed", "id BIGINT NOT NULL", "");
        declare(batch, "nullable_id", "typed", "id BIGINT, name STRING", "");
        declare(batch, "typed", "id BIGINT NOT NULL, name STRING", "");
        declare(batch, "empty_files", "typed", "id BIGINT NOT NULL, name STRING", zeroSize);

        assertThatThrownBy(() -> batch.explainSql("INSERT INTO wrong_type VALUES (1, 'a')"))
                .hasStackTraceContaining("Column 'id' is declared as INT")
                .hasStackTraceContaining("it is BIGINT NOT NULL; declare it as BIGINT");
        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT INTO missing_column VALUES (CAST(1 AS BIGINT))"))
                .hasStackTraceContaining("has the columns [id, name]");
        assertThatThrownBy(() -> batch.explainSql("INSERT INTO nullable_id VALUES (1, 'a')"))
                .hasStackTraceContaining("Column 'id' is required in")
                .hasStackTraceContaining("must declare it as BIGINT NOT NULL");
        // Declared NOT NULL, a null fails the job in Flink's check, which names the column.
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                                "INSERT INTO typed VALUES (CAST(NULL AS BIGINT),"
                                                        + " 'a')")
                                        .await())
                .hasStackTraceContaining("Column 'id' is NOT NULL");
        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT INTO empty_files VALUES (CAST(1 AS BIGINT), 'a')"))
                .hasStackTraceContaining("Option 'sink.target-file-size' must be positive");
    }

    /** The same SQL sink writes Delta tables through the Delta binding's Kernel writer. */
    @Test
    void deltaTablesAreWrittenToo() throws Exception {
        DeltaTestTables delta = new DeltaTestTables(warehouse.resolve("delta"));
        delta.create("events", Map.of());
        batch.executeSql(
                String.format(
                        "CREATE TABLE events (id BIGINT NOT NULL, name STRING) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'delta', 'path' = '%s')",
                        delta.path("events")));

        batch.executeSql(
                        "INSERT INTO events VALUES (CAST(1 AS BIGINT), 'a'), (CAST(2 AS BIGINT), 'b')")
                .await();

        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it =
                batch.executeSql("SELECT id, name FROM events").collect()) {
            it.forEachRemaining(r -> rows.add(r.toString()));
        }
        assertThat(rows).containsExactlyInAnyOrder("+I[1, a]", "+I[2, b]");
    }

    /** Iceberg's own FLIP-27 source reads the table the SQL sink wrote, partitions included. */
    @Test
    void icebergsOwnSourceReadsWhatTheSqlSinkWrote() throws Exception {
        Table table =
                tables.create(
                        "shared",
                        PARTITIONED,
                        PartitionSpec.builderFor(PARTITIONED).identity("part").build());
        declare(batch, "shared", "id BIGINT NOT NULL, name STRING, part INT", "");
        batch.executeSql("INSERT INTO shared VALUES (CAST(1 AS BIGINT), 'a', 1), (2, 'b', 2)")
                .await();
        batch.executeSql("INSERT INTO shared VALUES (CAST(3 AS BIGINT), CAST(NULL AS STRING), 1)")
                .await();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        IcebergSource<RowData> source =
                IcebergSource.forRowData()
                        .tableLoader(
                                TableLoader.fromHadoopTable(table.location(), new Configuration()))
                        .build();
        List<String> read = new ArrayList<>();
        try (CloseableIterator<RowData> rows =
                env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                "iceberg",
                                InternalTypeInfo.of(FlinkSchemaUtil.convert(PARTITIONED)))
                        .executeAndCollect()) {
            rows.forEachRemaining(
                    row ->
                            read.add(
                                    row.getLong(0)
                                            + ","
                                            + (row.isNullAt(1) ? null : row.getString(1))
                                            + ","
                                            + row.getInt(2)));
        }
        assertThat(read).containsExactlyInAnyOrder("1,a,1", "2,b,2", "3,null,1");
    }

    private void declare(TableEnvironment env, String name, String columns, String extra) {
        declare(env, name, name, columns, extra);
    }

    private void declare(
            TableEnvironment env, String name, String table, String columns, String extra) {
        env.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s'%s)",
                        name, columns, tables.warehouse(), table, extra));
    }
}
