package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CollectionUtil;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same SQL round trips against each Iceberg catalog type the lake connector opens besides
 * {@code hadoop}: a {@code 'connector' = 'lake'} table of that catalog written with INSERT INTO and
 * read back, with the rows visible to a plain Iceberg client of the catalog; and a {@code lake}
 * catalog listing that catalog's Iceberg tables beside Delta directories of the warehouse.
 */
abstract class IcebergCatalogTypeITCaseBase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    /** A plain Iceberg client of the catalog under test, opened per test. */
    Catalog client;

    TableEnvironment batch;

    /** The Iceberg catalog's connector options, e.g. {@code 'catalog-type' = 'jdbc', ...}. */
    abstract String catalogOptions();

    /** A new plain Iceberg client of the same catalog. */
    abstract Catalog openClient();

    @BeforeEach
    void createOrdersTable() {
        client = openClient();
        ((SupportsNamespaces) client).createNamespace(Namespace.of("db"));
        client.createTable(
                TableIdentifier.of("db", "orders"),
                IcebergTestTables.SCHEMA,
                PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2"));
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    @AfterEach
    void closeClient() throws Exception {
        if (client instanceof Closeable closeable) {
            closeable.close();
        }
    }

    @Test
    void writesAndReadsATableOfTheCatalogThroughSql() throws Exception {
        batch.executeSql(
                "CREATE TABLE orders (id BIGINT NOT NULL, name STRING) WITH ('connector' ="
                        + " 'lake', 'table-format' = 'iceberg', "
                        + catalogOptions()
                        + ", 'database' = 'db', 'table' = 'orders')");

        batch.executeSql("INSERT INTO orders VALUES (1, 'a'), (2, 'b')").await();

        assertThat(rows("SELECT id, name FROM orders"))
                .containsExactlyInAnyOrder("+I[1, a]", "+I[2, b]");
        assertThat(IcebergRows.idsAndNames(client.loadTable(TableIdentifier.of("db", "orders"))))
                .as("the plain Iceberg client sees the committed rows")
                .containsExactlyInAnyOrder("1,a", "2,b");
    }

    @Test
    void lakeCatalogShowsTheCatalogsIcebergTablesBesideDeltaDirectories() throws Exception {
        DeltaTestTables delta = new DeltaTestTables(warehouse.resolve("db"));
        delta.createPartitioned("events");
        delta.appendPartition("events", "2026-01-01", 10, 12);
        batch.executeSql("CREATE CATALOG lake WITH ('type' = 'lake', " + catalogOptions() + ")");

        assertThat(rows("SHOW TABLES FROM lake.db")).containsExactly("events", "orders");
        batch.executeSql("CREATE TABLE lake.db.created (id BIGINT, name STRING)").await();
        batch.executeSql("INSERT INTO lake.db.created VALUES (7, 'x')").await();
        batch.executeSql("INSERT INTO lake.db.orders VALUES (3, 'c')").await();

        assertThat(rows("SHOW TABLES FROM lake.db")).containsExactly("created", "events", "orders");
        assertThat(rows("SELECT id, name FROM lake.db.created")).containsExactly("+I[7, x]");
        assertThat(rows("SELECT id FROM lake.db.events")).containsExactlyInAnyOrder("10", "11");
        assertThat(IcebergRows.idsAndNames(client.loadTable(TableIdentifier.of("db", "created"))))
                .containsExactly("7,x");
        assertThat(IcebergRows.idsAndNames(client.loadTable(TableIdentifier.of("db", "orders"))))
                .containsExactly("3,c");

        CatalogTable orders =
                (CatalogTable)
                        batch.getCatalog("lake")
                                .orElseThrow()
                                .getTable(new ObjectPath("db", "orders"));
        assertThat(orders.getOptions())
                .containsEntry("table-format", "iceberg")
                .containsKey("catalog-type")
                .containsKey("uri")
                .doesNotContainKeys("jdbc.password", "credential", "token");

        batch.executeSql("DROP TABLE lake.db.created").await();
        assertThat(client.tableExists(TableIdentifier.of("db", "created"))).isFalse();
    }

    @Test
    void insertCreatesAMissingTableOfTheCatalog() throws Exception {
        batch.executeSql(
                "CREATE TABLE fresh (id BIGINT, name STRING, part INT) PARTITIONED BY (part) WITH"
                        + " ('connector' = 'lake', 'table-format' = 'iceberg', "
                        + catalogOptions()
                        + ", 'database' = 'sales', 'table' = 'fresh', 'sink.create-table' ="
                        + " 'true')");

        batch.executeSql("INSERT INTO fresh VALUES (1, 'a', 10), (2, 'b', 20)").await();

        org.apache.iceberg.Table created = client.loadTable(TableIdentifier.of("sales", "fresh"));
        assertThat(created.spec().fields()).hasSize(1);
        assertThat(created.spec().fields().get(0).transform().isIdentity()).isTrue();
        assertThat(IcebergRows.idsAndNames(created)).containsExactlyInAnyOrder("1,a", "2,b");
    }

    List<String> rows(String query) throws Exception {
        return CollectionUtil.iteratorToList(batch.executeSql(query).collect()).stream()
                .map(row -> row.getArity() == 1 ? String.valueOf(row.getField(0)) : row.toString())
                .toList();
    }
}
