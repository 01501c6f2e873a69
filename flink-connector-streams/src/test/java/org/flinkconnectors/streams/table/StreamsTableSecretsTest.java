package org.flinkconnectors.streams.table;

import org.flinkconnectors.base.testutils.SecretLeakAssertions;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.utils.FactoryMocks;
import org.apache.flink.table.runtime.connector.sink.SinkRuntimeProviderContext;
import org.apache.flink.table.runtime.connector.source.ScanRuntimeProviderContext;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret value reaches an error, EXPLAIN or a description of a 'streams' / 'upsert-streams'
 * table, including Flink's own "Unable to create a source/sink" message, which prints every table
 * option and masks only the keys Flink knows (not 'ssl.keystore.key' or 'basic.auth.user.info').
 * Planning only: no broker is contacted.
 */
class StreamsTableSecretsTest {

    private static final String KEYSTORE_KEY = "SECRET-VALUE-1";
    private static final String USER_INFO = "SECRET-VALUE-2";

    private TableEnvironment tEnv;

    @BeforeEach
    void setUp() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    }

    private void createTable(String name, String connector, String primaryKey, String... extra) {
        StringBuilder ddl =
                new StringBuilder("CREATE TABLE ")
                        .append(name)
                        .append(" (id BIGINT NOT NULL, name STRING")
                        .append(primaryKey)
                        .append(") WITH (")
                        .append("'connector' = '")
                        .append(connector)
                        .append("', 'topic' = 'orders',")
                        .append(" 'properties.bootstrap.servers' = 'localhost:9092',")
                        .append(" 'properties.ssl.keystore.key' = '")
                        .append(KEYSTORE_KEY)
                        .append("', 'properties.basic.auth.user.info' = 'user:")
                        .append(USER_INFO)
                        .append("'");
        for (String option : extra) {
            ddl.append(", ").append(option);
        }
        tEnv.executeSql(ddl.append(")").toString());
    }

    @Test
    void invalidEnumValueNextToASecretFailsSelectAndInsertWithoutIt() {
        createTable("t", "streams", "", "'format' = 'json'", "'scan.startup.mode' = 'bogus'");
        createTable(
                "s", "streams", "", "'format' = 'json'", "'sink.delivery-guarantee' = 'most-once'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"),
                List.of("scan.startup.mode", "earliest-offset", "group-offsets"),
                KEYSTORE_KEY,
                USER_INFO);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO s VALUES (1, 'a')"),
                List.of("sink.delivery-guarantee", "at-least-once", "exactly-once"),
                KEYSTORE_KEY,
                USER_INFO);
    }

    @Test
    void unknownKeyNextToASecretFailsWithoutIt() {
        createTable(
                "t", "streams", "", "'format' = 'json'", "'scan.startup.mod' = 'earliest-offset'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"),
                List.of("scan.startup.mod", "scan.startup.mode"),
                KEYSTORE_KEY,
                USER_INFO);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO t VALUES (1, 'a')"),
                List.of("scan.startup.mod"),
                KEYSTORE_KEY,
                USER_INFO);
    }

    @Test
    void upsertTableWithAnInvalidOptionFailsWithoutTheSecret() {
        createTable(
                "t",
                "upsert-streams",
                ", PRIMARY KEY (id) NOT ENFORCED",
                "'key.format' = 'json'",
                "'value.format' = 'json'",
                "'value.fields-include' = 'NONE'");

        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.explainSql("SELECT * FROM t"),
                List.of("value.fields-include", "ALL", "EXCEPT_KEY"),
                KEYSTORE_KEY,
                USER_INFO);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> tEnv.executeSql("INSERT INTO t VALUES (1, 'a')"),
                List.of("value.fields-include"),
                KEYSTORE_KEY,
                USER_INFO);
    }

    @Test
    void explainOfAValidTableShowsNoSecret() {
        createTable(
                "t",
                "streams",
                "",
                "'format' = 'json'",
                "'properties.group.id' = 'g'",
                "'scan.bounded.mode' = 'latest-offset'");

        String plan = tEnv.explainSql("SELECT * FROM t");
        assertThat(plan).contains("TableSourceScan");
        SecretLeakAssertions.assertNoSecrets(plan, KEYSTORE_KEY, USER_INFO);
        String insertPlan = tEnv.explainSql("INSERT INTO t VALUES (1, 'a')");
        assertThat(insertPlan).contains("Sink");
        SecretLeakAssertions.assertNoSecrets(insertPlan, KEYSTORE_KEY, USER_INFO);
    }

    @Test
    void sourceDescriptionMasksEverySecretProperty() {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "streams");
        options.put("topic", "orders");
        options.put("format", "json");
        options.put("properties.bootstrap.servers", "localhost:9092");
        options.put("properties.group.id", "g");
        options.put("properties.ssl.keystore.key", KEYSTORE_KEY);
        options.put("properties.basic.auth.user.info", "user:" + USER_INFO);
        DynamicTableSource source =
                FactoryMocks.createTableSource(
                        ResolvedSchema.of(Column.physical("id", DataTypes.BIGINT())), options);

        String description =
                ((StreamsDynamicSource) source)
                        .createSource(ScanRuntimeProviderContext.INSTANCE)
                        .toString();
        assertThat(description).contains("ssl.keystore.key", "basic.auth.user.info");
        SecretLeakAssertions.assertNoSecrets(description, KEYSTORE_KEY, USER_INFO);
        SecretLeakAssertions.assertNoSecrets(source.asSummaryString(), KEYSTORE_KEY, USER_INFO);

        DynamicTableSink sink =
                FactoryMocks.createTableSink(
                        ResolvedSchema.of(Column.physical("id", DataTypes.BIGINT())), options);
        String sinkDescription =
                ((SinkV2Provider)
                                sink.getSinkRuntimeProvider(new SinkRuntimeProviderContext(false)))
                        .createSink()
                        .toString();
        assertThat(sinkDescription).contains("ssl.keystore.key");
        SecretLeakAssertions.assertNoSecrets(sinkDescription, KEYSTORE_KEY, USER_INFO);
    }
}
