package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.testutils.SecretLeakAssertions;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret value of a {@code lake} table or catalog reaches an error or EXPLAIN, including Flink's
 * own "Unable to create a source/sink/catalog" messages, which print every option and mask only the
 * keys Flink knows (not 'credential', 'header.*' or 'properties.fs.s3a.access.key'). Planning only;
 * the tables live in a local warehouse.
 */
class LakeTableSecretsTest {

    private static final String ACCESS_KEY = "SECRET-VALUE-1";
    private static final String CREDENTIAL = "SECRET-VALUE-2";
    private static final String HEADER = "SECRET-VALUE-3";
    private static final String PASSWORD = "SECRET-VALUE-4";
    private static final String[] SECRETS = {ACCESS_KEY, CREDENTIAL, HEADER, PASSWORD};

    @TempDir Path warehouse;

    private TableEnvironment tEnv;

    @BeforeEach
    void setUp() {
        new IcebergTestTables(warehouse).create("orders");
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    private void createTable(String name, String... options) {
        tEnv.executeSql(
                "CREATE TABLE "
                        + name
                        + " (id BIGINT NOT NULL, name STRING) WITH ("
                        + "'connector' = 'lake', 'table-format' = 'iceberg', 'warehouse' = '"
                        + warehouse.toUri()
                        + "', 'database' = '"
                        + IcebergTestTables.DATABASE
                        + "', 'table' = 'orders', "
                        + String.join(", ", options)
                        + ")");
    }

    @Test
    void invalidEnumValueNextToAnAccessKeyFailsSelectAndInsertWithoutIt() {
        createTable(
                "t",
                "'properties.fs.s3a.access.key' = '" + ACCESS_KEY + "'",
                "'scan.mode' = 'bogus'");
        createTable(
                "s",
                "'properties.fs.s3a.access.key' = '" + ACCESS_KEY + "'",
                "'sink.distribution-mode' = 'round-robin'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"), List.of("scan.mode", "bounded"), SECRETS);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO s VALUES (1, 'a')"),
                List.of("sink.distribution-mode", "none", "hash"),
                SECRETS);
    }

    @Test
    void unknownKeyNextToACredentialFailsWithoutIt() {
        createTable(
                "t",
                "'catalog-type' = 'rest'",
                "'uri' = 'http://127.0.0.1:9/'",
                "'credential' = 'client:" + CREDENTIAL + "'",
                "'header.Authorization' = 'Bearer " + HEADER + "'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"), List.of("header.Authorization"), SECRETS);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO t VALUES (1, 'a')"),
                List.of("header.Authorization"),
                SECRETS);
    }

    @Test
    void optionOfTheWrongCatalogTypeNextToACredentialFailsWithoutIt() {
        createTable("t", "'credential' = 'client:" + CREDENTIAL + "'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"),
                List.of("credential", "'rest' catalogs"),
                SECRETS);
    }

    @Test
    void explainOfAValidTableShowsNoSecret() {
        createTable("t", "'properties.fs.s3a.access.key' = '" + ACCESS_KEY + "'");

        String plan = tEnv.explainSql("SELECT * FROM t");
        assertThat(plan).contains("TableSourceScan");
        SecretLeakAssertions.assertNoSecrets(plan, SECRETS);
        String insertPlan = tEnv.explainSql("INSERT INTO t VALUES (1, 'a')");
        assertThat(insertPlan).contains("Sink");
        SecretLeakAssertions.assertNoSecrets(insertPlan, SECRETS);
    }

    @Test
    void invalidCatalogOptionNextToASecretFailsWithoutIt() {
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () ->
                        tEnv.executeSql(
                                "CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = '"
                                        + warehouse.toUri()
                                        + "', 'catalog-type' = 'bogus', 'credential' = 'client:"
                                        + CREDENTIAL
                                        + "')"),
                List.of("catalog-type", "hadoop", "jdbc", "rest"),
                SECRETS);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () ->
                        tEnv.executeSql(
                                "CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = '"
                                        + warehouse.toUri()
                                        + "', 'header.Authorization' = 'Bearer "
                                        + HEADER
                                        + "')"),
                List.of("header.Authorization"),
                SECRETS);
    }

    @Test
    void catalogThatCannotOpenFailsWithoutItsPassword() throws Exception {
        // A file where the warehouse directory should be: the catalog cannot open.
        Path file = Files.createFile(warehouse.resolve("not-a-directory"));
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () ->
                        tEnv.executeSql(
                                "CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = '"
                                        + file.toUri()
                                        + "/sub', 'catalog-type' = 'jdbc', 'uri' = 'jdbc:sqlite:"
                                        + warehouse.resolve("catalog.db")
                                        + "', 'jdbc.user' = 'u', 'jdbc.password' = '"
                                        + PASSWORD
                                        + "')"),
                List.of("not-a-directory"),
                SECRETS);
    }
}
