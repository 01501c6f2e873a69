package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.LakeMiniCluster;

import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.take;

/**
 * DDL and hints written for Iceberg's own Flink connector work with {@code 'connector' = 'lake'}:
 * its option names are deprecated aliases of ours, {@code streaming} and {@code starting-strategy}
 * become {@code scan.mode}, the table format, database and table follow from them as in Iceberg's
 * connector, and the INSERT creates the missing table.
 */
class LakeIcebergConnectorNamesITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = LakeMiniCluster.extension();

    @TempDir Path warehouse;

    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @Test
    void aDdlFromIcebergsDocsWritesCreatesAndTimeTravels() throws Exception {
        // As in Iceberg's Flink DDL docs, with only the connector changed.
        batch.executeSql(
                "CREATE TABLE flink_table (id BIGINT, data STRING) WITH ('connector'='lake',"
                        + " 'catalog-name'='hadoop_prod', 'catalog-type'='hadoop',"
                        + " 'warehouse'='"
                        + warehouse
                        + "')");
        batch.executeSql("INSERT INTO flink_table VALUES (1, 'a'), (2, 'b')").await();
        Table table = icebergTable("default_database", "flink_table");
        long first = table.currentSnapshot().snapshotId();
        batch.executeSql("INSERT INTO flink_table VALUES (3, 'c')").await();

        assertThat(rows(batch, "SELECT id FROM flink_table"))
                .containsExactlyInAnyOrder("1", "2", "3");
        assertThat(
                        rows(
                                batch,
                                "SELECT id FROM flink_table /*+ OPTIONS('snapshot-id'='"
                                        + first
                                        + "') */"))
                .containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void catalogDatabaseAndCatalogTableNameTheIcebergTable() throws Exception {
        create("orders", "'catalog-database'='sales', 'catalog-table'='orders_v1'");
        batch.executeSql("INSERT INTO orders VALUES (1, 'a')").await();

        assertThat(icebergTable("sales", "orders_v1").currentSnapshot()).isNotNull();
    }

    @Test
    @Timeout(120)
    void streamingWithAStartingStrategyReadsContinuously() throws Exception {
        create("events", "'catalog-database'='db'");
        batch.executeSql("INSERT INTO events VALUES (1, 'a'), (2, 'b')").await();
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        // One slot for the read, one for the INSERT while it runs.
        streaming.getConfig().set(CoreOptions.DEFAULT_PARALLELISM, 1);
        streaming.executeSql(
                "CREATE TABLE events (id BIGINT, data STRING) WITH ('connector'='lake',"
                        + " 'catalog-type'='hadoop', 'warehouse'='"
                        + warehouse
                        + "', 'catalog-database'='db')");

        List<String> seen = new ArrayList<>();
        try (CloseableIterator<Row> rows =
                streaming
                        .executeSql(
                                "SELECT id FROM events /*+ OPTIONS('streaming'='true',"
                                        + " 'monitor-interval'='500ms',"
                                        + " 'starting-strategy'='TABLE_SCAN_THEN_INCREMENTAL') */")
                        .collect()) {
            take(rows, 2, seen);
            batch.executeSql("INSERT INTO events VALUES (3, 'c')").await();
            take(rows, 1, seen);
        }
        assertThat(seen).containsExactlyInAnyOrder("1", "2", "3");
    }

    @Test
    void upsertEnabledFalseAppendsDespiteThePrimaryKey() throws Exception {
        String keyed = "id BIGINT NOT NULL, data STRING, PRIMARY KEY (id) NOT ENFORCED";
        batch.executeSql(
                "CREATE TABLE upserted ("
                        + keyed
                        + ") WITH ("
                        + connection("'catalog-table'='u'")
                        + ")");
        batch.executeSql(
                "CREATE TABLE appended ("
                        + keyed
                        + ") WITH ("
                        + connection("'catalog-table'='a', 'upsert-enabled'='false'")
                        + ")");
        for (String table : List.of("upserted", "appended")) {
            batch.executeSql("INSERT INTO " + table + " VALUES (1, 'old')").await();
            batch.executeSql("INSERT INTO " + table + " VALUES (1, 'new')").await();
        }

        assertThat(rows(batch, "SELECT data FROM upserted")).containsExactly("new");
        assertThat(rows(batch, "SELECT data FROM appended"))
                .containsExactlyInAnyOrder("old", "new");
    }

    @Test
    void upsertEnabledWithoutAPrimaryKeyFails() {
        create("plain", "'upsert-enabled'='true'");

        assertThatThrownBy(() -> batch.executeSql("INSERT INTO plain VALUES (1, 'a')"))
                .hasStackTraceContaining("'sink.upsert' = 'true' needs a PRIMARY KEY");
    }

    @Test
    void anAliasAndItsOptionWithDifferentValuesFailNamingBoth() {
        create("twice", "'catalog-database'='a', 'database'='b'");

        assertThatThrownBy(() -> batch.executeSql("SELECT * FROM twice"))
                .hasStackTraceContaining("'database' = 'b'")
                .hasStackTraceContaining("'catalog-database' = 'a'");
    }

    @Test
    void aStartingStrategyWithoutEquivalentFailsNamingTheValidOnes() {
        create(
                "replay",
                "'streaming'='true', 'starting-strategy'='INCREMENTAL_FROM_EARLIEST_SNAPSHOT'");

        assertThatThrownBy(() -> batch.executeSql("SELECT * FROM replay"))
                .hasStackTraceContaining(
                        "'starting-strategy' = 'INCREMENTAL_FROM_EARLIEST_SNAPSHOT'")
                .hasStackTraceContaining("TABLE_SCAN_THEN_INCREMENTAL");
    }

    @Test
    void aHiveMetastoreCatalogIsRefusedClearly() {
        batch.executeSql(
                "CREATE TABLE hive_table (id BIGINT, data STRING) WITH ('connector'='lake',"
                        + " 'catalog-name'='hive_prod', 'uri'='thrift://localhost:9083',"
                        + " 'warehouse'='"
                        + warehouse
                        + "')");

        assertThatThrownBy(() -> batch.executeSql("SELECT * FROM hive_table"))
                .hasStackTraceContaining("Hive metastore catalogs are not supported");
    }

    private void create(String name, String options) {
        batch.executeSql(
                "CREATE TABLE "
                        + name
                        + " (id BIGINT, data STRING) WITH ("
                        + connection(options)
                        + ")");
    }

    private String connection(String options) {
        return "'connector'='lake', 'catalog-type'='hadoop', 'warehouse'='"
                + warehouse
                + "', "
                + options;
    }

    private Table icebergTable(String database, String name) {
        return new HadoopCatalog(new Configuration(), warehouse.toString())
                .loadTable(TableIdentifier.of(database, name));
    }
}
