package org.flinkconnectors.lake.table;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code 'sink.create-table' = 'true'}: INSERT INTO a {@code lake} table that does not exist yet
 * creates it from the declared columns (Iceberg in a Hadoop or JDBC catalog, Delta by path), with
 * PARTITIONED BY as partitioning and table properties from the options; it is the default, and with
 * the option set to false the INSERT fails naming the missing table and the alternatives.
 */
class LakeSinkCreateTableITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String COLUMNS =
            "(id BIGINT, name STRING, part INT) PARTITIONED BY (part)";

    @TempDir Path warehouse;

    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @Test
    void createsAPartitionedIcebergTableOfAHadoopCatalog() throws Exception {
        insert("'table-format' = 'iceberg', 'warehouse' = '" + warehouse + "'");

        Table table =
                new HadoopCatalog(new Configuration(), warehouse.toString())
                        .loadTable(TableIdentifier.of("fresh", "orders"));
        assertIcebergTable(table);
    }

    @Test
    void createsAnIcebergTableOfAJdbcCatalog() throws Exception {
        String uri = "jdbc:sqlite:" + warehouse.resolve("catalog.db");
        insert(
                "'table-format' = 'iceberg', 'catalog-type' = 'jdbc', 'uri' = '"
                        + uri
                        + "', 'warehouse' = '"
                        + warehouse
                        + "'");

        Catalog jdbc =
                CatalogUtil.buildIcebergCatalog(
                        "lake",
                        Map.of(
                                CatalogUtil.ICEBERG_CATALOG_TYPE,
                                "jdbc",
                                CatalogProperties.URI,
                                uri,
                                CatalogProperties.WAREHOUSE_LOCATION,
                                warehouse.toString()),
                        new Configuration());
        try {
            assertIcebergTable(jdbc.loadTable(TableIdentifier.of("fresh", "orders")));
        } finally {
            ((Closeable) jdbc).close();
        }
    }

    @Test
    void createsAPartitionedDeltaTableAtItsPath() throws Exception {
        String path = warehouse.resolve("events").toString();
        batch.executeSql(
                "CREATE TABLE events "
                        + COLUMNS
                        + " WITH ('connector' = 'lake', 'table-format' = 'delta', 'path' = '"
                        + path
                        + "', 'sink.create-table' = 'true', 'delta.appendOnly' = 'true')");
        batch.executeSql("INSERT INTO events VALUES (1, 'a', 10), (2, 'b', 20)").await();

        Snapshot snapshot =
                TableManager.loadSnapshot(path).build(DefaultEngine.create(new Configuration()));
        assertThat(snapshot.getPartitionColumnNames()).containsExactly("part");
        assertThat(snapshot.getTableProperties()).containsEntry("delta.appendOnly", "true");
        assertThat(rows(batch, "SELECT id, name, part FROM events"))
                .containsExactlyInAnyOrder("+I[1, a, 10]", "+I[2, b, 20]");
    }

    @Test
    void theOptionSetToFalseFailsTheInsertOfAMissingTableNamingItAndTheCatalog() {
        batch.executeSql(
                "CREATE TABLE orders "
                        + COLUMNS
                        + " WITH ('connector' = 'lake', 'table-format' = 'iceberg', 'warehouse' = '"
                        + warehouse
                        + "', 'database' = 'fresh', 'table' = 'orders',"
                        + " 'sink.create-table' = 'false')");

        assertThatThrownBy(() -> batch.executeSql("INSERT INTO orders VALUES (1, 'a', 10)"))
                .hasStackTraceContaining("fresh.orders does not exist")
                .hasStackTraceContaining("'sink.create-table' = 'false'")
                .hasStackTraceContaining("'lake' catalog");
        assertThat(warehouse.resolve("fresh/orders")).doesNotExist();
    }

    @Test
    void byDefaultTheInsertCreatesAMissingTableAsIcebergsConnectorDoes() throws Exception {
        batch.executeSql(
                "CREATE TABLE orders "
                        + COLUMNS
                        + " WITH ('connector' = 'lake', 'table-format' = 'iceberg', 'warehouse' = '"
                        + warehouse
                        + "', 'database' = 'fresh', 'table' = 'orders')");
        batch.executeSql("INSERT INTO orders VALUES (1, 'a', 10)").await();

        assertThat(rows(batch, "SELECT id, name, part FROM orders"))
                .containsExactly("+I[1, a, 10]");
    }

    @Test
    void tablePropertiesOfAnExistingTableMustAgreeRatherThanBeIgnored() throws Exception {
        insert("'table-format' = 'iceberg', 'warehouse' = '" + warehouse + "'");
        batch.executeSql(
                "CREATE TABLE orc_orders "
                        + COLUMNS
                        + " WITH ('connector' = 'lake', 'table-format' = 'iceberg', 'warehouse' = '"
                        + warehouse
                        + "', 'database' = 'fresh', 'table' = 'orders',"
                        + " 'write.format.default' = 'orc', 'format-version' = '2')");

        assertThatThrownBy(() -> batch.executeSql("INSERT INTO orc_orders VALUES (3, 'c', 30)"))
                .hasStackTraceContaining("'write.format.default' = 'avro'")
                .hasStackTraceContaining("declares 'write.format.default' = 'orc'")
                .hasStackTraceContaining("ALTER TABLE");
    }

    private void insert(String where) throws Exception {
        batch.executeSql(
                "CREATE TABLE orders "
                        + COLUMNS
                        + " WITH ('connector' = 'lake', "
                        + where
                        + ", 'database' = 'fresh', 'table' = 'orders', 'sink.create-table' ="
                        + " 'true', 'write.format.default' = 'avro')");
        batch.executeSql("INSERT INTO orders VALUES (1, 'a', 10), (2, 'b', 20)").await();
        assertThat(rows(batch, "SELECT id, name, part FROM orders"))
                .containsExactlyInAnyOrder("+I[1, a, 10]", "+I[2, b, 20]");
    }

    private static void assertIcebergTable(Table table) {
        assertThat(table.spec().fields())
                .extracting(PartitionField::name, f -> f.transform().isIdentity())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("part", true));
        assertThat(table.properties()).containsEntry("write.format.default", "avro");
        assertThat(table.currentSnapshot().addedDataFiles(table.io()))
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.format().name()).isEqualTo("AVRO"));
    }
}
