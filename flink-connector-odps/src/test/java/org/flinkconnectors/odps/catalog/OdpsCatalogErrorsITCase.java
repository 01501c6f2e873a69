package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.testutils.OdpsTestServer;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogPartitionImpl;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionAlreadyExistsException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionSpecInvalidException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the {@code odps} catalog answers when something is missing, invalid or unsupported: Flink's
 * own catalog exceptions, and messages that name the object or option but never the access key.
 */
class OdpsCatalogErrorsITCase {

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    private static final String PROJECT = OdpsTestServer.DEFAULT_PROJECT;
    private static final String WRONG_KEY = "wr0ng-s3cret-access-key";
    private static final ObjectPath PARTITIONED = new ObjectPath("default", "err_partitioned");
    private static final ObjectPath PLAIN = new ObjectPath("default", "err_plain");

    @BeforeAll
    static void createTables() {
        ODPS.store()
                .createTable(
                        PROJECT,
                        "default",
                        PARTITIONED.getObjectName(),
                        OdpsCatalogTesting.dayHourSchema(),
                        List.of(),
                        null)
                .partitionOrCreate("ds=d1,hh=01");
        ODPS.store()
                .createTable(
                        PROJECT,
                        "default",
                        PLAIN.getObjectName(),
                        OdpsCatalogTesting.idNameSchema(false),
                        List.of(),
                        null);
    }

    @Test
    void missingObjectsRaiseFlinksCatalogExceptions() throws Exception {
        Catalog catalog = catalog();
        ObjectPath missing = new ObjectPath("default", "no_such_table");

        assertThatThrownBy(() -> catalog.getTable(missing))
                .isInstanceOf(TableNotExistException.class);
        assertThatThrownBy(() -> catalog.getTableStatistics(missing))
                .isInstanceOf(TableNotExistException.class);
        assertThatThrownBy(() -> catalog.dropTable(missing, false))
                .isInstanceOf(TableNotExistException.class);
        assertThatThrownBy(() -> catalog.getDatabase("no_such_db"))
                .isInstanceOf(DatabaseNotExistException.class);
        assertThatThrownBy(() -> catalog.listTables("no_such_db"))
                .isInstanceOf(DatabaseNotExistException.class);
        assertThatThrownBy(() -> catalog.getTable(new ObjectPath("no_such_db", "t")))
                .isInstanceOf(TableNotExistException.class);
        assertThat(catalog.tableExists(missing)).isFalse();
        assertThat(catalog.databaseExists("no_such_db")).isFalse();
        assertThat(catalog.listFunctions("default")).isEmpty();
        assertThat(catalog.listViews("default")).isEmpty();
    }

    @Test
    void unsupportedChangesNameWhatIsNotSupported() throws Exception {
        Catalog catalog = catalog();
        String prefix = "The odps catalog 'odps' does not support ";

        assertThatThrownBy(() -> catalog.createFunction(PLAIN, null, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(prefix + "functions.");
        assertThatThrownBy(() -> catalog.alterTableStatistics(PLAIN, null, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(prefix + "writing statistics.");
        assertThatThrownBy(() -> catalog.renameTable(PLAIN, "renamed", false))
                .hasMessage(prefix + "renaming tables.");
        assertThatThrownBy(() -> catalog.alterTable(PLAIN, null, false))
                .hasMessage(prefix + "ALTER TABLE (other than ADD/DROP PARTITION).");
        assertThatThrownBy(() -> catalog.listPartitionsByFilter(PARTITIONED, List.of()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(prefix + "listing partitions by filter.");
        assertThat(catalog.functionExists(PLAIN)).isFalse();
        assertThat(catalog.getTableColumnStatistics(PLAIN).getColumnStatisticsData()).isEmpty();
    }

    @Test
    void partitionErrorsUseFlinksExceptions() throws Exception {
        Catalog catalog = catalog();
        CatalogPartitionSpec existing = spec("ds", "d1", "hh", "01");
        CatalogPartitionSpec absent = spec("ds", "d9", "hh", "01");

        assertThatThrownBy(() -> catalog.listPartitions(PLAIN))
                .isInstanceOf(TableNotPartitionedException.class);
        assertThatThrownBy(() -> catalog.listPartitions(PARTITIONED, spec("region", "eu")))
                .isInstanceOf(PartitionSpecInvalidException.class);
        assertThatThrownBy(() -> catalog.createPartition(PARTITIONED, existing, partition(), false))
                .isInstanceOf(PartitionAlreadyExistsException.class);
        assertThatThrownBy(
                        () ->
                                catalog.createPartition(
                                        PARTITIONED, spec("ds", "d2"), partition(), false))
                .isInstanceOf(PartitionSpecInvalidException.class);
        assertThatThrownBy(() -> catalog.getPartition(PARTITIONED, absent))
                .isInstanceOf(PartitionNotExistException.class);
        assertThatThrownBy(() -> catalog.dropPartition(PARTITIONED, absent, false))
                .isInstanceOf(PartitionNotExistException.class);
        assertThatThrownBy(
                        () ->
                                catalog.createPartition(
                                        PARTITIONED,
                                        spec("ds", "x'y", "hh", "01"),
                                        partition(),
                                        false))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("x'y")
                .hasMessageContaining("quotes");

        catalog.dropPartition(PARTITIONED, absent, true);
        catalog.createPartition(PARTITIONED, existing, partition(), true);
        assertThat(catalog.partitionExists(PARTITIONED, existing)).isTrue();
        assertThat(catalog.partitionExists(PARTITIONED, absent)).isFalse();
        assertThat(catalog.listPartitions(PARTITIONED, spec("DS", "d1"))).containsExactly(existing);
    }

    @Test
    void existingAndNonEmptyDatabasesAndTablesAreProtected() throws Exception {
        Catalog catalog = catalog();
        ODPS.store().createSchema(PROJECT, "err_full", null);
        ODPS.store()
                .createTable(
                        PROJECT,
                        "err_full",
                        "t",
                        OdpsCatalogTesting.idNameSchema(false),
                        List.of(),
                        null);

        assertThatThrownBy(() -> catalog.dropDatabase("err_full", false, false))
                .isInstanceOf(DatabaseNotEmptyException.class);
        assertThatThrownBy(() -> catalog.dropDatabase("default", false, true))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("cannot be dropped");
        assertThatThrownBy(
                        () ->
                                catalog.createDatabase(
                                        "err_props",
                                        new CatalogDatabaseImpl(Map.of("k", "v"), null),
                                        false))
                .hasMessageContaining("no properties");
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");
        assertThatThrownBy(() -> env.executeSql("CREATE TABLE odps.`default`.err_plain (x INT)"))
                .satisfies(e -> assertThat(messages(e)).contains("err_plain", "already exist"));
        ResolvedCatalogTable table =
                new ResolvedCatalogTable(
                        CatalogTable.newBuilder()
                                .schema(Schema.newBuilder().column("x", DataTypes.INT()).build())
                                .build(),
                        ResolvedSchema.of(Column.physical("x", DataTypes.INT())));
        assertThatThrownBy(() -> catalog.createTable(PLAIN, table, false))
                .isInstanceOf(TableAlreadyExistException.class);
        catalog.createTable(PLAIN, table, true);
        assertThat(ODPS.store().table(PROJECT, PLAIN.getObjectName()).schema().getColumns())
                .hasSize(2);
        assertThat(ODPS.store().hasSchema(PROJECT, "err_full")).isTrue();
    }

    @Test
    void createTableRejectsWhatMaxComputeCannotStore() throws Exception {
        TableEnvironment env = OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "");

        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        "CREATE TABLE odps.`default`.computed"
                                                + " (a INT, b AS a + 1)"))
                .satisfies(e -> assertThat(messages(e)).contains("'b'", "physical columns"));
        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        "CREATE TABLE odps.`default`.with_options (a INT)"
                                                + " WITH ('scan.split-rows' = '1')"))
                .satisfies(e -> assertThat(messages(e)).contains("scan.split-rows", "OPTIONS"));
        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        "CREATE TABLE odps.`default`.date_partitioned"
                                                + " (a INT, d DATE) PARTITIONED BY (d)"))
                .satisfies(e -> assertThat(messages(e)).contains("'d'", "DATE", "BIGINT"));
        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        "ALTER TABLE odps.`default`.err_plain SET ('k' = 'v')"))
                .satisfies(e -> assertThat(messages(e)).contains("does not support"));
        assertThat(ODPS.store().table(PROJECT, "computed")).isNull();
        assertThat(ODPS.store().table(PROJECT, "with_options")).isNull();
        assertThat(ODPS.store().table(PROJECT, "date_partitioned")).isNull();
    }

    @Test
    void wrongCredentialsFailClearlyWithoutTheKey() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());

        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        OdpsCatalogTesting.catalogDdl(ODPS, "bad", WRONG_KEY, "")))
                .satisfies(
                        e ->
                                assertThat(messages(e))
                                        .contains(PROJECT, OdpsTestServer.ACCESS_ID, "'access-key'")
                                        .containsIgnoringCase("signature")
                                        .doesNotContain(WRONG_KEY));
        assertThat(env.getCatalog("bad")).isEmpty();
    }

    @Test
    void invalidOptionsAreNamedWithoutSecrets() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());

        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        OdpsCatalogTesting.catalogDdl(
                                                ODPS,
                                                "bad",
                                                WRONG_KEY,
                                                ", 'scan.split-rows' = '1'")))
                .satisfies(
                        e ->
                                assertThat(messages(e))
                                        .contains("scan.split-rows", "default-database")
                                        .doesNotContain(WRONG_KEY));
        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        OdpsCatalogTesting.catalogDdl(
                                                ODPS,
                                                "bad",
                                                OdpsTestServer.ACCESS_KEY,
                                                ", 'default-database' = 'nope'")))
                .satisfies(
                        e ->
                                assertThat(messages(e))
                                        .contains("'default-database'", "'nope'", "[default")
                                        .doesNotContain(OdpsTestServer.ACCESS_KEY));
    }

    @Test
    void twoTierProjectHasTheSingleDatabaseDefault() throws Exception {
        ODPS.store().createProject("legacy_project");
        ODPS.store().disableSchemaModel("legacy_project");
        ODPS.store()
                .createTable(
                        "legacy_project",
                        "default",
                        "old_table",
                        OdpsCatalogTesting.idNameSchema(false),
                        List.of(),
                        null);
        TableEnvironment env =
                OdpsCatalogTesting.batchWithCatalog(
                        ODPS, "legacy", ", 'project' = 'legacy_project'");
        env.executeSql("USE CATALOG legacy");

        assertThat(OdpsCatalogTesting.column(env, "SHOW DATABASES", 0)).containsExactly("default");
        assertThat(OdpsCatalogTesting.column(env, "SHOW TABLES", 0)).containsExactly("old_table");
        assertThat(OdpsCatalogTesting.column(env, "SHOW CREATE TABLE old_table", 0).get(0))
                .contains("'project' = 'legacy_project'", "'table' = 'old_table'")
                .doesNotContain("'schema'");
        env.executeSql("INSERT INTO old_table VALUES (CAST(7 AS BIGINT), 'seven')").await();
        assertThat(OdpsCatalogTesting.strings(env, "SELECT * FROM old_table"))
                .containsExactly("+I[7, seven]");
        assertThatThrownBy(() -> env.executeSql("CREATE DATABASE legacy.other"))
                .satisfies(e -> assertThat(messages(e)).contains("legacy_project", "two-tier"));
    }

    private static Catalog catalog() throws Exception {
        return OdpsCatalogTesting.batchWithCatalog(ODPS, "odps", "")
                .getCatalog("odps")
                .orElseThrow();
    }

    private static CatalogPartitionSpec spec(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CatalogPartitionSpec(values);
    }

    private static CatalogPartitionImpl partition() {
        return new CatalogPartitionImpl(Map.of(), null);
    }

    private static String messages(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }
}
