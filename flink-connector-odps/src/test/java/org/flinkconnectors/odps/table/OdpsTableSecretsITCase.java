package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.testutils.SecretLeakAssertions;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No access key reaches an error or EXPLAIN of an {@code odps} table or catalog, including Flink's
 * own "Unable to create a source/sink/catalog" messages, which print every option and do not
 * consider {@code access-key} secret. Planning against the test server only.
 */
class OdpsTableSecretsITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    private static final String ACCESS_ID = "secrets-id";
    private static final String ACCESS_KEY = "SECRET-VALUE-1";
    private static final String TABLE = "secrets_table";

    private TableEnvironment tEnv;

    @BeforeAll
    static void createTable() {
        ODPS.addAccount(ACCESS_ID, ACCESS_KEY);
        OdpsTestTables.createTable(ODPS, TABLE, OdpsTestTables.idNameSchema(false));
    }

    @BeforeEach
    void setUp() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    private static String connection() {
        return "'endpoint' = '"
                + ODPS.endpoint()
                + "', 'tunnel-endpoint' = '"
                + ODPS.tunnelEndpoint()
                + "', 'project' = '"
                + OdpsTestServer.DEFAULT_PROJECT
                + "', 'access-id' = '"
                + ACCESS_ID
                + "', 'access-key' = '"
                + ACCESS_KEY
                + "'";
    }

    private void createTable(String name, String... options) {
        StringBuilder ddl =
                new StringBuilder("CREATE TABLE ")
                        .append(name)
                        .append(" (id BIGINT, name STRING) WITH ('connector' = 'odps', ")
                        .append(connection())
                        .append(", 'table' = '")
                        .append(TABLE)
                        .append("'");
        for (String option : options) {
            ddl.append(", ").append(option);
        }
        tEnv.executeSql(ddl.append(")").toString());
    }

    @Test
    void invalidEnumValueNextToTheAccessKeyFailsSelectAndInsertWithoutIt() {
        createTable("t", "'scan.format' = 'parquet'");
        createTable("s", "'sink.delivery-guarantee' = 'most-once'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"),
                List.of("scan.format", "parquet"),
                ACCESS_KEY);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO s VALUES (1, 'a')"),
                List.of("sink.delivery-guarantee", "most-once"),
                ACCESS_KEY);
    }

    @Test
    void unknownKeyNextToTheAccessKeyFailsWithoutIt() {
        createTable("t", "'sink.buffer-flush.max-row' = '10'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"),
                List.of("sink.buffer-flush.max-row", "sink.buffer-flush.max-rows"),
                ACCESS_KEY);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO t VALUES (1, 'a')"),
                List.of("sink.buffer-flush.max-row"),
                ACCESS_KEY);
    }

    @Test
    void explainOfAValidTableShowsNoSecret() {
        createTable("t");

        String plan = tEnv.explainSql("SELECT * FROM t");
        assertThat(plan).contains("TableSourceScan");
        SecretLeakAssertions.assertNoSecrets(plan, ACCESS_KEY);
        String insertPlan = tEnv.explainSql("INSERT INTO t VALUES (1, 'a')");
        assertThat(insertPlan).contains("Sink");
        SecretLeakAssertions.assertNoSecrets(insertPlan, ACCESS_KEY);
    }

    @Test
    void invalidCatalogOptionNextToTheAccessKeyFailsWithoutIt() {
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () ->
                        tEnv.executeSql(
                                "CREATE CATALOG c WITH ('type' = 'odps', "
                                        + connection()
                                        + ", 'client.max-retries' = 'many')"),
                List.of("client.max-retries"),
                ACCESS_KEY);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () ->
                        tEnv.executeSql(
                                "CREATE CATALOG c WITH ('type' = 'odps', "
                                        + connection()
                                        + ", 'header.Authorization' = 'x')"),
                List.of("header.Authorization"),
                ACCESS_KEY);
    }

    @Test
    void catalogTableWithAnInvalidHintFailsWithoutTheCatalogsAccessKey() {
        tEnv.executeSql("CREATE CATALOG c WITH ('type' = 'odps', " + connection() + ")");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () ->
                        tEnv.explainSql(
                                "SELECT * FROM c.`default`."
                                        + TABLE
                                        + " /*+ OPTIONS('scan.format' = 'parquet') */"),
                List.of("scan.format", "parquet"),
                ACCESS_KEY);
    }
}
