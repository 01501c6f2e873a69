package org.flinkconnectors.lake.catalog;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code 'catalog-type' = 'jdbc'}: Iceberg's JdbcCatalog over a SQLite file in the warehouse. */
class IcebergJdbcCatalogITCase extends IcebergCatalogTypeITCaseBase {

    private String uri() {
        return "jdbc:sqlite:" + warehouse.resolve("catalog.db");
    }

    @Override
    String catalogOptions() {
        return "'catalog-type' = 'jdbc', 'uri' = '"
                + uri()
                + "', 'warehouse' = '"
                + warehouse
                + "'";
    }

    @Override
    Catalog openClient() {
        return CatalogUtil.buildIcebergCatalog(
                "lake",
                Map.of(
                        CatalogUtil.ICEBERG_CATALOG_TYPE,
                        CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC,
                        CatalogProperties.URI,
                        uri(),
                        CatalogProperties.WAREHOUSE_LOCATION,
                        warehouse.toString()),
                new Configuration());
    }

    @Test
    void rejectsMissingOrForeignCatalogOptions() {
        assertThatThrownBy(() -> query("'catalog-type' = 'jdbc', 'warehouse' = '/w'"))
                .hasStackTraceContaining("Option 'uri' is required when 'catalog-type' is 'jdbc'");
        assertThatThrownBy(() -> query("'catalog-type' = 'glue', 'warehouse' = '/w'"))
                .hasStackTraceContaining("'catalog-type'")
                .hasStackTraceContaining("[hadoop, jdbc, rest]");
        assertThatThrownBy(() -> query("'warehouse' = '/w', 'jdbc.user' = 'u'"))
                .hasStackTraceContaining(
                        "Option 'jdbc.user' does not apply to 'catalog-type' = 'hadoop'");
        assertThatThrownBy(
                        () ->
                                batch.executeSql(
                                        "CREATE CATALOG c WITH ('type' = 'lake', 'catalog-type' ="
                                                + " 'rest', 'warehouse' = '/w')"))
                .hasStackTraceContaining("Option 'uri' is required when 'catalog-type' is 'rest'");
    }

    @Test
    void neverShowsThePassword() throws Exception {
        String secret = "sekret-123";
        // SQLite ignores the credentials; they must reach the catalog and nowhere else.
        String options =
                catalogOptions() + ", 'jdbc.user' = 'flink', 'jdbc.password' = '" + secret + "'";
        assertThatThrownBy(() -> query(options + ", 'database' = 'db', 'table' = 'missing'"))
                .hasStackTraceContaining("db.missing does not exist")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(secret));

        batch.executeSql("CREATE CATALOG lake WITH ('type' = 'lake', " + options + ")");
        batch.executeSql("INSERT INTO lake.db.orders VALUES (5, 'e')").await();
        assertThat(rows("SELECT id FROM lake.db.orders")).containsExactly("5");
        assertThat(rows("SHOW CREATE TABLE lake.db.orders").get(0))
                .contains("'jdbc.user' = 'flink'")
                .doesNotContain(secret);
    }

    private void query(String options) throws Exception {
        String withTable =
                options.contains("'table'")
                        ? options
                        : options + ", 'database' = 'db', 'table' = 'orders'";
        batch.executeSql(
                "CREATE TEMPORARY TABLE t (id BIGINT) WITH ('connector' = 'lake',"
                        + " 'table-format' = 'iceberg', "
                        + withTable
                        + ")");
        try {
            rows("SELECT * FROM t");
        } finally {
            batch.executeSql("DROP TEMPORARY TABLE t");
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
