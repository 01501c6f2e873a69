package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.testutils.IcebergRows;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CollectionUtil;

import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Table properties in the {@code lake} catalog: CREATE TABLE passes Iceberg properties and Delta
 * configuration to the new table, and the catalog shows them among the table's options, which the
 * {@code lake} connector accepts.
 */
class LakeCatalogTablePropertiesITCase {

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
    void setUp() {
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                "CREATE CATALOG lake WITH ('type' = 'lake', 'warehouse' = '" + warehouse + "')");
        batch.executeSql("CREATE DATABASE lake.db");
    }

    @Test
    void createsIcebergTablesWithTheirPropertiesAndShowsThem() throws Exception {
        batch.executeSql(
                        "CREATE TABLE lake.db.orders (id BIGINT, name STRING) WITH ("
                                + "'format-version' = '1', 'write.format.default' = 'avro',"
                                + " 'commit.retry.num-retries' = '7')")
                .await();
        batch.executeSql("INSERT INTO lake.db.orders VALUES (1, 'a')").await();

        Table table =
                new HadoopCatalog(new Configuration(), warehouse.toString())
                        .loadTable(TableIdentifier.of("db", "orders"));
        assertThat(TableUtil.formatVersion(table)).isEqualTo(1);
        assertThat(table.properties())
                .containsEntry("write.format.default", "avro")
                .containsEntry("commit.retry.num-retries", "7");
        List<DataFile> files = new ArrayList<>();
        table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
        assertThat(files).extracting(DataFile::format).containsOnly(FileFormat.AVRO);
        assertThat(IcebergRows.idsAndNames(table)).containsExactly("1,a");

        assertThat(table("orders").getOptions())
                .containsEntry("format-version", "1")
                .containsEntry("write.format.default", "avro")
                .containsEntry("commit.retry.num-retries", "7");
        assertThat(rows("SHOW CREATE TABLE lake.db.orders").get(0))
                .contains("'write.format.default' = 'avro'");
        assertThat(rows("SELECT id, name FROM lake.db.orders")).containsExactly("+I[1, a]");
    }

    @Test
    void createsDeltaTablesWithTheirConfigurationAndShowsIt() throws Exception {
        batch.executeSql(
                        "CREATE TABLE lake.db.events (id BIGINT, name STRING) WITH ("
                                + "'table-format' = 'delta', 'delta.appendOnly' = 'true',"
                                + " 'delta.enableDeletionVectors' = 'true')")
                .await();
        batch.executeSql("INSERT INTO lake.db.events VALUES (2, 'b')").await();

        var snapshot =
                TableManager.loadSnapshot(warehouse.resolve("db/events").toString())
                        .build(DefaultEngine.create(new Configuration()));
        assertThat(snapshot.getTableProperties())
                .containsEntry("delta.appendOnly", "true")
                .containsEntry("delta.enableDeletionVectors", "true");
        assertThat(table("events").getOptions())
                .containsEntry("delta.appendOnly", "true")
                .containsEntry("delta.enableDeletionVectors", "true");
        assertThat(rows("SELECT id, name FROM lake.db.events")).containsExactly("+I[2, b]");
    }

    @Test
    void rejectsPropertiesOfTheOtherFormat() {
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                        "CREATE TABLE lake.db.bad (id BIGINT) WITH ('table-format'"
                                                + " = 'delta', 'write.format.default' = 'avro')"))
                .hasStackTraceContaining("'write.format.default' is not a table property of delta");
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                        "CREATE TABLE lake.db.bad (id BIGINT) WITH"
                                                + " ('delta.appendOnly' = 'true')"))
                .hasStackTraceContaining("'delta.appendOnly' is not a table property of iceberg");
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                        "CREATE TABLE lake.db.bad (id BIGINT) WITH ('colour' ="
                                                + " 'blue')"))
                .hasStackTraceContaining("[colour]");
    }

    private CatalogTable table(String name) throws Exception {
        return (CatalogTable)
                batch.getCatalog("lake").orElseThrow().getTable(new ObjectPath("db", name));
    }

    private List<String> rows(String query) throws Exception {
        return CollectionUtil.iteratorToList(batch.executeSql(query).collect()).stream()
                .map(row -> row.getArity() == 1 ? String.valueOf(row.getField(0)) : row.toString())
                .toList();
    }
}
