package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.testutils.IcebergRestCatalogServer;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 'catalog-type' = 'rest'}: Iceberg's own REST catalog server, started in this JVM per test
 * with its tables in the test's warehouse.
 */
class IcebergRestCatalogITCase extends IcebergCatalogTypeITCaseBase {

    private IcebergRestCatalogServer server;

    /** Started on first use: the base class opens its client before this class's set-up runs. */
    private String uri() {
        if (server == null) {
            try {
                server = IcebergRestCatalogServer.start(warehouse);
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the REST catalog server", e);
            }
        }
        return server.uri();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String catalogOptions() {
        return "'catalog-type' = 'rest', 'uri' = '"
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
                        CatalogUtil.ICEBERG_CATALOG_TYPE_REST,
                        CatalogProperties.URI,
                        uri()),
                new Configuration());
    }

    @Test
    void neverShowsTheToken() throws Exception {
        String secret = "sekret-token-42";
        // Iceberg's test server accepts any bearer token; it must reach it and nowhere else.
        batch.executeSql(
                "CREATE CATALOG lake WITH ('type' = 'lake', "
                        + catalogOptions()
                        + ", 'token' = '"
                        + secret
                        + "')");
        batch.executeSql("INSERT INTO lake.db.orders VALUES (9, 'i')").await();

        assertThat(rows("SELECT id FROM lake.db.orders")).containsExactly("9");
        assertThat(rows("SHOW CREATE TABLE lake.db.orders").get(0))
                .contains("'catalog-type' = 'rest'")
                .doesNotContain(secret);
    }
}
