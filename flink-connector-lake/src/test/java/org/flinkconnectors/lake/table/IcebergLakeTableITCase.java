package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.CollectionUtil;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code 'connector' = 'lake'} over real Iceberg tables (a Hadoop catalog in a temporary directory)
 * on a MiniCluster: pushdown, time travel, a streaming tail, and the option and schema errors a
 * user can make.
 */
class IcebergLakeTableITCase {

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

    /**
     * Three files of ids 0-9, 10-19 and 20-29; the middle one is then removed from disk. A query
     * whose filter excludes it by its statistics still runs, so that file was never opened; the
     * unfiltered query, which has to open it, fails.
     */
    @Test
    void filterSkipsDataFilesAndOnlyProjectedColumnsAreRead() throws Exception {
        Table table = tables.create("orders");
        IcebergTestTables.append(table, 0, 10);
        DataFile middle = IcebergTestTables.writeDataFile(table, 10, 20);
        table.newAppend().appendFile(middle).commit();
        IcebergTestTables.append(table, 20, 30);
        declare(batch, "orders", "id BIGINT, name STRING", "");

        String plan = batch.explainSql("SELECT name FROM orders WHERE id >= 25 OR id IN (20, 21)");
        assertThat(plan).contains("filter=[OR(OR(=(id, 20:BIGINT), =(id, 21:BIGINT)), >=(id, 25");
        assertThat(batch.explainSql("SELECT name FROM orders")).contains("project=[name]");

        Files.delete(Paths.get(URI.create(middle.location())));

        assertThat(rows(batch, "SELECT name FROM orders WHERE id >= 25 OR id IN (20, 21)"))
                .containsExactlyInAnyOrder(
                        "name-20", "name-21", "name-25", "name-26", "name-27", "name-28",
                        "name-29");
        assertThat(rows(batch, "SELECT id FROM orders WHERE id < 5 AND name IS NOT NULL"))
                .containsExactlyInAnyOrder("0", "1", "2", "3", "4");
        assertThatThrownBy(() -> rows(batch, "SELECT name FROM orders"))
                .hasStackTraceContaining(middle.location().replaceFirst("^file:/*", ""));
    }

    @Test
    void timeTravelBySnapshotIdTagBranchAndTimestamp() throws Exception {
        Table table = tables.create("history");
        long first = IcebergTestTables.append(table, 0, 3);
        long firstMillis = table.currentSnapshot().timestampMillis();
        table.manageSnapshots().createTag("v1", first).commit();
        long second = IcebergTestTables.append(table, 3, 6);
        table.manageSnapshots().createBranch("audit", second).commit();
        IcebergTestTables.append(table, 6, 9);
        declare(batch, "history", "id BIGINT", "");

        assertThat(rows(batch, "SELECT id FROM history")).hasSize(9);
        assertThat(rows(batch, "SELECT COUNT(*) FROM history")).containsExactly("9");
        assertThat(rows(batch, hinted("history", "scan.snapshot-id", first)))
                .containsExactlyInAnyOrder("0", "1", "2");
        assertThat(rows(batch, hinted("history", "scan.tag", "v1"))).hasSize(3);
        assertThat(rows(batch, hinted("history", "scan.branch", "audit"))).hasSize(6);
        assertThat(rows(batch, hinted("history", "scan.as-of-timestamp", firstMillis))).hasSize(3);
        assertThatThrownBy(() -> rows(batch, hinted("history", "scan.snapshot-id", 42)))
                .hasStackTraceContaining("'scan.snapshot-id'")
                .hasStackTraceContaining("42 does not exist");
    }

    @Test
    @Timeout(120)
    void streamingReadTailsAppendsAfterTheCurrentSnapshot() throws Exception {
        Table table = tables.create("events");
        IcebergTestTables.append(table, 0, 5);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(
                streaming,
                "events",
                "id BIGINT, name STRING",
                // 'scan.startup.mode' is the alias of 'scan.mode' Kafka users know.
                ", 'scan.startup.mode' = 'earliest', 'scan.commit-discovery.interval' = '100 ms'");

        TableResult result = streaming.executeSql("SELECT id FROM events WHERE id <> 3");
        List<String> seen = new ArrayList<>();
        try (CloseableIterator<Row> rows = result.collect()) {
            take(rows, 4, seen);
            IcebergTestTables.append(table, 5, 8);
            take(rows, 3, seen);
        }
        assertThat(seen).containsExactlyInAnyOrder("0", "1", "2", "4", "5", "6", "7");
    }

    /**
     * Starts at the second snapshot; a later delete commit is skipped by 'scan.on-rewrite' = 'skip'
     * instead of failing the job, and the append after it is read.
     */
    @Test
    @Timeout(120)
    void streamingReadFromASnapshotSkipsRewritesWhenToldTo() throws Exception {
        Table table = tables.create("tail");
        IcebergTestTables.append(table, 0, 3);
        long second = IcebergTestTables.append(table, 3, 6);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(
                streaming,
                "tail",
                "id BIGINT",
                ", 'scan.mode' = 'from-snapshot', 'scan.startup.snapshot-id' = '"
                        + second
                        + "', 'scan.on-rewrite' = 'skip', 'scan.monitor-interval' = '100 ms'");

        List<String> seen = new ArrayList<>();
        try (CloseableIterator<Row> rows = streaming.executeSql("SELECT id FROM tail").collect()) {
            take(rows, 3, seen);
            IcebergTestTables.deleteIds(table, 4);
            IcebergTestTables.append(table, 6, 8);
            take(rows, 2, seen);
        }
        assertThat(seen).containsExactly("3", "4", "5", "6", "7");
    }

    @Test
    void optionMistakesNameTheOptionAndWhatIsValid() {
        tables.create("t");
        String where =
                String.format(
                        "'warehouse' = '%s', 'database' = 'db', 'table' = 't'", tables.warehouse());

        assertThatThrownBy(() -> query(batch, "'table-format' = 'hudi', " + where))
                .hasStackTraceContaining("'table-format'")
                .hasStackTraceContaining("iceberg, delta");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'scan.tagg' = 'x', " + where))
                .hasStackTraceContaining("scan.tagg")
                .hasStackTraceContaining("scan.tag");
        // Hadoop settings pass through under 'properties.'.
        query(
                batch,
                "'table-format' = 'iceberg', 'properties.fs.file.impl.disable.cache' = 'true', "
                        + where);
        assertThatThrownBy(() -> query(batch, where))
                .hasStackTraceContaining("Option 'table-format' is required")
                .hasStackTraceContaining("iceberg, delta");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'database' = 'db',"
                                                + " 'table' = 't'"))
                .hasStackTraceContaining(
                        "Option 'warehouse' is required when 'catalog-type' is 'hadoop'");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'scan.version' = '1', "
                                                + where))
                .hasStackTraceContaining("Option 'scan.version' does not apply")
                .hasStackTraceContaining("'iceberg'");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'catalog-type' = 'glue', "
                                                + where))
                .hasStackTraceContaining("'catalog-type'")
                .hasStackTraceContaining("[hadoop, jdbc, rest]");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'scan.mode' = 'sometimes', "
                                                + where))
                .hasStackTraceContaining("'scan.mode'")
                .hasStackTraceContaining("bounded, latest, earliest");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'scan.mode' = 'latest',"
                                                + " 'scan.snapshot-id' = '1', "
                                                + where))
                .hasStackTraceContaining("Option 'scan.snapshot-id' applies to bounded reads only");
        assertThatThrownBy(
                        () ->
                                query(
                                        batch,
                                        "'table-format' = 'iceberg', 'scan.mode' ="
                                                + " 'from-snapshot', "
                                                + where))
                .hasStackTraceContaining(
                        "Option 'scan.startup.snapshot-id' is required when 'scan.mode' is"
                                + " 'from-snapshot'");
    }

    @Test
    void declaredColumnsMustMatchTheTable() throws Exception {
        IcebergTestTables.append(tables.create("typed"), 0, 1);
        declare(batch, "wrong_type", "typed", "id INT, name STRING", "");
        declare(batch, "unknown_column", "typed", "id BIGINT, price DOUBLE", "");

        assertThatThrownBy(() -> rows(batch, "SELECT * FROM wrong_type"))
                .hasStackTraceContaining("Column 'id' is declared as INT")
                .hasStackTraceContaining("it is BIGINT NOT NULL; declare it as BIGINT");
        assertThatThrownBy(() -> rows(batch, "SELECT * FROM unknown_column"))
                .hasStackTraceContaining("Column 'price' is not a column of")
                .hasStackTraceContaining("[id, name]");
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

    /** Plans a query of a table declared with these options; the factory runs while planning. */
    private static void query(TableEnvironment env, String options) {
        env.executeSql("DROP TABLE IF EXISTS probe");
        env.executeSql(
                "CREATE TABLE probe (id BIGINT) WITH ('connector' = 'lake', " + options + ")");
        env.explainSql("SELECT id FROM probe");
    }

    private static String hinted(String table, String key, Object value) {
        return String.format("SELECT id FROM %s /*+ OPTIONS('%s' = '%s') */", table, key, value);
    }

    static List<String> rows(TableEnvironment env, String query) throws Exception {
        return CollectionUtil.iteratorToList(env.executeSql(query).collect()).stream()
                .map(row -> row.getArity() == 1 ? String.valueOf(row.getField(0)) : row.toString())
                .toList();
    }

    /** Waits for {@code count} more rows; the test's timeout bounds the wait. */
    static void take(CloseableIterator<Row> rows, int count, List<String> into) {
        for (int i = 0; i < count; i++) {
            assertThat(rows.hasNext()).isTrue();
            into.add(String.valueOf(rows.next().getField(0)));
        }
    }
}
