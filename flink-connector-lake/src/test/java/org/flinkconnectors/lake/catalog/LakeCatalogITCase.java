package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CollectionUtil;

import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code CREATE CATALOG ... WITH ('type' = 'lake')} over a warehouse directory holding a real
 * Iceberg table (Hadoop catalog) and a real Delta table (Delta Kernel) in one database, on a
 * MiniCluster.
 */
class LakeCatalogITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    private TableEnvironment batch;

    @BeforeEach
    void setUp() throws Exception {
        IcebergTestTables iceberg = new IcebergTestTables(warehouse);
        Table orders =
                iceberg.create(
                        "orders",
                        IcebergTestTables.SCHEMA,
                        PartitionSpec.builderFor(IcebergTestTables.SCHEMA)
                                .identity("name")
                                .build());
        // One file per id, each in the partition of its row's name.
        AppendFiles append = orders.newAppend();
        for (long id = 0; id < 3; id++) {
            DataFile file = IcebergTestTables.writeDataFile(orders, id, id + 1);
            append.appendFile(
                    DataFiles.builder(orders.spec())
                            .copy(file)
                            .withPartitionPath("name=name-" + id)
                            .build());
        }
        append.commit();
        DeltaTestTables delta = new DeltaTestTables(warehouse.resolve(IcebergTestTables.DATABASE));
        delta.createPartitioned("events");
        delta.appendPartition("events", "2026-01-01", 10, 14);

        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                "CREATE CATALOG lake WITH ('type' = 'lake', 'warehouse' = '" + warehouse + "')");
    }

    @Test
    void listsIcebergAndDeltaTablesSideBySide() throws Exception {
        assertThat(rows("SHOW DATABASES FROM lake")).containsExactlyInAnyOrder("db", "default");
        assertThat(rows("SHOW TABLES FROM lake.db")).containsExactly("events", "orders");
        assertThat(rows("DESCRIBE lake.db.events"))
                .containsExactly(
                        "+I[id, BIGINT, false, null, null, null]",
                        "+I[name, STRING, true, null, null, null]",
                        "+I[day, STRING, true, null, null, null]");

        CatalogTable orders = table("db", "orders");
        assertThat(orders.getPartitionKeys()).containsExactly("name");
        assertThat(orders.getOptions())
                .containsEntry("connector", "lake")
                .containsEntry("table-format", "iceberg")
                .containsEntry("database", "db")
                .containsEntry("table", "orders");
        CatalogTable events = table("db", "events");
        assertThat(events.getPartitionKeys()).containsExactly("day");
        assertThat(events.getOptions())
                .containsEntry("table-format", "delta")
                .containsKey("path")
                .doesNotContainKey("warehouse");
    }

    @Test
    void readsBothFormatsThroughTheCatalog() throws Exception {
        assertThat(rows("SELECT id, name FROM lake.db.orders WHERE name <> 'name-1'"))
                .containsExactlyInAnyOrder("+I[0, name-0]", "+I[2, name-2]");
        assertThat(rows("SELECT id, `day` FROM lake.db.events WHERE id > 11"))
                .containsExactlyInAnyOrder("+I[12, 2026-01-01]", "+I[13, 2026-01-01]");
    }

    @Test
    void listsPartitionsOfTheCurrentSnapshot() throws Exception {
        Catalog catalog = batch.getCatalog("lake").orElseThrow();
        assertThat(catalog.listPartitions(new ObjectPath("db", "orders")))
                .extracting(CatalogPartitionSpec::getPartitionSpec)
                .containsExactlyInAnyOrder(
                        Map.of("name", "name-0"),
                        Map.of("name", "name-1"),
                        Map.of("name", "name-2"));
        assertThat(catalog.listPartitions(new ObjectPath("db", "events")))
                .extracting(CatalogPartitionSpec::getPartitionSpec)
                .containsExactly(Map.of("day", "2026-01-01"));
        assertThat(rows("SHOW PARTITIONS lake.db.events")).containsExactly("day=2026-01-01");
    }

    @Test
    void createsIcebergTableByDefaultAndDeltaOnRequest() throws Exception {
        batch.executeSql(
                        "CREATE TABLE lake.db.visits (id BIGINT NOT NULL, page STRING, dt STRING)"
                                + " PARTITIONED BY (dt)")
                .await();
        batch.executeSql(
                        "CREATE TABLE lake.db.clicks (id BIGINT, amount DECIMAL(10, 2), dt DATE)"
                                + " PARTITIONED BY (dt) WITH ('table-format' = 'delta')")
                .await();

        assertThat(warehouse.resolve("db/visits/metadata")).isDirectory();
        assertThat(warehouse.resolve("db/clicks/_delta_log")).isDirectory();
        assertThat(rows("SHOW TABLES FROM lake.db"))
                .containsExactly("clicks", "events", "orders", "visits");
        assertThat(table("db", "visits").getPartitionKeys()).containsExactly("dt");
        assertThat(table("db", "clicks").getPartitionKeys()).containsExactly("dt");
        assertThat(rows("SELECT * FROM lake.db.visits")).isEmpty();
        assertThat(rows("SELECT * FROM lake.db.clicks")).isEmpty();
        assertThat(rows("DESCRIBE lake.db.clicks"))
                .containsExactly(
                        "+I[id, BIGINT, true, null, null, null]",
                        "+I[amount, DECIMAL(10, 2), true, null, null, null]",
                        "+I[dt, DATE, true, null, null, null]");
    }

    /**
     * A key declared at CREATE TABLE becomes the Iceberg table's identifier fields and comes back
     * as the Flink table's primary key, so an INSERT upserts: two rows of one key end as one row
     * holding the later value (it appended both while the catalog dropped the key).
     */
    @Test
    void aPrimaryKeyRoundTripsAndInsertsUpsertByIt() throws Exception {
        batch.executeSql(
                        "CREATE TABLE lake.db.accounts (k BIGINT NOT NULL, v STRING,"
                                + " PRIMARY KEY (k) NOT ENFORCED)")
                .await();

        assertThat(
                        new IcebergTestTables(warehouse)
                                .load("accounts")
                                .schema()
                                .identifierFieldNames())
                .containsExactly("k");
        assertThat(table("db", "accounts").getUnresolvedSchema().getPrimaryKey())
                .hasValueSatisfying(key -> assertThat(key.getColumnNames()).containsExactly("k"));
        batch.executeSql("INSERT INTO lake.db.accounts VALUES (1, 'a'), (2, 'b')").await();
        batch.executeSql("INSERT INTO lake.db.accounts VALUES (1, 'c')").await();

        assertThat(rows("SELECT k, v FROM lake.db.accounts"))
                .containsExactlyInAnyOrder("+I[1, c]", "+I[2, b]");
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                        "CREATE TABLE lake.db.keyed_delta (k BIGINT NOT NULL,"
                                                + " PRIMARY KEY (k) NOT ENFORCED)"
                                                + " WITH ('table-format' = 'delta')"))
                .hasStackTraceContaining("db.keyed_delta cannot have a PRIMARY KEY");
        assertThat(warehouse.resolve("db/keyed_delta")).doesNotExist();
    }

    @Test
    void addsColumnsToIcebergTables() throws Exception {
        batch.executeSql("ALTER TABLE lake.db.orders ADD amount DOUBLE").await();

        assertThat(rows("DESCRIBE lake.db.orders"))
                .containsExactly(
                        "+I[id, BIGINT, false, null, null, null]",
                        "+I[name, STRING, true, null, null, null]",
                        "+I[amount, DOUBLE, true, null, null, null]");
        assertThat(rows("SELECT id, amount FROM lake.db.orders WHERE id = 0"))
                .containsExactly("+I[0, null]");
    }

    @Test
    void addsColumnsToDeltaTablesAndWritesThem() throws Exception {
        batch.executeSql("ALTER TABLE lake.db.events ADD amount DOUBLE").await();

        assertThat(rows("DESCRIBE lake.db.events"))
                .containsExactly(
                        "+I[id, BIGINT, false, null, null, null]",
                        "+I[name, STRING, true, null, null, null]",
                        "+I[day, STRING, true, null, null, null]",
                        "+I[amount, DOUBLE, true, null, null, null]");
        String path = warehouse.resolve("db/events").toString();
        Engine engine = DefaultEngine.create(new org.apache.hadoop.conf.Configuration());
        assertThat(TableManager.loadSnapshot(path).build(engine).getSchema().fieldNames())
                .as("Kernel's own view of the schema")
                .containsExactly("id", "name", "day", "amount");

        batch.executeSql("INSERT INTO lake.db.events VALUES (20, 'n20', '2026-01-02', 1.5)")
                .await();
        assertThat(rows("SELECT id, amount FROM lake.db.events WHERE id IN (10, 20)"))
                .containsExactlyInAnyOrder("+I[10, null]", "+I[20, 1.5]");

        assertThatThrownBy(() -> batch.executeSql("ALTER TABLE lake.db.events ADD AMOUNT INT"))
                .hasStackTraceContaining("already has a column 'AMOUNT'");
        assertThatThrownBy(
                        () -> batch.executeSql("ALTER TABLE lake.db.events ADD total INT NOT NULL"))
                .hasStackTraceContaining("must be a nullable physical column");
    }

    @Test
    void dropsTablesAndDatabases() throws Exception {
        batch.executeSql("DROP TABLE lake.db.orders").await();
        batch.executeSql("DROP TABLE lake.db.events").await();

        assertThat(rows("SHOW TABLES FROM lake.db")).isEmpty();
        assertThat(warehouse.resolve("db/orders")).doesNotExist();
        assertThat(warehouse.resolve("db/events")).doesNotExist();

        batch.executeSql("CREATE DATABASE lake.sales").await();
        assertThat(warehouse.resolve("sales")).isDirectory();
        batch.executeSql("DROP DATABASE lake.sales").await();
        assertThat(Files.exists(warehouse.resolve("sales"))).isFalse();
    }

    @Test
    void unknownTablesAndOptionsFailClearly() {
        Catalog catalog = batch.getCatalog("lake").orElseThrow();
        assertThatThrownBy(() -> catalog.getTable(new ObjectPath("db", "missing")))
                .isInstanceOf(TableNotExistException.class)
                .hasMessageContaining("db.missing");
        assertThatThrownBy(() -> rows("SELECT * FROM lake.db.missing"))
                .hasMessageContaining("missing");
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                        "CREATE TABLE lake.db.bad (id BIGINT) WITH"
                                                + " ('table-format' = 'hudi')"))
                .hasStackTraceContaining(
                        "Invalid value 'hudi' for option 'table-format'. Valid values are: [iceberg, delta]");
    }

    @Test
    void unsupportedChangesNameWhatIsNotSupported() throws Exception {
        Catalog catalog = batch.getCatalog("lake").orElseThrow();
        ObjectPath orders = new ObjectPath("db", "orders");

        assertThatThrownBy(() -> catalog.createFunction(orders, null, false))
                .isInstanceOf(CatalogException.class)
                .hasMessage("The lake catalog does not support functions yet.");
        assertThatThrownBy(() -> catalog.alterTableStatistics(orders, null, false))
                .isInstanceOf(CatalogException.class)
                .hasMessage("The lake catalog does not support statistics yet.");
        assertThatThrownBy(() -> catalog.alterDatabase("db", null, false))
                .hasMessage("The lake catalog does not support ALTER DATABASE yet.");
        assertThatThrownBy(() -> catalog.listPartitionsByFilter(orders, List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(catalog.listFunctions("db")).isEmpty();
        assertThat(catalog.listViews("db")).isEmpty();
        assertThat(catalog.getTableStatistics(orders).getRowCount()).isEqualTo(-1);
    }

    private CatalogTable table(String database, String name) throws Exception {
        Catalog catalog = batch.getCatalog("lake").orElseThrow();
        return (CatalogTable) catalog.getTable(new ObjectPath(database, name));
    }

    private List<String> rows(String query) throws Exception {
        return CollectionUtil.iteratorToList(batch.executeSql(query).collect()).stream()
                .map(row -> row.getArity() == 1 ? String.valueOf(row.getField(0)) : row.toString())
                .toList();
    }
}
