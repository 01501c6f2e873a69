package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.Table;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@code odps} catalog through Flink SQL: databases are schemas, tables created in Flink are
 * MaxCompute tables the plain SDK sees, catalog tables are read and written on a MiniCluster with
 * the catalog's credentials, partitions and statistics come from MaxCompute.
 */
class OdpsCatalogITCase {

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    private static final String PROJECT = OdpsTestServer.DEFAULT_PROJECT;

    @Test
    void databasesAreTheSchemasOfTheProject() throws Exception {
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        env.executeSql("CREATE DATABASE odps.sales COMMENT 'sales data'").await();

        assertThat(ODPS.store().schema(PROJECT, "sales").comment()).isEqualTo("sales data");
        assertThat(ODPS.newOdps().schemas().exists(PROJECT, "sales")).isTrue();
        env.executeSql("USE CATALOG odps");
        assertThat(OdpsCatalogTesting.column(env, "SHOW DATABASES", 0))
                .contains("default", "sales");
        Catalog catalog = env.getCatalog("odps").orElseThrow();
        assertThat(catalog.getDatabase("sales").getComment()).isEqualTo("sales data");

        env.executeSql("CREATE TABLE odps.sales.t (id BIGINT)").await();
        env.executeSql("DROP DATABASE odps.sales CASCADE").await();

        assertThat(ODPS.store().hasSchema(PROJECT, "sales")).isFalse();
        assertThat(ODPS.store().table(PROJECT, "sales", "t")).isNull();
    }

    @Test
    void createdTableIsVisibleThroughThePlainSdk() throws Exception {
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        env.executeSql(
                        "CREATE TABLE odps.`default`.orders ("
                                + " id BIGINT COMMENT 'order id',"
                                + " name STRING,"
                                + " amount DECIMAL(10, 2),"
                                + " ds STRING COMMENT 'day',"
                                + " PRIMARY KEY (id) NOT ENFORCED"
                                + ") COMMENT 'all orders' PARTITIONED BY (ds)")
                .await();

        Odps odps = ODPS.newOdps();
        Table table = odps.tables().get(PROJECT, "default", "orders");
        table.reload();
        assertThat(table.getComment()).isEqualTo("all orders");
        assertThat(table.getSchema().getColumns())
                .extracting(Column::getName)
                .containsExactly("id", "name", "amount");
        assertThat(table.getSchema().getColumn("id").getComment()).isEqualTo("order id");
        assertThat(table.getSchema().getColumn("id").isNullable()).isFalse();
        assertThat(table.getSchema().getColumn("amount").getTypeInfo().getTypeName())
                .isEqualTo("DECIMAL(10,2)");
        assertThat(table.getSchema().getPartitionColumns())
                .extracting(Column::getName, Column::getComment)
                .containsExactly(tuple("ds", "day"));
        assertThat(table.getPrimaryKey()).containsExactly("id");
        assertThat(table.isTransactional()).isTrue();
    }

    @Test
    void describeAndShowCreateTableShowTheMaxComputeTableWithoutCredentials() throws Exception {
        ODPS.store()
                .createTable(
                        PROJECT,
                        "default",
                        "described",
                        OdpsCatalogTesting.schemaWithComments(),
                        List.of("id"),
                        "described table");
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");

        List<String> describe =
                OdpsCatalogTesting.strings(env, "DESCRIBE odps.`default`.described");
        assertThat(describe)
                .anySatisfy(r -> assertThat(r).contains("id", "BIGINT", "false", "PRI(id)", "key"))
                .anySatisfy(r -> assertThat(r).contains("price", "DECIMAL(12, 2)"))
                .anySatisfy(r -> assertThat(r).contains("at", "TIMESTAMP_LTZ(3)"))
                .anySatisfy(r -> assertThat(r).contains("ds", "STRING", "day"));

        String ddl =
                OdpsCatalogTesting.column(env, "SHOW CREATE TABLE odps.`default`.described", 0)
                        .get(0);
        assertThat(ddl)
                .contains(
                        "COMMENT 'described table'",
                        "PARTITIONED BY (`ds`)",
                        "PRIMARY KEY (`id`) NOT ENFORCED",
                        "'connector' = 'odps'",
                        "'project' = '" + PROJECT + "'",
                        "'schema' = 'default'",
                        "'table' = 'described'",
                        "'endpoint' = '" + ODPS.endpoint() + "'")
                .doesNotContain("access", OdpsTestServer.ACCESS_KEY, "sts-token");
    }

    @Test
    void insertAndSelectThroughTheCatalogWithItsCredentials() throws Exception {
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        env.executeSql("USE CATALOG odps");
        env.executeSql(
                        "CREATE TABLE events (id BIGINT, name STRING, ds STRING) PARTITIONED BY (ds)")
                .await();
        env.executeSql(
                        "INSERT INTO events VALUES (CAST(1 AS BIGINT), 'a', 'd1'),"
                                + " (CAST(2 AS BIGINT), 'b', 'd2'), (CAST(3 AS BIGINT), 'c', 'd2')")
                .await();

        ServerTable table = ODPS.store().table(PROJECT, "events");
        assertThat(table.partition("ds=d2").rows())
                .extracting(r -> r.getString(1))
                .containsExactlyInAnyOrder("b", "c");
        assertThat(
                        OdpsCatalogTesting.strings(
                                env,
                                "SELECT id, name, ds FROM events /*+ OPTIONS('scan.split-rows' = '1') */"
                                        + " WHERE id > 1"))
                .containsExactlyInAnyOrder("+I[2, b, d2]", "+I[3, c, d2]");
        assertThat(OdpsCatalogTesting.column(env, "SHOW PARTITIONS events", 0))
                .containsExactly("ds=d1", "ds=d2");
    }

    @Test
    void statisticsComeFromMaxComputeAndReachThePlanner() throws Exception {
        ServerTable table =
                ODPS.store()
                        .createTable(
                                PROJECT,
                                "default",
                                "counted",
                                OdpsCatalogTesting.idNameSchema(true),
                                List.of(),
                                null);
        OdpsCatalogTesting.append(ODPS, table, "ds=a", 2);
        OdpsCatalogTesting.append(ODPS, table, "ds=b", 5);
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        Catalog catalog = env.getCatalog("odps").orElseThrow();
        ObjectPath path = new ObjectPath("default", "counted");

        CatalogTableStatistics stats = catalog.getTableStatistics(path);
        assertThat(stats.getRowCount()).isEqualTo(7);
        assertThat(stats.getTotalSize()).isPositive();
        assertThat(
                        catalog.getPartitionStatistics(
                                        path, new CatalogPartitionSpec(Map.of("ds", "b")))
                                .getRowCount())
                .isEqualTo(5);
        assertThat(
                        env.explainSql(
                                "SELECT * FROM odps.`default`.counted",
                                ExplainDetail.ESTIMATED_COST))
                .contains("rowcount = 7.0");
    }

    @Test
    void partitionsAreAddedListedAndDroppedThroughSql() throws Exception {
        ServerTable table =
                ODPS.store()
                        .createTable(
                                PROJECT,
                                "default",
                                "hourly",
                                OdpsCatalogTesting.dayHourSchema(),
                                List.of(),
                                null);
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        env.executeSql("ALTER TABLE odps.`default`.hourly ADD PARTITION (ds='d1', hh='01')")
                .await();
        env.executeSql(
                        "ALTER TABLE odps.`default`.hourly ADD IF NOT EXISTS"
                                + " PARTITION (ds='d1', hh='02') PARTITION (ds='d2', hh='01')")
                .await();

        assertThat(table.partitions().stream().map(p -> p.spec()).collect(Collectors.toList()))
                .containsExactly("ds=d1,hh=01", "ds=d1,hh=02", "ds=d2,hh=01");
        assertThat(OdpsCatalogTesting.column(env, "SHOW PARTITIONS odps.`default`.hourly", 0))
                .containsExactly("ds=d1/hh=01", "ds=d1/hh=02", "ds=d2/hh=01");
        assertThat(
                        OdpsCatalogTesting.column(
                                env,
                                "SHOW PARTITIONS odps.`default`.hourly PARTITION (hh='01')",
                                0))
                .containsExactly("ds=d1/hh=01", "ds=d2/hh=01");

        env.executeSql("ALTER TABLE odps.`default`.hourly DROP PARTITION (ds='d1', hh='02')")
                .await();
        assertThat(table.partition("ds=d1,hh=02")).isNull();
        assertThat(table.partitions()).hasSize(2);
    }

    @Test
    void dropTableRemovesItFromMaxCompute() throws Exception {
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        env.executeSql("CREATE TABLE odps.`default`.dropped (id BIGINT)").await();
        assertThat(ODPS.store().table(PROJECT, "dropped")).isNotNull();
        assertThat(OdpsCatalogTesting.column(env, "SHOW TABLES IN odps.`default`", 0))
                .contains("dropped");

        env.executeSql("DROP TABLE odps.`default`.dropped").await();
        env.executeSql("DROP TABLE IF EXISTS odps.`default`.dropped").await();

        assertThat(ODPS.store().table(PROJECT, "dropped")).isNull();
        assertThat(OdpsCatalogTesting.column(env, "SHOW TABLES IN odps.`default`", 0))
                .doesNotContain("dropped");
    }
}
